"""WIRE: wavelet implicit neural representation with complex Gabor activations.

Saragadam et al., "WIRE: Wavelet Implicit Neural Representations", CVPR 2023, arXiv:2301.05187.
As released (vishwa91/wire ``modules/wire.py``; methods.md §4):

    h_1 = exp(j w0 z_1 - |s0 z_1|^2),  z_1 = W_1 x + b_1          (real first Linear)
    h_i = exp(j w0 z_i - |s0 z_i|^2),  z_i = W_i h_{i-1} + b_i      (complex Linears)
    y   = Re(W_out h + b_out)                                      (complex read-out, real part)

Width rule: the official constructor uses ``int(H / sqrt 2)`` neurons so a complex layer holds about
as many real numbers as a real one (``width_rule="divide_sqrt2"``, default); ``"as_given"`` keeps H.
Parameter counts report complex entries twice (real-equivalent) and once (``params_numel``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from torch import Tensor

from inrkit.fields.base import Field, MLPFieldConfig
from inrkit.nn.activations import Gabor, GaborConfig
from inrkit.nn.mlp import CoordinateMLP
from inrkit.registry import FIELDS


@dataclass(frozen=True)
class WireConfig(MLPFieldConfig):
    """WIRE (FINER image trainer defaults: omega_0 20, sigma_0 10)."""

    #: frequency omega_0 of the complex exponential.
    omega_0: float = 20.0
    #: inverse Gaussian width s_0.
    sigma_0: float = 10.0
    #: "divide_sqrt2" (official: int(H / sqrt 2) neurons) or "as_given".
    width_rule: Literal["divide_sqrt2", "as_given"] = "divide_sqrt2"


def effective_width(cfg: WireConfig) -> int:
    """Hidden width actually built under the width rule."""
    if cfg.width_rule == "divide_sqrt2":
        return int(cfg.hidden_features / math.sqrt(2))
    return cfg.hidden_features


@FIELDS.register("wire", config=WireConfig)
class Wire(Field):
    """WIRE (Saragadam et al. 2023): complex Gabor wavelet MLP."""

    def __init__(self, cfg: WireConfig = WireConfig()):
        super().__init__()
        self.in_features, self.out_features = cfg.in_features, cfg.out_features
        self.hidden_width = effective_width(cfg)
        act = GaborConfig(cfg.omega_0, cfg.sigma_0)
        self.net = CoordinateMLP(
            cfg.in_features, self.hidden_width, cfg.hidden_layers, cfg.out_features,
            first_activation=Gabor(act), hidden_activation=lambda: Gabor(act),
        )

    def forward(self, x: Tensor) -> Tensor:
        return self.net(x)
