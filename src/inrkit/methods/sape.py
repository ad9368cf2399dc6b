"""SAPE, spatially-adaptive progressive encoding (Hertz et al., "SAPE: Spatially-Adaptive Progressive
Encoding for Neural Optimization", NeurIPS 2021, arXiv:2104.09125; methods.md §9.7), after the official
``SpatialControllerStashed`` [code, amirhertz/SAPE ``models/encoding_controler.py``]:

    y = MLP_ReLU( m(x) ⊙ [x, sin(2π B^T x)_1, cos(2π B^T x)_1, …] )        (paper Eq. 2-4)

- Encoding [code]: identity first, then sin/cos interleaved per frequency; ``B = dir * mag``, ``mag ~ N(0,
  std)`` sorted by |mag| (std 20), directions uniform on the sphere, 256 frequencies: ``E = d + 2m`` channels.
  B is drawn from a generator seeded with ``seed`` [default, as ``gaussian_fourier``; the code uses the global RNG].
- MLP [code]: ``num_layers=3`` ReLU layers of 256 (``hidden_layers=2``), PyTorch default init, linear out.
- Mask ``m(x)`` [code]: a ``res^d`` grid of cells (res 128 for images, 64 for 3-D occupancy); cell c shows the
  first ``r_c`` channels. Blocks of ``d`` channels (the last one takes a remainder); every cell starts with the
  identity block. Every ``T / (2 * num_blocks)`` steps (int; 0: never), each cell's splatted loss average
  (empty cells: mean of their neighbours) is box-blurred (k = 5, or 3 when ``res^d <= 100``, replicate
  padding); cells whose blurred loss is ``<= epsilon`` stop for good, the others reveal the next block.
  The query mask is the box-blurred binary cell mask, interpolated over the 2^d cells around
  ``u = t (res - 2) + 0.5`` (``t`` in [0, 1] across ``coord_range``, clamped [default]). The mask is a constant
  for autograd (computed under no_grad, as in the code).
- Loss splat: each step's per-sample loss (mean over channels) is added to the 2^d cells with the
  interpolation weights; the code's ``buffer[idx] += v`` drops repeated indices, this one sums them
  (``index_add``, the intended average). The per-sample loss is measured after the step's update
  (one extra no-grad forward) [default: the trainer exposes the batch, not per-sample losses]; the code
  takes it from the forward before the update.

The state (``revealed``, ``in_progress``, ``level``, the loss sums) lives in buffers, so checkpoints resume
exactly; it changes only in ``training_hooks()`` (a trainer component), never in ``forward``.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor

from inrkit.errors import InputError
from inrkit.fields.base import Field, MLPFieldConfig
from inrkit.nn.activations import ReLU
from inrkit.nn.mlp import CoordinateMLP
from inrkit.recipes.protocol import Setting, register_method
from inrkit.registry import FIELDS
from inrkit.train.hooks import AFTER_UPDATE, BEFORE_TRAIN, FitState, Hook
from inrkit.validate import check


@dataclass(frozen=True)
class SAPEConfig(MLPFieldConfig):
    """SAPE (Hertz et al. 2021): RFF 256 x std 20 + identity, 3 x 256 ReLU, 128^d progressive mask grid."""

    hidden_layers: int = 2
    #: number m of Gaussian frequencies (E = d + 2 m encoding channels).
    num_frequencies: int = 256
    #: standard deviation of the frequency magnitudes.
    std: float = 20.0
    #: seed of the generator drawing the frequencies.
    seed: int = 0
    #: cells per axis of the mask grid (at least 3).
    mask_resolution: int = 128
    #: a cell stops progressing once its blurred loss is <= epsilon.
    epsilon: float = 1e-3
    #: box size k of the loss and mask blur; 0: 5 if res^d > 100 else 3 (the code's rule).
    blur: int = 0
    #: input interval mapped onto the mask grid along every axis.
    coord_range: tuple[float, float] = (-1.0, 1.0)

    def __post_init__(self) -> None:
        super().__post_init__()
        check(self, "field", num_frequencies=">=1", std=">=0", mask_resolution=">=3", epsilon=">=0", blur=">=0")
        if not 1 <= self.in_features <= 3:
            raise InputError(f"sape supports 1- to 3-D coordinates, got in_features={self.in_features}")
        if self.blur and self.blur % 2 == 0:
            raise InputError(f"field.blur must be odd (or 0 for the code's rule), got {self.blur}")


def block_ends(channels: int, block: int) -> list[int]:
    """Channels shown after 0, 1, 2, ... reveals: ``block, 2 block, ...``, the last block taking the rest."""
    ends = [block]
    while ends[-1] < channels:
        nxt = ends[-1] + block
        ends.append(channels if channels - nxt < block else nxt)
    return ends


def box_blur(grid: Tensor, k: int, exclude_centre: bool = False) -> Tensor:
    """Mean over the k^d box around every cell of a ``[res]*d`` grid (replicate padding)."""
    d = grid.dim()
    w = torch.ones((1, 1) + (k,) * d, dtype=grid.dtype, device=grid.device)
    if exclude_centre:
        w.view(-1)[w.numel() // 2] = 0
    conv = (F.conv1d, F.conv2d, F.conv3d)[d - 1]
    padded = F.pad(grid[None, None], (k // 2,) * (2 * d), mode="replicate")
    return conv(padded, w / w.sum())[0, 0]


@FIELDS.register("sape", config=SAPEConfig, description=SAPEConfig.__doc__.splitlines()[0])
class SAPEField(Field):
    """Fourier features x spatial progressive mask -> ReLU MLP (module docstring)."""

    supports_double_backward = False

    def __init__(self, cfg: SAPEConfig = SAPEConfig()):
        super().__init__()
        self.cfg = cfg
        d, m, res = cfg.in_features, cfg.num_frequencies, cfg.mask_resolution
        self.in_features, self.out_features = d, cfg.out_features
        gen = torch.Generator().manual_seed(cfg.seed)
        mag = torch.randn(m, generator=gen) * cfg.std
        mag = mag[mag.abs().argsort()]
        self.register_buffer("frequencies", F.normalize(torch.randn(d, m, generator=gen), dim=0) * mag)  # [d, m]
        self.channels = e = d + 2 * m
        self.net = CoordinateMLP(e, cfg.hidden_features, cfg.hidden_layers, cfg.out_features, ReLU(), ReLU,
                                 first_is_input=False)
        ends = block_ends(e, d)
        self.num_blocks = (e - d) // d
        self.k = cfg.blur or (5 if res**d > 100 else 3)
        cells = res**d
        self.register_buffer("ends", torch.tensor(ends), persistent=False)
        # level of channel j: the first reveal count whose end exceeds j
        self.register_buffer("channel_level", torch.searchsorted(torch.tensor(ends), torch.arange(e), right=True),
                             persistent=False)
        box = torch.tensor(list(itertools.product(range(-(self.k // 2), self.k // 2 + 1), repeat=d)))
        self.register_buffer("box", box, persistent=False)  # [k^d, d]
        self.register_buffer("strides", torch.tensor([res**j for j in range(d)]), persistent=False)
        self.register_buffer("revealed", torch.full((cells,), ends[0], dtype=torch.long))
        self.register_buffer("in_progress", torch.ones(cells, dtype=torch.bool))
        self.register_buffer("level", torch.zeros((), dtype=torch.long))
        self.register_buffer("loss_sum", torch.zeros(cells))
        self.register_buffer("loss_weight", torch.zeros(cells))

    def encode(self, x: Tensor) -> Tensor:
        """``[x, sin f_1, cos f_1, ...]`` with ``f = 2 pi B^T x``, ``[*, E]``."""
        proj = 2 * math.pi * x @ self.frequencies.to(x.dtype)  # [*, m]
        return torch.cat((x, torch.stack((proj.sin(), proj.cos()), dim=-1).flatten(-2)), dim=-1)

    def cell_weights(self, x: Tensor) -> tuple[Tensor, Tensor]:
        """Cells ``[N, 2^d]`` around points ``x [N, d]`` and their interpolation weights."""
        res, (lo, hi) = self.cfg.mask_resolution, self.cfg.coord_range
        t = torch.clamp((x.detach() - lo) / (hi - lo), 0.0, 1.0)
        u = t * max(res - 2, 1) + 0.5
        low, high = u.floor(), torch.ceil(u + 1e-6)
        ends = ((low, high - u), (high, u - low))  # (index, weight) of the lower / upper cell per axis
        idx, alpha = [], []
        for bits in itertools.product((0, 1), repeat=self.in_features):
            cols = [ends[b][0][:, k] * self.strides[k] for k, b in enumerate(bits)]
            idx.append(torch.stack(cols).sum(0).long())
            alpha.append(torch.stack([ends[b][1][:, k] for k, b in enumerate(bits)]).prod(0))
        return torch.stack(idx, 1), torch.stack(alpha, 1)

    def cell_masks(self, cells: Tensor) -> Tensor:
        """Box-blurred binary masks ``[U, E]`` of the given cells (replicate padding at the borders)."""
        res = self.cfg.mask_resolution
        coords = (cells[:, None] // self.strides) % res  # [U, d]
        nb = ((coords[:, None, :] + self.box).clamp(0, res - 1) * self.strides).sum(-1)  # [U, k^d]
        levels = torch.searchsorted(self.ends, self.revealed[nb])  # [U, k^d]
        counts = torch.zeros(len(cells), len(self.ends), device=cells.device).scatter_add_(
            1, levels, torch.ones_like(levels, dtype=torch.float32))
        at_least = counts.flip(1).cumsum(1).flip(1) / nb.shape[1]  # fraction of the box showing >= level
        return at_least[:, self.channel_level]

    def masks(self, x: Tensor) -> Tensor:
        """The progressive mask at ``x``, ``[*, E]`` (no gradient)."""
        with torch.no_grad():
            if bool((self.revealed == self.revealed[0]).all()):  # one level everywhere: blur and interpolation keep it
                step = (torch.arange(self.channels, device=x.device) < self.revealed[0]).to(x.dtype)
                return step.expand(*x.shape[:-1], self.channels)
            flat = x.reshape(-1, self.in_features)
            idx, alpha = self.cell_weights(flat)
            cells, inverse = torch.unique(idx, return_inverse=True)
            table = self.cell_masks(cells).to(x.dtype)  # [U, E]
            out = sum(alpha[:, c, None].to(x.dtype) * table[inverse[:, c]] for c in range(idx.shape[1]))
        return out.reshape(*x.shape[:-1], self.channels)

    def forward(self, x: Tensor) -> Tensor:
        return self.net(self.encode(x) * self.masks(x))

    @property
    def progressing(self) -> bool:
        """Whether a later reveal can still change the mask."""
        return bool(self.level.item() < len(self.ends) - 1 and self.in_progress.any())

    def block_iterations(self, total_steps: int) -> int:
        """Steps between reveals, ``int(T / (2 num_blocks))`` [code]; 0: no progression."""
        return int(total_steps / (2 * self.num_blocks)) if self.num_blocks else 0

    @torch.no_grad()
    def accumulate(self, x: Tensor, loss: Tensor) -> None:
        """Splat per-sample losses ``[N]`` at points ``x [N, d]`` into the cells' running sums."""
        idx, alpha = self.cell_weights(x.reshape(-1, self.in_features))
        self.loss_sum.index_add_(0, idx.flatten(), (loss.reshape(-1, 1).float() * alpha.float()).flatten())
        self.loss_weight.index_add_(0, idx.flatten(), alpha.float().flatten())

    @torch.no_grad()
    def advance(self) -> None:
        """Stop the cells whose blurred loss is <= epsilon, reveal the next block elsewhere, reset the sums."""
        shape = (self.cfg.mask_resolution,) * self.in_features
        empty = self.loss_weight == 0
        avg = (self.loss_sum / self.loss_weight.clamp_min(1e-30)).masked_fill(empty, 0.0)
        if empty.any():
            avg = torch.where(empty, box_blur(avg.view(shape), self.k, exclude_centre=True).flatten(), avg)
        self.in_progress &= box_blur(avg.view(shape), self.k).flatten() > self.cfg.epsilon
        self.level.add_(1)
        nxt = self.ends[min(int(self.level), len(self.ends) - 1)]
        self.revealed[self.in_progress] = nxt
        self.loss_sum.zero_()
        self.loss_weight.zero_()

    def training_hooks(self) -> list:
        return [SAPEProgress(self)]


class SAPEProgress:
    """Trainer component: splat each step's per-sample loss, reveal a block every ``T / (2 num_blocks)`` steps."""

    name = "sape_progress"

    def __init__(self, field: SAPEField):
        self.field, self.every = field, 0

    def hooks(self) -> list[Hook]:
        return [Hook(BEFORE_TRAIN, self.start), Hook(AFTER_UPDATE, self.after_update)]

    def start(self, state: FitState) -> None:
        self.every = self.field.block_iterations(state.total)

    def after_update(self, state: FitState) -> None:
        if self.every <= 0 or not self.field.progressing:
            return
        batch = state.batch
        if not isinstance(batch, dict) or not {"coords", "targets"} <= batch.keys():
            raise InputError("sape's progressive masks need batches of coords and targets (fitting, occupancy)")
        with torch.no_grad():
            err = (self.field(batch["coords"]) - batch["targets"]).square().mean(-1)
        self.field.accumulate(batch["coords"], err)
        if state.step % self.every == 0:
            self.field.advance()


_SASNET = "SAPE code: RFF 256 x std 20 + identity, 3 x 256 ReLU, 128^2 mask grid, eps 1e-3, lr 1e-3"
register_method("sape", "SAPE", sized=False, settings={
    "image": Setting(f"{_SASNET} [code]; H 211 [sized]", {"trainer.optim.lr": 1e-3, "field.hidden_features": 211},
                     quick={"field.num_frequencies": 64, "field.hidden_features": 128}),
    "image-sasnet": Setting(f"{_SASNET}, full batch (SASNet Table 1) [code]", {"trainer.optim.lr": 1e-3},
                            quick={"field.num_frequencies": 64, "field.hidden_features": 88},
                            medium={"field.num_frequencies": 64, "field.hidden_features": 67}),
})
