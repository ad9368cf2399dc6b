"""FINER: flexible spectral-bias tuning with variable-periodic sine activations.

Liu et al., "FINER: Flexible spectral-bias tuning in Implicit NEural Representation by
Variable-periodic Activation Functions", CVPR 2024, arXiv:2312.02434. Eq. 4 of the paper:

    y = sin(w0 * (|z| + 1) * z),  z = W h + b

with the scale ``|z| + 1`` detached from autograd as in the official code (``scale_grad=False``;
methods.md §5.5). Weights are initialised as SIREN; the first-layer bias is U(±k) when
``first_bias_scale`` is set (FINER's SDF scripts use k = 1), PyTorch default otherwise (the shipped
image script).
"""

from __future__ import annotations

from dataclasses import dataclass

from torch import Tensor

from inrkit.fields.base import Field, MLPFieldConfig
from inrkit.nn.activations import Finer as FinerActivation
from inrkit.nn.activations import FinerConfig as FinerActivationConfig
from inrkit.nn.mlp import CoordinateMLP
from inrkit.registry import FIELDS


@dataclass(frozen=True)
class FinerConfig(MLPFieldConfig):
    """FINER sizes and frequencies (official image defaults)."""

    #: omega_0 of the first layer.
    first_omega_0: float = 30.0
    #: omega_0 of the hidden layers.
    hidden_omega_0: float = 30.0
    #: first-layer bias range k; None = PyTorch default bias (official image script).
    first_bias_scale: float | None = None
    #: let gradients flow through |z| + 1 (False = official detached scale).
    scale_grad: bool = False


@FIELDS.register("finer", config=FinerConfig)
class Finer(Field):
    """FINER (Liu et al. 2024): variable-periodic sine MLP."""

    def __init__(self, cfg: FinerConfig = FinerConfig()):
        super().__init__()
        self.in_features, self.out_features = cfg.in_features, cfg.out_features
        first = FinerActivationConfig(cfg.first_omega_0, cfg.first_bias_scale, cfg.scale_grad)
        hidden = FinerActivationConfig(cfg.hidden_omega_0, None, cfg.scale_grad)
        self.net = CoordinateMLP(
            cfg.in_features, cfg.hidden_features, cfg.hidden_layers, cfg.out_features,
            first_activation=FinerActivation(first),
            hidden_activation=lambda: FinerActivation(hidden),
        )

    def forward(self, x: Tensor) -> Tensor:
        return self.net(x)
