"""FR, Fourier reparameterised training (Shi et al., "Improved Implicit Neural Representation with
Fourier Reparameterized Training", CVPR 2024, arXiv:2401.07402; methods.md §9.5).

Every hidden Linear holds ``W = Lambda B`` (+ bias, init 0): ``B`` (M x n_in, fixed buffer) has rows
``alpha cos(f p + phi)`` sampled at ``p = linspace(-T/2, T/2, n_in)``, ``T = 2 pi / min(f_low)``,
``f_low = {(i+1)/L_f}``, ``f_high = {1..H_f}``, ``phi = 2 pi k / P``; ``M = (L_f + H_f) P``; rows are
ordered frequency-major (low frequencies first), phase-minor [default: order is not fixed by the
paper and changes only the RNG order of the init]. ``Lambda`` (out x M, trainable) column i ~
``U(±sqrt(6/M) / ||B_i||)``, divided by omega_0 when the activation is a sine (``sin+fr``). First layer
and read-out are ordinary; the ``relu+fr`` read-out is ``U(±sqrt(6/H))`` [code, LabShuHangGU/FR-INR].

Counting: ``params`` is what is **trained** (Lambda, biases, first layer, read-out; the basis is a
buffer), ``params_merged`` the deployed plain network after ``merged()`` folds ``Lambda B`` into one
weight (the count methods.md §0.3 compares with papers).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from inrkit.config import spec
from inrkit.fields.mlp import MLPConfig, MLPField
from inrkit.nn.activations import ReLUConfig, Sine
from inrkit.recipes.protocol import Setting, register_method
from inrkit.registry import FIELDS


def fourier_basis(n_in: int, low: int, high: int, phases: int, alpha: float) -> Tensor:
    """The fixed basis B of shape ((low + high) * phases, n_in) (module docstring)."""
    freqs = torch.cat([torch.arange(1, low + 1, dtype=torch.float64) / low,
                       torch.arange(1, high + 1, dtype=torch.float64)])
    period = 2 * math.pi / freqs.min()
    p = torch.linspace(-period / 2, period / 2, n_in, dtype=torch.float64)
    phi = 2 * math.pi * torch.arange(phases, dtype=torch.float64) / phases
    rows = alpha * torch.cos(freqs[:, None, None] * p[None, None, :] + phi[None, :, None])
    return rows.reshape(-1, n_in).float()


class FourierLinear(nn.Module):
    """A Linear whose weight is ``Lambda B`` with a fixed Fourier basis B."""

    def __init__(self, n_in: int, n_out: int, basis: Tensor, omega_0: float = 1.0):
        super().__init__()
        self.in_features, self.out_features = n_in, n_out
        self.register_buffer("basis", basis, persistent=False)  # a function of the config: rebuilt, not saved
        m = basis.shape[0]
        bound = math.sqrt(6.0 / m) / basis.norm(dim=1) / omega_0
        self.coefficients = nn.Parameter((torch.rand(n_out, m) * 2 - 1) * bound)
        self.bias = nn.Parameter(torch.zeros(n_out))

    @property
    def weight(self) -> Tensor:
        return self.coefficients @ self.basis

    def forward(self, h: Tensor) -> Tensor:
        return F.linear(h, self.weight, self.bias)


@dataclass(frozen=True)
class FRConfig(MLPConfig):
    """FR (Shi et al. 2024): relu+fr MLP, L_f = H_f = 128, P = 32, alpha 0.05 (image code)."""

    activation: Any = spec("activations", default_factory=ReLUConfig)
    #: L_f, number of low frequencies (i+1)/L_f.
    low_frequencies: int = 128
    #: H_f, number of integer frequencies 1..H_f.
    high_frequencies: int = 128
    #: P, phases per frequency.
    phases: int = 32
    #: alpha, basis amplitude (0.01 in the sine variant's image code, 1e-3 for 3D occupancy).
    alpha: float = 0.05


@FIELDS.register("fr", config=FRConfig, description="Fourier reparameterised MLP (relu+fr / sin+fr)")
class FRField(MLPField):
    """An ``mlp`` whose hidden Linears are ``FourierLinear`` (module docstring)."""

    def __init__(self, cfg: FRConfig = FRConfig()):
        super().__init__(cfg)
        self._cfg = cfg
        h = self.hidden_width
        basis = fourier_basis(h, cfg.low_frequencies, cfg.high_frequencies, cfg.phases, cfg.alpha)
        for layer in self.net.layers[1:]:
            omega = layer.activation.omega_0 if isinstance(layer.activation, Sine) else 1.0
            layer.linear = FourierLinear(h, h, basis, omega)
        if not isinstance(self.net.layers[-1].activation, Sine):
            with torch.no_grad():
                self.net.output.weight.uniform_(-math.sqrt(6.0 / h), math.sqrt(6.0 / h))

    def merged(self) -> MLPField:
        """The deployed plain ``mlp``: every ``Lambda B`` folded into one weight (same outputs)."""
        plain = MLPField(self._cfg)
        with torch.no_grad():
            plain.encoding.load_state_dict(self.encoding.state_dict())
            for mine, theirs in zip(self.net.layers, plain.net.layers, strict=True):
                theirs.linear.weight.copy_(mine.linear.weight)
                theirs.linear.bias.copy_(mine.linear.bias)
            plain.net.output.load_state_dict(self.net.output.state_dict())
        return plain

    def parameter_counts(self) -> dict[str, int]:
        """``params``: trained (Lambda, not W); ``params_merged``: the deployed plain network."""
        counts = super().parameter_counts()
        fr = [m for m in self.modules() if isinstance(m, FourierLinear)]
        counts["params_merged"] = counts["params"] - sum(m.coefficients.numel() - m.weight.numel() for m in fr)
        counts["params_deployed"] = counts["params_merged"]
        return counts


_IMAGE = Setting("relu+fr, L_f = H_f = 128, P 32, alpha 0.05, lr 1e-4 (protocol schedule; the code's "
                 "StepLR(3000, 0.1) is not applied) [code]", {"trainer.optim.lr": 1e-4})
register_method("fr", "FR", settings={"image": _IMAGE})
