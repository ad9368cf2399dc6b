"""HOSC, the hyperbolic oscillator (Serrano et al., "HOSC: A Periodic Activation Function for
Preserving Sharp Features in Implicit Neural Representations", arXiv:2401.10967):
``y = tanh(beta sin(omega_0 z))`` (v2 of the paper; Lipschitz bound beta omega_0; v1 has omega_0 = 1).

methods.md §9.2. The source material fixes neither the init nor per-task values; [default]: SIREN
initialisation with omega_0 in place of SIREN's, omega_0 = 30, beta = 8 fixed (AdaHOSC's trainable
beta is not built), linear read-out with the SIREN hidden bound, every protocol's own learning rate
(as for ``sinc``). Large beta makes the unit a near square wave of the sine's sign.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch

from inrkit.config import spec
from inrkit.fields.mlp import MLPConfig, register_preset
from inrkit.nn.activations import Sine
from inrkit.recipes.protocol import Setting, register_method
from inrkit.registry import ACTIVATIONS


@dataclass(frozen=True)
class HoscActivationConfig:
    """HOSC: tanh(beta sin(omega_0 z))."""

    #: frequency omega_0 inside the sine (also scales the SIREN init bound).
    omega_0: float = 30.0
    #: sharpness beta of the tanh [default 8].
    beta: float = 8.0


@ACTIVATIONS.register("hosc", config=HoscActivationConfig)
class Hosc(Sine):
    """tanh(beta sin(omega_0 z)) with SIREN's init rules for the Linears around it."""

    def __init__(self, cfg: HoscActivationConfig = HoscActivationConfig()):
        super().__init__(cfg)
        self.beta = float(cfg.beta)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return torch.tanh(self.beta * torch.sin(self.omega_0 * z))


@dataclass(frozen=True)
class HoscConfig(MLPConfig):
    """HOSC MLP (Serrano et al. 2024), omega_0 30, beta 8, SIREN-style init [default]."""

    activation: Any = spec("activations", default_factory=HoscActivationConfig)


_WHY = "omega_0 30, beta 8 [default]"
register_preset("hosc", HoscConfig)
register_method("hosc", "HOSC", settings={
    "image*": Setting(_WHY), "audio": Setting(f"{_WHY}, first omega_0 3000 (SIREN audio)",
                                              {"field.first_activation.type": "hosc",
                                               "field.first_activation.omega_0": 3000.0}),
    "volume": Setting(f"{_WHY}, lr 5e-4", {"trainer.optim.lr": 5e-4}),
    "shape": Setting(f"{_WHY}, lr 1e-4", quick={"trainer.optim.lr": 5e-4, "trainer.schedule.lr_min": 5e-5}),
})
