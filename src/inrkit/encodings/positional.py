"""NeRF-style deterministic positional encoding.

Mildenhall et al., "NeRF", ECCV 2020, arXiv:2003.08934, Eq. 4:
``gamma(x) = [x, sin(2^0 c x), cos(2^0 c x), ..., sin(2^{F-1} c x), cos(2^{F-1} c x)]``.
``c = pi`` in NeRF and the SIREN/WIRE ports, ``c = 1`` in FINER's PE-MLP (methods.md §2.2).
Ordering follows FINER's code: identity first, then for each k the sines of all coordinates, then
their cosines. Output width ``d (2F + 1)`` with the identity, ``2 d F`` without.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor

from inrkit.encodings.base import Encoding
from inrkit.registry import ENCODINGS
from inrkit.validate import check


@dataclass(frozen=True)
class PositionalConfig:
    """Positional encoding settings."""

    #: coordinate dimension d.
    in_features: int = 2
    #: number of octaves F (k = 0 .. F-1).
    num_frequencies: int = 10
    #: factor c in sin(2^k c x): 1.0 (FINER) or pi (NeRF).
    pi_factor: float = 1.0
    #: prepend the raw coordinates.
    include_input: bool = True

    def __post_init__(self) -> None:
        check(self, "encoding", in_features=">=1", num_frequencies=">=0", pi_factor=">0")


@ENCODINGS.register("positional", config=PositionalConfig)
class Positional(Encoding):
    """Deterministic sin/cos octaves of every coordinate."""

    def __init__(self, cfg: PositionalConfig = PositionalConfig()):
        super().__init__()
        self.in_features = cfg.in_features
        self.include_input = cfg.include_input
        freqs = cfg.pi_factor * 2.0 ** torch.arange(cfg.num_frequencies, dtype=torch.float32)
        self.register_buffer("freqs", freqs, persistent=False)
        self.out_features = cfg.in_features * (2 * cfg.num_frequencies + int(cfg.include_input))

    def forward(self, x: Tensor) -> Tensor:
        scaled = x.unsqueeze(-2) * self.freqs.to(x.dtype)[:, None]  # [*B, F, d]
        parts = torch.stack([torch.sin(scaled), torch.cos(scaled)], dim=-2)  # [*B, F, 2, d]
        enc = parts.flatten(-3)
        return torch.cat([x, enc], dim=-1) if self.include_input else enc
