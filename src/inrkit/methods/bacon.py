"""BACON, band-limited coordinate networks (Lindell et al., "BACON: Band-limited Coordinate Networks
for Multiscale Scene Representation", CVPR 2022, arXiv:2112.04645), from the paper and
computational-imaging/bacon ``modules.py`` (MultiscaleBACON). A multiplicative filter network
(``mfn.py``, methods.md §9.1) whose filters have **frozen, quantised** frequencies:

    z_0 = g_0(x),  z_i = g_i(x) ⊙ (W_i z_{i-1} + b_i),  y_i = W^out_i z_i + b^out_i  (i in output_layers)
    g_i(x) = sin(Omega_i x' + phi_i),   Omega_i[:, j] ∈ 2 pi {-m_i, ..., m_i},   m_i = round(f s_i / 2)

on BACON's domain x' ∈ [-0.5, 0.5]^d (x' = x * 0.5 / half_width; half_width 1 for inrkit's [-1, 1]
images, 0.5 for the SDF frame). ``f`` (``frequency``) is the network sample rate per unit length and
``s_i`` the layer's share of it (``input_scales``; empty: 1/(L+1) each [code]). A product of sines
only sums frequencies, so output i is band-limited to ``sum_{j<=i} m_j`` cycles per unit of x'
(``band_limits``; the last at most f/2). Omega integers are drawn uniformly per entry [code]; phi ~
U(±pi), hidden W ~ U(±sqrt(6/H)) with PyTorch-default biases, read-outs likewise [code]. Omega is
frozen (counted in ``params_frozen``); everything else trains.

``multiscale(x)`` returns every output (coarse to fine; ``forward`` is the last); with
``supervise_scales`` the fitting and SDF losses average the error over all outputs (BACON's
``multiscale_image_mse`` / ``multiscale_overfit_sdf``; fitting logs it as ``mse_scales``).
``reuse_filters`` shares equal-scale filters as the SDF code does (fewer than 9 filters: g_0 twice,
then the last one; 9 filters: g_2 x3, g_4 x2, g_6 x2, g_8 x2).

Differences from the code: only the read-outs listed in ``output_layers`` and the filters actually
used exist (the code also builds a read-out per unused layer, index 0 included, and unused filters
under ``reuse_filters``); the official image script fits one output channel, inrkit the signal's.
Defaults [code]: image H 256, L 4, f = resolution (256), s = (1/8, 1/8, 1/4, 1/4, 1/4), outputs
(1, 2, 4), Adam 5e-3; SDF H 256, L 8, f 384, s = (1/24 x3, 1/16 x2, 1/8 x2, 1/4 x2), outputs
(2, 4, 6, 8), reuse, lr 1e-2, coarse weight 1e-2 (the shape protocol's BACON schedule).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import Tensor, nn

from inrkit.fields.base import Field, MLPFieldConfig
from inrkit.recipes.protocol import Setting, register_method
from inrkit.registry import FIELDS


@dataclass(frozen=True)
class BaconConfig(MLPFieldConfig):
    """BACON (Lindell et al. 2022): quantised frozen filter frequencies, multiscale read-outs."""

    #: network sample rate f per unit length of BACON's [-0.5, 0.5] domain (band limit f / 2).
    frequency: float = 256.0
    #: share s_i of f per filter (L + 1 values); empty: 1 / (L + 1) each.
    input_scales: tuple[float, ...] = ()
    #: layers 1..L with a read-out (the last gives ``forward``); empty: every layer.
    output_layers: tuple[int, ...] = ()
    #: coordinates are in [-half_width, half_width]^d (mapped to [-0.5, 0.5]^d).
    half_width: float = 1.0
    #: share equal-scale filters as the SDF code does.
    reuse_filters: bool = False
    #: losses add the MSE of the coarser outputs (BACON's multiscale training).
    supervise_scales: bool = True

    def __post_init__(self) -> None:
        super().__post_init__()
        n = self.hidden_layers + 1
        if self.input_scales and len(self.input_scales) != n:
            raise ValueError(f"field.input_scales needs hidden_layers + 1 = {n} values")
        if any(not 1 <= i <= self.hidden_layers for i in self.output_layers):
            raise ValueError(f"field.output_layers must lie in 1..{self.hidden_layers}")
        if self.reuse_filters and n > 9:
            raise ValueError("field.reuse_filters follows the BACON code: at most 9 filters")


def reuse_map(n: int) -> list[int]:
    """Filter index used by each of the ``n`` layers under ``reuse_filters`` (the code's pattern)."""
    if n >= 9:
        return [2, 2, 2, 4, 4, 6, 6, 8, 8]
    return [0, 0] + [n - 1] * (n - 2) if n > 1 else [0]


class QuantisedFilter(nn.Module):
    """sin(Omega x + phi) with frozen Omega ∈ 2 pi {-m..m} per input column, trainable phi."""

    def __init__(self, d: int, h: int, m: int):
        super().__init__()
        self.m = m
        omega = (torch.randint(0, 2 * m + 1, (h, d)) - m).float() * (2 * math.pi)
        self.weight = nn.Parameter(omega, requires_grad=False)
        self.bias = nn.Parameter(torch.empty(h).uniform_(-math.pi, math.pi))

    def forward(self, x: Tensor) -> Tensor:
        return torch.sin(nn.functional.linear(x, self.weight, self.bias))


def _mfn_uniform(lin: nn.Linear) -> nn.Linear:
    bound = math.sqrt(6.0 / lin.in_features)
    nn.init.uniform_(lin.weight, -bound, bound)
    return lin


class BaconField(Field):
    """Band-limited multiplicative filter network with multiscale outputs (module docstring)."""

    def __init__(self, cfg: BaconConfig = BaconConfig()):
        super().__init__()
        self.cfg = cfg
        self.in_features, self.out_features = cfg.in_features, cfg.out_features
        n, h, d = cfg.hidden_layers + 1, cfg.hidden_features, cfg.in_features
        scales = cfg.input_scales or (1.0 / n,) * n
        self.m = [round(cfg.frequency * s / 2) for s in scales]  # cycles per unit of x'
        used = reuse_map(n) if cfg.reuse_filters else list(range(n))
        unique = sorted(set(used))
        self.filter_of_layer = [unique.index(i) for i in used]
        self.filters = nn.ModuleList(QuantisedFilter(d, h, self.m[i]) for i in unique)
        self.layer_m = [self.m[i] for i in used]
        self.linears = nn.ModuleList(_mfn_uniform(nn.Linear(h, h)) for _ in range(cfg.hidden_layers))
        self.output_layers = list(cfg.output_layers or range(1, n))
        self.outputs = nn.ModuleList(_mfn_uniform(nn.Linear(h, cfg.out_features)) for _ in self.output_layers)
        self.supervise_scales = cfg.supervise_scales and len(self.output_layers) > 1

    def band_limits(self) -> list[float]:
        """Upper band limit of each output (cycles per unit length of the field's input coordinates)."""
        per_unit = 0.5 / self.cfg.half_width
        return [sum(self.layer_m[: i + 1]) * per_unit for i in self.output_layers]

    def multiscale(self, x: Tensor) -> list[Tensor]:
        """Every output ``[*batch, out]`` of ``output_layers``, coarse to fine."""
        x = x * (0.5 / self.cfg.half_width)
        cache: dict[int, Tensor] = {}

        def g(layer: int) -> Tensor:
            k = self.filter_of_layer[layer]
            if k not in cache:
                cache[k] = self.filters[k](x)
            return cache[k]

        z, outs, last = g(0), [], self.output_layers[-1]
        heads = dict(zip(self.output_layers, self.outputs, strict=True))
        for i in range(1, last + 1):
            z = g(i) * self.linears[i - 1](z)
            if i in heads:
                outs.append(heads[i](z))
        return outs

    def forward(self, x: Tensor) -> Tensor:
        return self.multiscale(x)[-1]


FIELDS.register("bacon", config=BaconConfig, description="BACON (band-limited multiplicative filters)")(BaconField)
IMAGE = BaconConfig(hidden_layers=4, hidden_features=256, frequency=256.0,
                    input_scales=(1 / 8, 1 / 8, 1 / 4, 1 / 4, 1 / 4), output_layers=(1, 2, 4))
SDF = BaconConfig(in_features=3, out_features=1, hidden_layers=8, hidden_features=256, frequency=384.0,
                  input_scales=(1 / 24,) * 3 + (1 / 16,) * 2 + (1 / 8,) * 2 + (1 / 4,) * 2, output_layers=(2, 4, 6, 8),
                  half_width=0.5, reuse_filters=True)
register_method("bacon", "BACON", sized=False, settings={
    # [sized]: the code's H 256 with its per-layer filters and read-outs is 266,761 (image) / 528,388 (SDF)
    # parameters; the protocols' budgets (SIREN's count) give H 221 / 110 (image) and 128 / 64 (SDF)
    "image": Setting("H 221 (quick 110) [sized], L 4, s 1/8,1/8,1/4,1/4,1/4, outputs 1,2,4, lr 5e-3 [code]; "
                     "f = image side 512 [default]",
                     {"trainer.optim.lr": 5e-3, "field.frequency": 512.0, "field.hidden_features": 221}, field=IMAGE,
                     quick={"field.hidden_features": 110, "field.frequency": 192.0}),
    "shape": Setting("H 128 (quick 64) [sized], L 8, f 384, outputs 2,4,6,8, reuse filters, lr 1e-2 [code]",
                     {"trainer.optim.lr": 1e-2, "field.hidden_features": 128}, field=SDF,
                     quick={"field.hidden_features": 64}),
})
