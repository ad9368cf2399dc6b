"""Plain ReLU coordinate MLP (the no-encoding baseline), a preset of the composed ``mlp`` field.

Rumelhart-style MLP with PyTorch default init; the spectral-bias baseline of Tancik et al. 2020
(arXiv:2006.10739). Output linear, or a sigmoid for targets in [0, 1] (Tancik's image setting).
Second derivatives of a ReLU network vanish almost everywhere, so double backward is not declared.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from inrkit.config import spec
from inrkit.fields.mlp import MLPConfig, register_preset
from inrkit.nn.activations import ReLUConfig


def relu() -> Any:
    """A ``relu`` activation field default."""
    return spec("activations", default_factory=ReLUConfig)


@dataclass(frozen=True)
class ReluMLPConfig(MLPConfig):
    """ReLU MLP on raw coordinates (PyTorch default init)."""

    activation: Any = relu()


register_preset("relu_mlp", ReluMLPConfig)
