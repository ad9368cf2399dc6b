"""SIREN: sinusoidal representation network.

Sitzmann et al., "Implicit Neural Representations with Periodic Activation Functions", NeurIPS 2020,
arXiv:2006.09661. Forward (methods.md §1, as in the official code, bias inside the product):

    h_1 = sin(w0_first (W_1 x + b_1)),  h_{i+1} = sin(w0_hidden (W_{i+1} h_i + b_{i+1})),  y = W_out h + b_out

Init: first layer U(±1/n), hidden and output U(±sqrt(6/n)/w0_hidden), biases PyTorch default.
"""

from __future__ import annotations

from dataclasses import dataclass

from torch import Tensor

from inrkit.fields.base import Field, MLPFieldConfig
from inrkit.nn.activations import Sine, SineConfig
from inrkit.nn.mlp import CoordinateMLP
from inrkit.registry import FIELDS


@dataclass(frozen=True)
class SirenConfig(MLPFieldConfig):
    """SIREN sizes and frequencies (image defaults of the official code)."""

    #: omega_0 of the first layer (3000 for SIREN audio on [-1, 1] coordinates).
    first_omega_0: float = 30.0
    #: omega_0 of the hidden layers (also scales the output init).
    hidden_omega_0: float = 30.0


@FIELDS.register("siren", config=SirenConfig)
class Siren(Field):
    """SIREN (Sitzmann et al. 2020): sine MLP with the SIREN initialisation."""

    def __init__(self, cfg: SirenConfig = SirenConfig()):
        super().__init__()
        self.in_features, self.out_features = cfg.in_features, cfg.out_features
        self.net = CoordinateMLP(
            cfg.in_features, cfg.hidden_features, cfg.hidden_layers, cfg.out_features,
            first_activation=Sine(SineConfig(cfg.first_omega_0)),
            hidden_activation=lambda: Sine(SineConfig(cfg.hidden_omega_0)),
        )

    def forward(self, x: Tensor) -> Tensor:
        return self.net(x)
