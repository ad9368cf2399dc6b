"""STAF, sinusoidal trainable activation functions (Morsali et al., "STAF: Sinusoidal Trainable
Activation Functions for Implicit Neural Representation", arXiv:2502.00869; methods.md §9.9):

    y = sum_{i=1..tau} b_i sin(w_i z + phi_i)          (+ z with the image skip connection)

``tau`` = 5 trainable triples (w_i, phi_i, b_i). [code, AlirezaMorsali/STAF ``modules/staf.py``] the
triples are shared by all neurons of a layer (``per_neuron=False``, the default); ``per_neuron=True``
gives every neuron its own tau triples (the per-neuron reading of the paper's text) [option]. Init
[code]: ``w_i = omega_0 U(0, 1)``, ``phi_i ~ U(±pi)``, ``b_i = sign(l) sqrt|l|`` with
``l ~ Laplace(0, 1/(2 tau))``; every Linear (read-out included) keeps PyTorch's default init (no SIREN
rule: omega_0 only scales the initial frequencies). The skip ``y + z`` is used in the hidden layers of
image fits, never in the first layer [code].

Defaults [code]: image first omega_0 60, hidden 30, skip on, lr 1e-3 with exp-decay(0.05) over 501
epochs of 4096-point batches on a x1/4 image; audio lr 2.5e-4, occupancy lr 2.5e-4 (both exp-decay
0.36). In inrkit's protocols the protocol schedule is kept and only the learning rate is STAF's;
audio and occupancy keep the image omegas without skip [default: the sources give no others].
Parameters: an ``mlp`` plus 3 tau per nonlinear layer (3 tau H per layer with ``per_neuron``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import torch
from torch import Tensor, nn

from inrkit.config import spec
from inrkit.fields.mlp import MLPConfig, register_preset
from inrkit.nn.activations import Activation
from inrkit.recipes.protocol import Setting, register_method
from inrkit.registry import ACTIVATIONS


@dataclass(frozen=True)
class StafActivationConfig:
    """STAF: sum_i b_i sin(w_i z + phi_i) with tau trainable triples."""

    #: scale of the initial frequencies w_i = omega_0 U(0, 1).
    omega_0: float = 30.0
    #: number tau of sinusoids in the sum.
    tau: int = 5
    #: add the pre-activation z (STAF's skip connection; image hidden layers).
    skip: bool = False
    #: every neuron has its own tau triples (False: shared by the layer, as in the code).
    per_neuron: bool = False
    #: layer width (filled in by the mlp; used with per_neuron).
    features: int = 256


def staf_parameters(tau: int, omega_0: float, shape: tuple[int, ...] = ()) -> tuple[Tensor, Tensor, Tensor]:
    """Initial (w, phi, b) of shape ``[*shape, tau]`` (module docstring)."""
    w = omega_0 * torch.rand(*shape, tau)
    phi = -math.pi + 2 * math.pi * torch.rand(*shape, tau)
    laplace = torch.distributions.Laplace(0.0, 1.0 / (2 * tau)).sample((*shape, tau))
    return w, phi, torch.sign(laplace) * laplace.abs().sqrt()


@ACTIVATIONS.register("staf", config=StafActivationConfig)
class Staf(Activation):
    """Trainable sum of sinusoids; PyTorch default init for the Linears around it."""

    def __init__(self, cfg: StafActivationConfig = StafActivationConfig()):
        super().__init__()
        if cfg.tau < 1:
            raise ValueError("STAF needs tau >= 1 sinusoids")
        self.skip = cfg.skip
        shape = (cfg.features,) if cfg.per_neuron else ()
        w, phi, b = staf_parameters(cfg.tau, float(cfg.omega_0), shape)
        self.w, self.phi, self.b = nn.Parameter(w), nn.Parameter(phi), nn.Parameter(b)

    def forward(self, z: Tensor) -> Tensor:
        # one [..., H] pass per sinusoid instead of a [..., H, tau] broadcast and sum (much faster on CPU)
        y = None
        for i in range(self.w.shape[-1]):
            term = self.b[..., i] * torch.sin(z * self.w[..., i] + self.phi[..., i])
            y = term if y is None else y + term
        return y + z if self.skip else y


@dataclass(frozen=True)
class StafConfig(MLPConfig):
    """STAF MLP (Morsali et al. 2025): first omega_0 60, hidden 30 with skip, tau 5 (image code)."""

    activation: Any = spec("activations", default_factory=lambda: StafActivationConfig(30.0, skip=True))
    first_activation: Any = spec("activations", default_factory=lambda: StafActivationConfig(60.0))


_PLAIN = {"field.activation.skip": False}
register_preset("staf", StafConfig)
register_method("staf", "STAF", settings={
    "image*": Setting("tau 5 per layer, omega_0 60/30, skip [code]; protocol lr"),
    "image": Setting("lr 1e-3 [code], protocol schedule", {"trainer.optim.lr": 1e-3}),
    "audio": Setting("tau 5, omega_0 60/30 [default], no skip, lr 2.5e-4 [code]; protocol schedule",
                     {"trainer.optim.lr": 2.5e-4, **_PLAIN}),
    "occupancy": Setting("tau 5, omega_0 60/30 [default], no skip, lr 2.5e-4 [code]; protocol schedule",
                         {"trainer.optim.lr": 2.5e-4, **_PLAIN}),
})
