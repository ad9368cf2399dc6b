"""SCONE: spatially collaged coordinate network (and its random-binary-mask ablation).

Li, Liu, Huang, Wong, "Learning Spatially Collaged Fourier Bases for Implicit Neural
Representation", AAAI 2024, arXiv:2312.17018; forward as in the official code jasonli0707/scone
``models/scone.py`` (methods.md §7.1):

    z_0 = x
    g_l = sin(omega_l (B_l x + c_l))                 basis, always from the raw coordinates
    m_l = sigma(omega_0 (W_l z_{l-1} + b_l))          mask in [0, 1] (sigma = sin^2 by default)
    z_l = m_l * g_l                                   l = 1 .. K
    y   = W_out z_K + b_out

Layer counting (``inrkit.nn.mlp``): ``hidden_layers = L`` gives K = L + 1 collage levels and a linear
read-out, so the paper's "5 layers" (K = 4) is ``hidden_layers=3`` — the same count as SIREN's "5
layers". ``omegas`` lists the basis frequencies of the levels; entries beyond K are ignored (code),
fewer than K is an error. Init (§7.2): mask layer 1 ``W, b ~ U(±1/d)``, later mask layers and the
read-out ``W, b ~ U(±sqrt(6/H)/omega_0)``, bases PyTorch default. ``train_bases``/``basis_bias``
default to the code (trainable B_l with a phase c_l, §7.3). At init the masks' means fall with depth
(about 0.50, 0.27, 0.14, 0.05) and the output std is about 3e-3 (§7.6).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import torch
from torch import Tensor, nn

from inrkit.fields.base import Field, MLPFieldConfig
from inrkit.nn.activations import default_init
from inrkit.nn.collage import MaskActivation, MaskActivationConfig, MaskKind, SineBasis
from inrkit.nn.mlp import INRLayer
from inrkit.registry import FIELDS


@dataclass(frozen=True)
class SconeConfig(MLPFieldConfig):
    """SCONE (official image configuration: H 250, K 4, omegas 90/60/30/10, omega_0 30)."""

    hidden_features: int = 250
    #: basis frequency omega_l of each collage level (first K = hidden_layers + 1 are used).
    omegas: tuple[float, ...] = (90.0, 60.0, 30.0, 10.0)
    #: mask input scale omega_0 (and the init scale of later mask layers and the read-out).
    omega_0: float = 30.0
    #: mask nonlinearity: sin2 (paper), sigmoid, gauss, nsin or ntanh.
    mask_activation: MaskKind = "sin2"
    #: one trainable mask scale per level, initialised to omega_0 (the "-L" ablation variants).
    learnable_scale: bool = False
    #: train the basis weights B_l and phases c_l (code: True).
    train_bases: bool = True
    #: give each basis a phase bias c_l (code: True).
    basis_bias: bool = True


def level_omegas(omegas: tuple[float, ...], levels: int) -> tuple[float, ...]:
    """The first ``levels`` basis frequencies; an error when fewer are given."""
    if len(omegas) < levels:
        raise ValueError(f"omegas has {len(omegas)} values for {levels} collage levels (hidden_layers + 1)")
    return tuple(float(w) for w in omegas[:levels])


def make_bases(in_features: int, width: int, omegas: tuple[float, ...], bias: bool, trainable: bool) -> nn.ModuleList:
    return nn.ModuleList(SineBasis(in_features, width, w, bias=bias, trainable=trainable) for w in omegas)


@FIELDS.register("scone", config=SconeConfig)
class Scone(Field):
    """SCONE (Li et al. 2024): sinusoidal bases gated by recursively computed spatial masks."""

    def __init__(self, cfg: SconeConfig = SconeConfig()):
        super().__init__()
        if cfg.hidden_layers < 0 or cfg.hidden_features < 1:
            raise ValueError("hidden_layers must be >= 0 and hidden_features >= 1")
        self.cfg = cfg
        self.in_features, self.out_features = cfg.in_features, cfg.out_features
        omegas = level_omegas(cfg.omegas, cfg.hidden_layers + 1)
        act = MaskActivationConfig(cfg.mask_activation, cfg.omega_0, cfg.learnable_scale)
        h = cfg.hidden_features
        self.mask_layers = nn.ModuleList(
            INRLayer(cfg.in_features if i == 0 else h, h, MaskActivation(act), first=i == 0)
            for i in range(len(omegas)))
        self.bases = make_bases(cfg.in_features, h, omegas, cfg.basis_bias, cfg.train_bases)
        self.output = nn.Linear(h, cfg.out_features)
        self.mask_layers[-1].activation.init_readout(self.output)

    def collage(self, x: Tensor) -> tuple[list[Tensor], Tensor]:
        """Masks of every level ``[*batch, H]`` and the last level's collage ``z_K``."""
        masks, z = [], x
        for mask_layer, basis in zip(self.mask_layers, self.bases, strict=True):
            m = mask_layer(z)
            z = m * basis(x)
            masks.append(m)
        return masks, z

    def masks(self, x: Tensor) -> dict[str, Tensor]:
        """Masks per collage level for analysis: ``{"level1": [*batch, H], ...}``."""
        return {f"level{i}": m for i, m in enumerate(self.collage(x)[0], start=1)}

    def forward(self, x: Tensor) -> Tensor:
        return self.output(self.collage(x)[1])


@dataclass(frozen=True)
class SconeRBMConfig(MLPFieldConfig):
    """SCONE random-binary-mask ablation (paper §Ablation; no code released)."""

    hidden_features: int = 250
    #: basis frequency omega_l of each level (first K = hidden_layers + 1 are used).
    omegas: tuple[float, ...] = (90.0, 60.0, 30.0, 10.0)
    #: train B_l, c_l.
    train_bases: bool = True
    #: give each basis a phase bias c_l.
    basis_bias: bool = True
    #: seed of the fixed binary masks (independent of the training seed).
    mask_seed: int = 0
    #: training grid [N_0, N_1, ...] (ij order) the masks are indexed by; None: a fine lattice (below).
    grid_shape: tuple[int, ...] | None = None
    #: sample positions of that grid: "endpoint" (SCONE code, linspace) or "center".
    coord_convention: Literal["endpoint", "center"] = "endpoint"
    #: coordinate range of every axis.
    coord_range: tuple[float, float] = (-1.0, 1.0)
    #: points per axis of the endpoint lattice used when grid_shape is None.
    lattice_points: int = 65537


_M32 = 0xFFFFFFFF


def _mul32(x: Tensor, c: int) -> Tensor:
    """``x * c mod 2^32`` for int64 ``x`` in [0, 2^32) without int64 overflow (16-bit split)."""
    lo, hi = x & 0xFFFF, x >> 16
    return (lo * c + (((hi * c) & 0xFFFF) << 16)) & _M32


def hash32(x: Tensor) -> Tensor:
    """A 32-bit integer mixer (lowbias32 constants) on int64 tensors holding values in [0, 2^32)."""
    x = x & _M32
    x = x ^ (x >> 16)
    x = _mul32(x, 0x7FEB352D)
    x = x ^ (x >> 15)
    x = _mul32(x, 0x846CA68B)
    return x ^ (x >> 16)


def nearest_index(x: Tensor, n: int, convention: str, lo: float, hi: float) -> Tensor:
    """Index (int64) of the nearest of ``n`` grid samples along one axis for coordinates ``x``."""
    t = (x.detach().double() - lo) / (hi - lo)
    q = torch.round(t * (n - 1)) if convention == "endpoint" else torch.floor(t * n)
    return q.clamp(0, n - 1).long()


def binary_masks(idx: Tensor, seed: int, level: int, width: int) -> Tensor:
    """Fixed Bernoulli(0.5) bits ``[*batch, width]`` (float) for grid indices ``idx [*batch, d]``.

    Each bit is one bit of ``hash32`` of (seed, level, per-axis indices, 32-channel word), so the same
    (pixel, channel, level, seed) always gets the same bit and nothing needs to be stored.
    """
    h = hash32(torch.full(idx.shape[:-1], (seed * 1_000_003 + level * 7919) & _M32, dtype=torch.long,
                          device=idx.device))
    for k in range(idx.shape[-1]):
        h = hash32(h ^ hash32(idx[..., k] + 0x9E3779B9 * (k + 1)))
    words = -(-width // 32)
    keys = hash32(torch.arange(words, dtype=torch.long, device=idx.device) * 0x85EBCA6B + 0x68E31DA4)
    w = hash32(h[..., None] ^ keys)  # [*B, words]
    bits = (w[..., None] >> torch.arange(32, device=idx.device)) & 1  # [*B, words, 32]
    return bits.flatten(-2)[..., :width]


@FIELDS.register("scone_rbm", config=SconeRBMConfig)
class SconeRBM(Field):
    """SCONE ablation with fixed random binary masks: z_l = M_l(pixel) * (W_l z_{l-1} + b_l) * g_l(x).

    The learned mask sigma(omega_0 (W z + b)) is replaced by a fixed {0, 1} mask per channel and
    training-grid pixel, drawn Bernoulli(0.5) from ``mask_seed`` [default density; methods.md §7.5];
    the linear map stays, without a nonlinearity, so deeper levels still read the previous level.
    A coordinate selects the mask of its nearest sample of the training grid (``grid_shape``,
    ``coord_convention``, ``coord_range``, ij order as ``inrkit.ops.coords``). With ``grid_shape=None``
    the nearest point of a fine endpoint lattice (``lattice_points`` per axis) is used instead; every
    training grid with fewer than about lattice_points / 2 samples per axis then gets one independent
    mask per pixel without being named, whatever its size or orientation. The masks are only
    meaningful on the training grid. Linear maps use PyTorch's default init [default]: without the
    omega_0 product, SCONE's U(±sqrt(6/H)/omega_0) would shrink each level ~30-fold.
    """

    def __init__(self, cfg: SconeRBMConfig = SconeRBMConfig()):
        super().__init__()
        if cfg.grid_shape is not None and len(cfg.grid_shape) != cfg.in_features:
            raise ValueError(f"grid_shape {cfg.grid_shape} has {len(cfg.grid_shape)} axes for "
                             f"in_features={cfg.in_features}")
        self.cfg = cfg
        self.in_features, self.out_features = cfg.in_features, cfg.out_features
        omegas = level_omegas(cfg.omegas, cfg.hidden_layers + 1)
        h = cfg.hidden_features
        self.linears = nn.ModuleList(nn.Linear(cfg.in_features if i == 0 else h, h) for i in range(len(omegas)))
        for lin in self.linears:
            default_init(lin)
        self.bases = make_bases(cfg.in_features, h, omegas, cfg.basis_bias, cfg.train_bases)
        self.output = nn.Linear(h, cfg.out_features)
        default_init(self.output)

    def pixel_index(self, x: Tensor) -> Tensor:
        """Per-axis index ``[*batch, d]`` of the nearest training-grid sample (or lattice point)."""
        lo, hi = self.cfg.coord_range
        if self.cfg.grid_shape is None:
            shape, conv = (self.cfg.lattice_points,) * self.in_features, "endpoint"
        else:
            shape, conv = self.cfg.grid_shape, self.cfg.coord_convention
        return torch.stack([nearest_index(x[..., k], n, conv, lo, hi) for k, n in enumerate(shape)], dim=-1)

    def masks(self, x: Tensor) -> dict[str, Tensor]:
        """The fixed binary masks per level: ``{"level1": [*batch, H], ...}`` (values 0 or 1)."""
        idx = self.pixel_index(x)
        width = self.cfg.hidden_features
        return {f"level{i + 1}": binary_masks(idx, self.cfg.mask_seed, i, width).to(x.dtype)
                for i in range(len(self.linears))}

    def forward(self, x: Tensor) -> Tensor:
        masks = list(self.masks(x).values())
        z = x
        for lin, basis, m in zip(self.linears, self.bases, masks, strict=True):
            z = m * lin(z) * basis(x)
        return self.output(z)
