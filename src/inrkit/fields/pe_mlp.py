"""PE-MLP: NeRF positional encoding followed by a ReLU MLP, a preset of the composed ``mlp`` field.

Mildenhall et al. 2020 (arXiv:2003.08934) encoding, configured as FINER's ``PEMLP`` baseline by
default (``field.encoding``: F = 10 octaves, no pi factor, identity included; methods.md §2.2). Recipe
names must say which ``pi_factor`` they use. PyTorch default init (FINER image).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from inrkit.config import spec
from inrkit.encodings.positional import PositionalConfig
from inrkit.fields.mlp import MLPConfig, register_preset
from inrkit.fields.relu_mlp import relu


@dataclass(frozen=True)
class PEMLPConfig(MLPConfig):
    """NeRF positional encoding (F 10, c 1, identity) + ReLU MLP (FINER PE-MLP defaults)."""

    activation: Any = relu()
    encoding: Any = spec("encodings", default_factory=PositionalConfig)


register_preset("pe_mlp", PEMLPConfig)
