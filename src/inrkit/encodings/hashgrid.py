"""Multi-resolution hash-grid encoding, pure PyTorch (CPU/GPU, deterministic, double-backward safe).

Instant-NGP: Müller et al., "Instant Neural Graphics Primitives with a Multiresolution Hash
Encoding", SIGGRAPH 2022, arXiv:2201.05989. SASNet uses this grid for its mask features through
kaolin-wisp's ``HashGrid.from_geometric``; this module follows those conventions (methods.md §8.4).
[code] marks choices made for parity with the wisp code where the papers say nothing or differ:

- Resolutions [code]: ``b = exp((ln R_max - ln R_min) / (L - 1))`` in float64, ``R_l = floor(R_min b^l)``,
  so 16 -> 256 gives 16, 21, ..., 188, 255 (the finest level is usually ``R_max - 1``); ``L = 1`` gives
  ``R_min``.
- Tables: level l holds ``min(2^bitwidth, R_l^d)`` rows of F features drawn from ``N(0, std^2)``
  [code: no rounding of table sizes, unlike tiny-cuda-nn]; all levels live in one parameter ``table``
  (rows of level l start at ``offsets[l]``), so the parameter count is ``F * sum_l min(2^bw, R_l^d)``.
- Lookup [code]: coordinates in ``coord_range`` (default [-1, 1]) map to ``t in [0, 1]``;
  ``u = clamp(R_l t, 0, R_l - 1 - 1e-5)`` (no +0.5 offset), then d-linear interpolation of the 2^d
  corners of the cell ``floor(u)``. Since the scale is ``R_l`` but the clamp ``R_l - 1``, the top ``1/R_l``
  of each axis reads constant boundary features and gets zero gradient w.r.t. the coordinates. The
  cell index is additionally capped at ``R_l - 2`` so that ``R_l - 1 - 1e-5`` rounding up to ``R_l - 1``
  in float32 cannot address a vertex outside the grid (same values: the local weight is then 1).
- Indexing [paper and code]: dense ``i_0 + i_1 R + i_2 R^2 (+ i_3 R^3)`` when ``R_l^d <= 2^bitwidth``, otherwise the
  spatial hash ``XOR_k (i_k * pi_k) mod 2^bitwidth`` with uint32 products and
  ``pi = (1, 2654435761, 805459861, 3674653429)`` (the fourth prime is tiny-cuda-nn's).
- Output [code]: levels concatenated coarse -> fine, width ``n_levels * F``.
- ``zero_finest_level`` [code quirk, default off]: the packaged SASNet evaluates the wisp grid with
  ``lod_idx = n_levels - 1``, which zeroes the finest level's features; the level still exists, is
  counted, and receives zero gradient.

Only the wisp conventions are implemented; tiny-cuda-nn's ([0, 1] inputs, +0.5 offset, U(±1e-4) init,
methods.md §9.6) are not. Everything is ordinary autograd (index_select, lerp, integer index maths),
so gradients of any order w.r.t. the coordinates and the table exist, and ``torch.func`` transforms
(vmap, jacrev, hessian) work. The table gradient is an index_add: deterministic on CPU, and on CUDA
under ``torch.use_deterministic_algorithms(True)``. On CPU, large batches are evaluated in chunks of
points (identical results) because that is about 3x faster at 262,144 points.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import Tensor, nn

from inrkit.encodings.base import Encoding
from inrkit.errors import InputError
from inrkit.registry import ENCODINGS
from inrkit.validate import check

#: On CPU, batches whose largest temporary exceeds _CHUNK_ABOVE bytes (glibc's largest mmap
#: threshold) are split into chunks whose largest temporary is about _CHUNK_BYTES.
_CHUNK_ABOVE = 32 * 2**20
_CHUNK_BYTES = 8 * 2**20

#: Hash primes per axis (Instant-NGP / tiny-cuda-nn; wisp uses the first three).
PRIMES = (1, 2654435761, 805459861, 3674653429)


@dataclass(frozen=True)
class HashGridConfig:
    """Hash-grid sizes (SASNet package defaults: 2-D, 10 levels, F = 2, bitwidth 10, 16 -> 256)."""

    #: coordinate dimension d (1 to 4).
    in_features: int = 2
    #: number of levels L (resolutions geometric from min_resolution to about max_resolution).
    n_levels: int = 10
    #: features per level F; the output width is n_levels * feature_dim.
    feature_dim: int = 2
    #: log2 of the per-level table size; levels with more than 2**bitwidth vertices are hashed.
    bitwidth: int = 10
    #: resolution R_min of the coarsest level (at least 2).
    min_resolution: int = 16
    #: target resolution R_max of the finest level (floor rounding usually gives R_max - 1).
    max_resolution: int = 256
    #: standard deviation of the N(0, std^2) feature initialisation.
    init_std: float = 0.01
    #: zero the finest level's features, as the packaged SASNet does (bit-parity only).
    zero_finest_level: bool = False
    #: input interval mapped onto the grid along every axis (wisp uses [-1, 1]).
    coord_range: tuple[float, float] = (-1.0, 1.0)

    def __post_init__(self) -> None:
        check(self, "encoding", in_features=">=1", n_levels=">=1", feature_dim=">=1", bitwidth=">=1",
              min_resolution=">=1", max_resolution=">=1", init_std=">=0")
        if self.bitwidth > 30:
            raise InputError(f"encoding.bitwidth must be <= 30 (a 2**bitwidth table per level), got {self.bitwidth}")


def grid_resolutions(min_resolution: int, max_resolution: int, n_levels: int) -> tuple[int, ...]:
    """Per-level resolutions ``floor(R_min * b**l)`` with the float64 growth factor of wisp."""
    if n_levels == 1:
        return (int(min_resolution),)
    b = math.exp((math.log(max_resolution) - math.log(min_resolution)) / (n_levels - 1))
    return tuple(int(math.floor(min_resolution * b**level)) for level in range(n_levels))


@ENCODINGS.register("hashgrid", config=HashGridConfig)
class HashGrid(Encoding):
    """Multi-resolution hash grid (Instant-NGP, kaolin-wisp conventions) with d-linear interpolation."""

    def __init__(self, cfg: HashGridConfig = HashGridConfig()):
        super().__init__()
        _validate(cfg)
        self.cfg = cfg
        d, feat = cfg.in_features, cfg.feature_dim
        self.in_features, self.out_features = d, cfg.n_levels * feat
        res = grid_resolutions(cfg.min_resolution, cfg.max_resolution, cfg.n_levels)
        cap = 2**cfg.bitwidth
        self._resolutions = res
        self._table_sizes = tuple(min(cap, r**d) for r in res)
        self._offsets = tuple(sum(self._table_sizes[:level]) for level in range(cfg.n_levels))
        # resolutions are non-decreasing, so dense levels form a prefix
        self._n_dense = sum(r**d <= cap for r in res)
        # levels actually evaluated (the finest is skipped under zero_finest_level)
        self._n_active = cfg.n_levels - 1 if cfg.zero_finest_level else cfg.n_levels
        self.table = nn.Parameter(torch.randn(sum(self._table_sizes), feat) * cfg.init_std)

        active = range(self._n_active)
        dense_strides = [[res[lv] ** k for k in range(d)] for lv in active if lv < self._n_dense]
        bits = torch.tensor([[(c >> (d - 1 - k)) & 1 for k in range(d)] for c in range(2**d)])  # [C, d]
        dense_delta = torch.tensor(dense_strides, dtype=torch.long).reshape(-1, d) @ bits.T  # [Ld, C]
        self._buffer("res", torch.tensor(res[: self._n_active], dtype=torch.long))
        self._buffer("dense_strides", torch.tensor(dense_strides, dtype=torch.long).reshape(-1, d))
        dense_offsets = torch.tensor(self._offsets[: dense_delta.shape[0]], dtype=torch.long)
        self._buffer("dense_base", dense_delta + dense_offsets[:, None])
        primes = torch.tensor(PRIMES[:d], dtype=torch.long)
        self._buffer("primes", primes)
        self._buffer("prime_steps", torch.stack((torch.zeros_like(primes), primes), dim=1))  # [d, 2]
        hash_offsets = torch.tensor(self._offsets[self._n_dense : self._n_active], dtype=torch.long)
        self._buffer("hash_offsets", hash_offsets.reshape(-1, 1))

    def _buffer(self, name: str, value: Tensor) -> None:
        self.register_buffer("_" + name, value, persistent=False)

    @property
    def resolutions(self) -> tuple[int, ...]:
        """Grid resolution R_l of every level, coarse to fine."""
        return self._resolutions

    @property
    def table_sizes(self) -> tuple[int, ...]:
        """Rows of every level's table, ``min(2**bitwidth, R_l**d)``."""
        return self._table_sizes

    @property
    def offsets(self) -> tuple[int, ...]:
        """First row of every level in ``table``."""
        return self._offsets

    def level_table(self, level: int) -> Tensor:
        """View of ``table`` holding the rows of one level, ``[table_sizes[level], F]``."""
        return self.table[self._offsets[level] : self._offsets[level] + self._table_sizes[level]]

    def extra_repr(self) -> str:
        c = self.cfg
        return (
            f"in_features={c.in_features}, n_levels={c.n_levels}, feature_dim={c.feature_dim}, "
            f"bitwidth={c.bitwidth}, resolutions={list(self._resolutions)}"
        )

    def forward(self, x: Tensor) -> Tensor:
        d = self.in_features
        if x.shape[-1] != d:
            raise InputError(f"hashgrid expects coordinates [..., {d}], got shape {list(x.shape)}")
        flat = x.reshape(-1, d)
        # on CPU, chunks keep the [La, 2^d, chunk] temporaries small enough to be reused by the
        # allocator instead of freshly mapped (3x faster at 262,144 points); results are identical
        per_point = self._n_active * 2**d * max(8, 4 * self.cfg.feature_dim)  # bytes of the largest temporary
        if x.device.type == "cpu" and flat.shape[0] * per_point > _CHUNK_ABOVE:
            chunk = max(1, _CHUNK_BYTES // per_point)
            out = torch.cat([self._encode(part) for part in flat.split(chunk)])
        else:
            out = self._encode(flat)
        return out.reshape(*x.shape[:-1], self.out_features)

    def _encode(self, x: Tensor) -> Tensor:
        """Encoding of ``[N, d]`` points, ``[N, n_levels * F]``."""
        d, feat = self.in_features, self.cfg.feature_dim
        # points are the innermost axis throughout: broadcasting over long contiguous rows is fast on CPU
        xt = x.t().contiguous()  # [d, N]
        n, n_act = xt.shape[1], self._n_active
        lo, hi = self.cfg.coord_range
        res = self._res.to(x.dtype)[:, None, None]  # [La, 1, 1]
        t = xt * (1.0 / (hi - lo)) - lo / (hi - lo)  # [d, N], [0, 1] inside the domain
        u = torch.clamp(t * res, torch.zeros_like(res), res - 1 - 1e-5)  # [La, d, N]
        # floor(u), kept <= R - 2 so the upper corner exists even if R - 1 - 1e-5 rounds up to R - 1
        base = torch.minimum(u.detach().floor(), res - 2)
        w = u - base  # [La, d, N], local coordinates in the cell
        idx = self._corner_index(base.long())  # [La, C, N]
        feats = self.table.t().index_select(1, idx.view(-1)).view(feat, n_act, -1, n).to(x.dtype)
        # d-linear interpolation as a cascade of lerps; the last axis is the lowest corner bit
        for k in reversed(range(d)):
            lower, upper = feats.unflatten(2, (-1, 2)).unbind(3)  # unbind's backward: one stack, no fill
            feats = torch.lerp(lower, upper, w[:, k, None])  # [F, La, 2^k, N]
        out = feats.permute(3, 1, 2, 0).reshape(n, n_act * feat)  # levels coarse -> fine, F per level
        if n_act < self.cfg.n_levels:
            out = torch.cat((out, out.new_zeros(n, feat)), dim=-1)
        return out

    def _corner_index(self, i0: Tensor) -> Tensor:
        """Table rows ``[La, 2^d, N]`` of the cell corners ``i0 + c``, with the level offsets added."""
        d, n_act = self.in_features, i0.shape[0]
        n_dense = min(self._n_dense, n_act)
        parts = []  # functional ops only (no out=), so that torch.func.vmap works
        if n_dense > 0:
            lin = (i0[:n_dense] * self._dense_strides[:, :, None]).sum(1, keepdim=True)  # [Ld, 1, N]
            parts.append(lin + self._dense_base[:, :, None])  # [Ld, C, N]
        if n_act > n_dense:
            # (i_k + c_k) * pi_k for c_k in {0, 1}; int64 products keep the low bits of uint32 products,
            # and 2^bitwidth divides 2^32, so masking the XOR equals the uint32 hash mod 2^bitwidth
            ends = i0[n_dense:, :, None] * self._primes[:, None, None] + self._prime_steps[:, :, None]
            h = ends[:, 0]  # [Lh, 2, N]
            for k in range(1, d):
                h = (h[:, :, None] ^ ends[:, k, None]).flatten(1, 2)  # [Lh, 2^(k+1), N]
            parts.append(h.bitwise_and_(2**self.cfg.bitwidth - 1).add_(self._hash_offsets[:, :, None]))
        return parts[0] if len(parts) == 1 else torch.cat(parts)


def _validate(cfg: HashGridConfig) -> None:
    if not 1 <= cfg.in_features <= len(PRIMES):
        raise InputError(f"hashgrid in_features must be 1..{len(PRIMES)}, got {cfg.in_features}")
    if cfg.n_levels < 1 or cfg.feature_dim < 1:
        raise InputError("hashgrid n_levels and feature_dim must be positive")
    if not 1 <= cfg.bitwidth <= 30:
        raise InputError(f"hashgrid bitwidth must be 1..30, got {cfg.bitwidth}")
    if cfg.min_resolution < 2 or cfg.max_resolution < cfg.min_resolution:
        got = f"{cfg.min_resolution}, {cfg.max_resolution}"
        raise InputError(f"hashgrid needs 2 <= min_resolution <= max_resolution, got {got}")
    if cfg.zero_finest_level and cfg.n_levels < 2:
        raise InputError("hashgrid zero_finest_level needs n_levels >= 2")
    lo, hi = cfg.coord_range
    if not hi > lo:
        raise InputError(f"hashgrid coord_range must be increasing, got {cfg.coord_range}")
