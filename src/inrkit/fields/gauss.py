"""Gaussian-activated MLP, a preset of the composed ``mlp`` field.

Ramasinghe & Lucey, "Beyond Periodicity: Towards a Unifying Framework for Activations in
Coordinate-MLPs", ECCV 2022, arXiv:2111.15135. Every nonlinear layer computes ``exp(-(s z)^2)``
(paper form ``exp(-z^2 / (2 sigma^2))`` with ``s = 1/(sigma sqrt 2)``; ``field.activation.scale``);
output linear; PyTorch default init everywhere (methods.md §3).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from inrkit.config import spec
from inrkit.fields.mlp import MLPConfig, register_preset
from inrkit.nn.activations import GaussConfig as GaussActivationConfig


@dataclass(frozen=True)
class GaussConfig(MLPConfig):
    """Gaussian-activation MLP (Ramasinghe & Lucey 2022), s = 30 (FINER image default)."""

    activation: Any = spec("activations", default_factory=lambda: GaussActivationConfig(30.0))


register_preset("gauss", GaussConfig)
