"""FFN: Gaussian random Fourier features followed by a ReLU MLP, a preset of the composed ``mlp`` field.

Tancik et al., "Fourier Features Let Networks Learn High Frequency Functions in Low Dimensional
Domains", NeurIPS 2020, arXiv:2006.10739 (methods.md §2.1). Image defaults: m = 256 frequencies,
sigma = 10 (``field.encoding``), 4 linear maps of width 256 (``hidden_layers=2``), sigmoid output for
[0, 1] targets. The frequency matrix B has its own seed (``field.encoding.seed``), independent of the
training seed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from inrkit.config import spec
from inrkit.encodings.gaussian_fourier import GaussianFourierConfig
from inrkit.fields.mlp import MLPConfig, register_preset
from inrkit.fields.relu_mlp import relu


@dataclass(frozen=True)
class FFNConfig(MLPConfig):
    """Gaussian random Fourier features (m 256, sigma 10) + ReLU MLP, sigmoid out (Tancik image)."""

    hidden_layers: int = 2
    activation: Any = relu()
    encoding: Any = spec("encodings", default_factory=GaussianFourierConfig)
    output_activation: Literal["none", "sigmoid"] = "sigmoid"


register_preset("ffn", FFNConfig)
