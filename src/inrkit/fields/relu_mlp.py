"""Plain ReLU coordinate MLP (the no-encoding baseline).

Rumelhart-style MLP with PyTorch default init; the spectral-bias baseline of Tancik et al. 2020
(arXiv:2006.10739). Output linear, or a sigmoid for targets in [0, 1] (Tancik's image setting).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from inrkit.fields.base import EncodedReLUField, MLPFieldConfig
from inrkit.registry import FIELDS


@dataclass(frozen=True)
class ReluMLPConfig(MLPFieldConfig):
    """ReLU MLP."""

    #: "none" (linear) or "sigmoid" read-out.
    output_activation: Literal["none", "sigmoid"] = "none"


@FIELDS.register("relu_mlp", config=ReluMLPConfig)
class ReluMLP(EncodedReLUField):
    """ReLU MLP on raw coordinates."""

    def __init__(self, cfg: ReluMLPConfig = ReluMLPConfig()):
        super().__init__(cfg, None, cfg.output_activation)
