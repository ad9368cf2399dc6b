"""FFN: Gaussian random Fourier features followed by a ReLU MLP.

Tancik et al., "Fourier Features Let Networks Learn High Frequency Functions in Low Dimensional
Domains", NeurIPS 2020, arXiv:2006.10739 (methods.md §2.1). Image defaults: m = 256 frequencies,
sigma = 10, 4 linear maps of width 256 (``hidden_layers=2``), sigmoid output for [0, 1] targets.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from inrkit.encodings.gaussian_fourier import GaussianFourier, GaussianFourierConfig
from inrkit.fields.base import EncodedReLUField, MLPFieldConfig
from inrkit.registry import FIELDS


@dataclass(frozen=True)
class FFNConfig(MLPFieldConfig):
    """Gaussian Fourier-feature network (Tancik image defaults)."""

    hidden_layers: int = 2
    #: number m of random frequencies (encoding width 2 m).
    num_frequencies: int = 256
    #: standard deviation of the frequency matrix B (per unit of the coordinate range).
    sigma: float = 10.0
    #: seed of B (fixed per recipe, independent of the training seed).
    encoding_seed: int = 0
    #: train B (off in the paper).
    trainable_frequencies: bool = False
    #: "sigmoid" (Tancik image setting) or "none".
    output_activation: Literal["none", "sigmoid"] = "sigmoid"


@FIELDS.register("ffn", config=FFNConfig)
class FFN(EncodedReLUField):
    """Gaussian random Fourier features + ReLU MLP."""

    def __init__(self, cfg: FFNConfig = FFNConfig()):
        enc = GaussianFourier(GaussianFourierConfig(
            cfg.in_features, cfg.num_frequencies, cfg.sigma, cfg.encoding_seed, cfg.trainable_frequencies))
        super().__init__(cfg, enc, cfg.output_activation)
