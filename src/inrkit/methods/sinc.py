"""sinc activation (Saratchandran et al., "A sampling theory perspective on activations for implicit
neural representations", ICML 2024, arXiv:2402.05427): ``y = sin(omega z) / (omega z)``, 1 at z = 0.

methods.md §9.3. [default] omega = pi (the normalised sinc), SIREN-style init with omega in place of
omega_0, linear read-out; every protocol's own learning rate (SIREN's quick SDF decay for shapes).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import torch

from inrkit.config import spec
from inrkit.fields.mlp import MLPConfig, register_preset
from inrkit.nn.activations import Sine
from inrkit.recipes.protocol import Setting, register_method
from inrkit.registry import ACTIVATIONS


@dataclass(frozen=True)
class SincActivationConfig:
    """sinc: sin(omega z) / (omega z)."""

    #: frequency omega (pi: the normalised sinc).
    omega_0: float = math.pi


@ACTIVATIONS.register("sinc", config=SincActivationConfig)
class Sinc(Sine):
    """sin(omega z)/(omega z) via ``torch.sinc`` (finite value and gradient at 0); SIREN init rules."""

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return torch.sinc(z * (self.omega_0 / math.pi))


@dataclass(frozen=True)
class SincConfig(MLPConfig):
    """sinc MLP (Saratchandran et al. 2024), omega = pi, SIREN-style init."""

    activation: Any = spec("activations", default_factory=SincActivationConfig)


register_preset("sinc", SincConfig)
register_method("sinc", "sinc", settings={
    "image*": Setting("omega pi [default]"), "audio": Setting("omega pi [default]"),
    "volume": Setting("omega pi [default], lr 5e-4", {"trainer.optim.lr": 5e-4}),
    "shape": Setting("omega pi [default], lr 1e-4", quick={"trainer.optim.lr": 5e-4, "trainer.schedule.lr_min": 5e-5}),
})
