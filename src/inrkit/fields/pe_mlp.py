"""PE-MLP: NeRF positional encoding followed by a ReLU MLP.

Mildenhall et al. 2020 (arXiv:2003.08934) encoding, configured as FINER's ``PEMLP`` baseline by
default (F = 10 octaves, no pi factor, identity included; methods.md §2.2). Recipe names must say
which ``pi_factor`` they use. PyTorch default init (FINER image).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from inrkit.encodings.positional import Positional, PositionalConfig
from inrkit.fields.base import EncodedReLUField, MLPFieldConfig
from inrkit.registry import FIELDS


@dataclass(frozen=True)
class PEMLPConfig(MLPFieldConfig):
    """Positional encoding + ReLU MLP (FINER PE-MLP defaults)."""

    #: number of octaves F.
    num_frequencies: int = 10
    #: c in sin(2^k c x): 1.0 (FINER) or 3.14159... (NeRF).
    pi_factor: float = 1.0
    #: prepend the raw coordinates to the encoding.
    include_input: bool = True
    #: "none" (linear) or "sigmoid" read-out.
    output_activation: Literal["none", "sigmoid"] = "none"


@FIELDS.register("pe_mlp", config=PEMLPConfig)
class PEMLP(EncodedReLUField):
    """NeRF positional encoding + ReLU MLP."""

    def __init__(self, cfg: PEMLPConfig = PEMLPConfig()):
        enc = Positional(PositionalConfig(cfg.in_features, cfg.num_frequencies, cfg.pi_factor, cfg.include_input))
        super().__init__(cfg, enc, cfg.output_activation)
