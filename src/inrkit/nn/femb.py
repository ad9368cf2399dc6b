"""Frozen integer-frequency embedding (FEmb), the first layer of SASNet.

SASNet (spatially-adaptive sinusoidal network; Feng, Aldana, Novello, De Floriani, arXiv:2503.09750,
CVPR 2026) starts with a sine layer whose weights are *integer* frequency vectors ``k`` scaled by
``2*pi/P`` and then frozen; only the biases (phases) train. The integer-frequency idea comes from TUNER
(Novello et al., 2024): with integer multipliers every neuron is exactly ``P``-periodic, so the
embedding is a truncated Fourier basis of the domain, and the frequency content of the whole network
is bounded by what the first layer admits. SASNet splits the sampled frequencies into a *low group*
(never masked) and ``K`` *high bands* (each multiplied by its own spatial mask further on).

This module reproduces the sampler of the official code (``Fengyee/SASNet_inr``,
``sasnet/models/layers.py``) bit for bit; see ``methods.md`` section 8.2 for the pseudocode and the
reference outputs. Choices that come from the code rather than the paper ([code] parity, section
8.10):

* the low frequencies are drawn from the *half-space* lattice ``0 <= k_1 <= L``,
  ``-L <= k_j <= L`` (``k != 0``), by central symmetry, without replacement (with replacement only
  when more are asked for than exist), and the canonical basis ``e_1 .. e_d`` is prepended, so the
  low group has ``ceil(p*n)`` rows;
* the high frequencies come from a *strided* lattice with stride
  ``s = ceil(sqrt(max((B^2 - L^2) / n_high, 1)))``, first axis ``{0, s, 2s, ...}``, other axes
  ``{-B, -B+s, ...}`` (asymmetric: they start at ``-B``), minus the Chebyshev box ``max|k| <= L``;
* the draws use ``numpy.random.default_rng(seed)`` (seed 42), independent of the torch seed, with
  ``Generator.choice`` called for the low set first and then for the high set; candidates are
  enumerated row-major with the first axis slowest;
* bands are the equal-width intervals ``cut = linspace(L, B + 1, K + 1)`` of ``max|k|``, so their
  sizes are unequal; rows keep their drawn order inside each band;
* the weights are ``2*pi*k / P`` with **no** ``omega_0``; the bias keeps PyTorch's default ``Linear``
  initialisation ``U(+-1/sqrt(d))`` and is trainable (the paper does not describe it).

Period convention. With ``P = 2`` every neuron is periodic on ``[-1, 1]`` (frequencies ``pi*k``).
That is exact for pixel-centre grids ``x_i = -1 + (2i + 1)/N``: the samples span one full period and
no two coincide. For endpoint-inclusive grids (``linspace(-1, 1, N)``) ``P = 2`` maps ``x = -1`` and
``x = +1`` to the same embedding and forces opposite borders to agree; use ``P = 2N/(N - 1)`` (exact)
or the official repository's ``2/0.95``. Recipes must state which one they use.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from inrkit.validate import check

__all__ = ["FEmbFrequencies", "FrequencyEmbedding", "sample_femb_frequencies"]


@dataclass(frozen=True, eq=False)
class FEmbFrequencies:
    """Result of :func:`sample_femb_frequencies`.

    Attributes:
        rows: int64 array ``[n, d]``: ``e_1 .. e_d``, then the low draws, then band 1 .. band K, each
            band in drawn order. Read-only.
        group_sizes: ``(d + n_low, |band_1|, ..., |band_K|)``; sums to ``n``.
        n_low_candidates: size of the low (half-space) candidate lattice ``|LOW|``.
        n_high_candidates: size of the strided high candidate lattice ``|HIGH|``.
        stride: stride ``s`` of the high lattice.
        cutoffs: the ``K + 1`` band edges on ``max_i |k_i|`` (``linspace(L, B + 1, K + 1)``).
    """

    rows: np.ndarray
    group_sizes: tuple[int, ...]
    n_low_candidates: int
    n_high_candidates: int
    stride: int
    cutoffs: tuple[float, ...]

    @property
    def n(self) -> int:
        return int(self.rows.shape[0])

    @property
    def d(self) -> int:
        return int(self.rows.shape[1])

    @property
    def low_group_size(self) -> int:
        return self.group_sizes[0]

    @property
    def band_sizes(self) -> tuple[int, ...]:
        return self.group_sizes[1:]

    def group_slices(self) -> list[slice]:
        """Row slices of the low group and of each band, in row order."""
        out = []
        start = 0
        for size in self.group_sizes:
            out.append(slice(start, start + size))
            start += size
        return out


def _lattice(axes: list[np.ndarray]) -> np.ndarray:
    """Cartesian product of 1-D axes, row-major (first axis slowest), as int64 ``[m, d]``."""
    grids = np.meshgrid(*axes, indexing="ij")
    return np.stack([g.reshape(-1) for g in grids], axis=-1).astype(np.int64)


def sample_femb_frequencies(
    n: int,
    d: int,
    band_limit: int,
    low_range: int,
    low_fraction: float,
    n_high_bands: int,
    seed: int = 42,
) -> FEmbFrequencies:
    """Sample the integer frequencies of a SASNet FEmb layer exactly as the official code does.

    Args:
        n: number of FEmb neurons (rows), ``n > d``.
        d: input dimension.
        band_limit: ``B``, largest admissible ``|k_i|``.
        low_range: ``L``, half-width of the low box, ``0 <= L < B``.
        low_fraction: ``p`` in ``[0, 1]``; the low group has ``ceil(p*n)`` rows (``d`` rows if
            ``p == 0``).
        n_high_bands: ``K >= 1``.
        seed: seed of the NumPy ``Generator`` (42 in the official code).

    Returns:
        :class:`FEmbFrequencies`.
    """
    n, d, B, L, K = int(n), int(d), int(band_limit), int(low_range), int(n_high_bands)
    p = float(low_fraction)
    if d < 1:
        raise ValueError(f"FEmb: input dimension d must be >= 1, got {d}")
    if n <= d:
        raise ValueError(f"FEmb: width n must exceed the input dimension d (got n={n}, d={d})")
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"FEmb: low_fraction p must lie in [0, 1], got {low_fraction}")
    if L < 0:
        raise ValueError(f"FEmb: low_range L must be >= 0, got {L}")
    if not L < B:
        raise ValueError(f"FEmb: low_range L must be smaller than band_limit B (got L={L}, B={B})")
    if K < 1:
        raise ValueError(f"FEmb: n_high_bands K must be >= 1, got {K}")

    n_freq = n - d
    n_low = 0 if p == 0.0 else int(math.ceil(p * n)) - d
    if n_low < 0:
        raise ValueError(
            f"FEmb: ceil(low_fraction * n) = {n_low + d} is smaller than d = {d}; the low group must hold "
            f"at least the {d} basis rows (raise low_fraction or set it to 0)"
        )
    n_high = n_freq - n_low

    # Candidate lattices, row-major with the first axis slowest.
    low_axes = [np.arange(0 if i == 0 else -L, L + 1) for i in range(d)]
    low_cand = _lattice(low_axes)
    low_cand = low_cand[np.any(low_cand != 0, axis=1)]

    stride = int(math.ceil(math.sqrt(max((B * B - L * L) / max(n_high, 1), 1.0))))
    high_axes = [np.arange(0 if i == 0 else -B, B + 1, stride) for i in range(d)]
    high_cand = _lattice(high_axes)
    high_cand = high_cand[np.max(np.abs(high_cand), axis=1) > L]

    rng = np.random.default_rng(seed)
    if n_low > 0:
        if len(low_cand) == 0:
            raise ValueError(
                "FEmb: the low lattice is empty (low_range L = 0) but low frequencies were requested"
            )
        idx = rng.choice(len(low_cand), size=n_low, replace=n_low >= len(low_cand))
        low = low_cand[idx]
    else:
        low = np.zeros((0, d), dtype=np.int64)

    if n_high > 0:
        if len(high_cand) == 0:
            raise ValueError(
                f"FEmb: the strided high lattice (stride {stride}) has no point outside the low box; "
                "increase band_limit or reduce low_range"
            )
        if n_high >= len(high_cand):
            extra = rng.choice(len(high_cand), size=n_high - len(high_cand), replace=True)
            high = np.concatenate([high_cand, high_cand[extra]], axis=0)
        else:
            high = high_cand[rng.choice(len(high_cand), size=n_high, replace=False)]
    else:
        high = np.zeros((0, d), dtype=np.int64)

    cutoffs = np.linspace(L, B + 1, K + 1)
    if K == 1:
        bands = [high]
    else:
        cheb = np.max(np.abs(high), axis=1) if len(high) else np.zeros(0)
        bands = [high[(cheb >= cutoffs[j]) & (cheb < cutoffs[j + 1])] for j in range(K)]

    rows = np.concatenate([np.eye(d, dtype=np.int64), low, *bands], axis=0).astype(np.int64)
    rows.setflags(write=False)
    group_sizes = (d + n_low, *(int(len(b)) for b in bands))
    assert sum(group_sizes) == n == rows.shape[0]
    return FEmbFrequencies(
        rows=rows,
        group_sizes=tuple(int(g) for g in group_sizes),
        n_low_candidates=int(len(low_cand)),
        n_high_candidates=int(len(high_cand)),
        stride=stride,
        cutoffs=tuple(float(c) for c in cutoffs),
    )


@dataclass(frozen=True)
class FEmbConfig:
    """SASNet's frozen frequency embedding (methods.md §8.2; paper image defaults)."""

    #: FEmb width n (the first layer's neurons).
    features: int = 256
    #: band limit B (max |k|).
    band_limit: int = 60
    #: low range L.
    low_range: int = 12
    #: low-frequency share p.
    low_fraction: float = 0.5
    #: number K of high-frequency bands (one input mask each).
    n_high_bands: int = 4
    #: period P: weights 2 pi k / P (2 is exact on pixel-centre grids over [-1, 1]).
    period: float = 2.0
    #: NumPy seed of the frequency sampler (42 in the official code).
    seed: int = 42

    def __post_init__(self) -> None:
        check(self, "field.femb", features=">=1", band_limit=">=1", low_range=">=0", low_fraction=">=0",
              n_high_bands=">=0", period=">0")


class FrequencyEmbedding(nn.Module):
    """SASNet FEmb layer: ``sin(x @ W.T + b)`` with frozen integer frequencies ``W = 2*pi*k / P``.

    ``weight`` is an ``nn.Parameter`` with ``requires_grad=False`` (so the state dict looks like a
    ``Linear`` and parameter counts can report it as frozen); ``bias`` is trainable and initialised
    like ``nn.Linear``'s bias from the global torch RNG. The torch RNG is consumed exactly as an
    ``nn.Linear(in_features, out_features)`` would consume it (a discarded default weight draw, then
    the bias), so under the same torch seed the bias and every later initialisation match the
    official code. The frequencies themselves come from a NumPy generator seeded with ``seed`` and
    do not depend on the torch seed.

    Attributes:
        frequencies: the :class:`FEmbFrequencies` used.
        group_sizes: low group size then the size of each band.
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        band_limit: int,
        low_range: int,
        low_fraction: float,
        n_high_bands: int,
        period: float = 2.0,
        seed: int = 42,
    ) -> None:
        super().__init__()
        period = float(period)
        if not (math.isfinite(period) and period > 0):
            raise ValueError(f"FEmb: period must be a positive finite number, got {period}")
        self.in_features = int(in_features)
        self.out_features = int(out_features)
        self.period = period
        self.frequencies = sample_femb_frequencies(
            out_features, in_features, band_limit, low_range, low_fraction, n_high_bands, seed=seed
        )
        self.group_sizes = self.frequencies.group_sizes

        weight = torch.empty(self.out_features, self.in_features)
        bias = torch.empty(self.out_features)
        # Same torch-RNG consumption as nn.Linear.reset_parameters; the weight draw is then replaced.
        nn.init.kaiming_uniform_(weight, a=math.sqrt(5))
        bound = 1.0 / math.sqrt(self.in_features)
        nn.init.uniform_(bias, -bound, bound)
        # float32 arithmetic in the official order: (2*pi * k) / P.
        weight = 2 * math.pi * torch.as_tensor(np.array(self.frequencies.rows), dtype=torch.float32) / period
        self.weight = nn.Parameter(weight, requires_grad=False)
        self.bias = nn.Parameter(bias)

    def band_slices(self) -> list[slice]:
        """Output slices of the low group and of each high band, in row order."""
        return self.frequencies.group_slices()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``x``: ``[*batch, in_features]`` -> ``[*batch, out_features]``."""
        return torch.sin(nn.functional.linear(x, self.weight, self.bias))

    def extra_repr(self) -> str:
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, period={self.period:g}, "
            f"group_sizes={self.group_sizes}"
        )
