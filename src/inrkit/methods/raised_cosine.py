"""Raised-cosine activation, the impulse-response form of the signal-processing INR survey's Table I
(MIRE/COSMO-RC family): with ``u = omega_0 z``,

    y = sinc(u / T) · cos(pi beta u / T) / (1 - (2 beta u / T)^2)        (sinc normalised)

methods.md §9.4 [default] form. The pulse omits the 1/T amplitude (1 at u = 0). Removable
singularity at |u| = T / (2 beta): with v = 2 beta u / T the second factor is rewritten exactly as
``(pi/2) sinc((1 - |v|)/2) / (1 + |v|)`` for |v| >= 1/2 (its value at |v| = 1 is pi/4, so the pulse
takes the limit (pi/4) sinc(1/(2 beta))), and evaluated directly for |v| < 1/2, so value, gradient and
second derivative are finite everywhere (sinc factors: a series near 0) with no perturbation of
s = (2 beta / T)^2. T, beta, real layers and the init are not fixed by the source; [default] T = 1,
beta = 0.5, real layers, SIREN-style init with omega_0 = 30 applied before the pulse,
linear read-out, every protocol's own learning rate.
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
class RaisedCosineActivationConfig:
    """Raised-cosine pulse of omega_0 z (module docstring)."""

    #: frequency omega_0 applied before the pulse (also scales the SIREN init bound).
    omega_0: float = 30.0
    #: symbol period T of the pulse.
    period: float = 1.0
    #: roll-off factor beta in [0, 1].
    beta: float = 0.5


def smooth_sinc(x: torch.Tensor) -> torch.Tensor:
    """sin(pi x)/(pi x) with value, gradient and second derivative finite at 0 (``torch.sinc``'s is NaN).

    |pi x| < 1e-2 uses the series 1 - (pi x)^2/6 + (pi x)^4/120 (remainder below 3e-16).
    """
    u = math.pi * x
    small = u.abs() < 1e-2
    u_small = torch.where(small, u, torch.zeros_like(u))
    u_large = torch.where(small, torch.ones_like(u), u)
    series = 1.0 - u_small.square() / 6.0 + u_small.pow(4) / 120.0
    return torch.where(small, series, torch.sin(u_large) / u_large)


def _rolloff(v: torch.Tensor) -> torch.Tensor:
    """cos(pi v / 2) / (1 - v^2), its removable singularity at |v| = 1 resolved exactly."""
    near = v.abs() < 0.5
    inner = torch.where(near, v, torch.zeros_like(v))
    outer = torch.where(near, torch.ones_like(v), v.abs())
    direct = torch.cos(0.5 * math.pi * inner) / (1.0 - inner.square())
    rewritten = 0.5 * math.pi * smooth_sinc(0.5 * (1.0 - outer)) / (1.0 + outer)
    return torch.where(near, direct, rewritten)


@ACTIVATIONS.register("raised_cosine", config=RaisedCosineActivationConfig)
class RaisedCosine(Sine):
    """Raised-cosine impulse response of omega_0 z with SIREN's init rules."""

    def __init__(self, cfg: RaisedCosineActivationConfig = RaisedCosineActivationConfig()):
        super().__init__(cfg)
        self.period, self.beta = float(cfg.period), float(cfg.beta)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        t = self.omega_0 * z / self.period
        return smooth_sinc(t) * _rolloff(2.0 * self.beta * t)


@dataclass(frozen=True)
class RaisedCosineConfig(MLPConfig):
    """Raised-cosine MLP, omega_0 30, T 1, beta 0.5, SIREN-style init [default]."""

    activation: Any = spec("activations", default_factory=RaisedCosineActivationConfig)


_WHY = "omega_0 30, T 1, beta 0.5 [default]"
register_preset("raised_cosine", RaisedCosineConfig)
register_method("raised_cosine", "raised cosine", settings={
    "image*": Setting(_WHY), "audio": Setting(_WHY),
    "volume": Setting(f"{_WHY}, lr 5e-4", {"trainer.optim.lr": 5e-4}),
    "shape": Setting(f"{_WHY}, lr 1e-4", quick={"trainer.optim.lr": 5e-4, "trainer.schedule.lr_min": 5e-5}),
})
