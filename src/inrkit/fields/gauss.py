"""Gaussian-activated MLP.

Ramasinghe & Lucey, "Beyond Periodicity: Towards a Unifying Framework for Activations in
Coordinate-MLPs", ECCV 2022, arXiv:2111.15135. Every nonlinear layer computes ``exp(-(s z)^2)``
(paper form ``exp(-z^2 / (2 sigma^2))`` with ``s = 1/(sigma sqrt 2)``); output linear; PyTorch default
init everywhere (methods.md §3).
"""

from __future__ import annotations

from dataclasses import dataclass

from torch import Tensor

from inrkit.fields.base import Field, MLPFieldConfig
from inrkit.nn.activations import Gauss as GaussActivation
from inrkit.nn.activations import GaussConfig as GaussActivationConfig
from inrkit.nn.mlp import CoordinateMLP
from inrkit.registry import FIELDS


@dataclass(frozen=True)
class GaussConfig(MLPFieldConfig):
    """Gauss MLP (FINER image default s = 30)."""

    #: inverse width s of exp(-(s z)^2).
    scale: float = 30.0


@FIELDS.register("gauss", config=GaussConfig)
class Gauss(Field):
    """Gaussian-activation MLP (Ramasinghe & Lucey 2022)."""

    def __init__(self, cfg: GaussConfig = GaussConfig()):
        super().__init__()
        self.in_features, self.out_features = cfg.in_features, cfg.out_features
        act = GaussActivationConfig(cfg.scale)
        self.net = CoordinateMLP(
            cfg.in_features, cfg.hidden_features, cfg.hidden_layers, cfg.out_features,
            first_activation=GaussActivation(act), hidden_activation=lambda: GaussActivation(act),
        )

    def forward(self, x: Tensor) -> Tensor:
        return self.net(x)
