"""Gaussian random Fourier features.

Tancik et al., "Fourier Features Let Networks Learn High Frequency Functions in Low Dimensional
Domains", NeurIPS 2020, arXiv:2006.10739, Eq. 5 with Gaussian B:
``gamma(x) = [cos(2 pi B x), sin(2 pi B x)]``, ``B_ij ~ N(0, sigma^2)``, width ``2 m`` (cos first, as
the paper's formula; methods.md §2.1). B is a fixed buffer drawn from a generator seeded with
``seed`` (independent of the global seed) unless ``trainable``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import Tensor, nn

from inrkit.encodings.base import Encoding
from inrkit.registry import ENCODINGS
from inrkit.validate import check


@dataclass(frozen=True)
class GaussianFourierConfig:
    """Random Fourier feature settings."""

    #: coordinate dimension d.
    in_features: int = 2
    #: number m of frequencies (output width 2 m).
    num_frequencies: int = 256
    #: standard deviation sigma of the Gaussian frequency matrix B.
    sigma: float = 10.0
    #: seed of the generator drawing B.
    seed: int = 0
    #: make B a trainable parameter (off in the paper).
    trainable: bool = False

    def __post_init__(self) -> None:
        check(self, "encoding", in_features=">=1", num_frequencies=">=1", sigma=">=0")


@ENCODINGS.register("gaussian_fourier", config=GaussianFourierConfig)
class GaussianFourier(Encoding):
    """cos/sin of 2 pi B x with a Gaussian B."""

    def __init__(self, cfg: GaussianFourierConfig = GaussianFourierConfig()):
        super().__init__()
        self.in_features = cfg.in_features
        self.out_features = 2 * cfg.num_frequencies
        gen = torch.Generator().manual_seed(cfg.seed)
        b = torch.randn(cfg.num_frequencies, cfg.in_features, generator=gen) * cfg.sigma
        if cfg.trainable:
            self.B = nn.Parameter(b)
        else:
            self.register_buffer("B", b)

    def forward(self, x: Tensor) -> Tensor:
        proj = 2 * math.pi * x @ self.B.to(x.dtype).T  # [*B, m]
        return torch.cat([torch.cos(proj), torch.sin(proj)], dim=-1)
