"""Plain ReLU coordinate MLP (the no-encoding baseline).

Rumelhart-style MLP with PyTorch default init; the spectral-bias baseline of Tancik et al. 2020
(arXiv:2006.10739). Output linear, or a sigmoid for targets in [0, 1] (Tancik's image setting).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from torch import Tensor

from inrkit.fields.base import Field, MLPFieldConfig
from inrkit.nn.activations import ReLU
from inrkit.nn.mlp import CoordinateMLP
from inrkit.registry import FIELDS


@dataclass(frozen=True)
class ReluMLPConfig(MLPFieldConfig):
    """ReLU MLP."""

    #: "none" (linear) or "sigmoid" read-out.
    output_activation: Literal["none", "sigmoid"] = "none"


@FIELDS.register("relu_mlp", config=ReluMLPConfig)
class ReluMLP(Field):
    """ReLU MLP on raw coordinates."""

    supports_double_backward = False  # second derivatives of a ReLU MLP are zero almost everywhere

    def __init__(self, cfg: ReluMLPConfig = ReluMLPConfig()):
        super().__init__()
        self.in_features, self.out_features = cfg.in_features, cfg.out_features
        self.net = CoordinateMLP(
            cfg.in_features, cfg.hidden_features, cfg.hidden_layers, cfg.out_features,
            first_activation=ReLU(), hidden_activation=ReLU, output_activation=cfg.output_activation,
        )

    def forward(self, x: Tensor) -> Tensor:
        return self.net(x)
