"""Activations of coordinate networks; each owns the initialisation of the Linear layer feeding it.

An activation knows how the Linear map *before* it must be initialised (``init_linear``) and how the
linear read-out *after the last* activation of its kind must be initialised (``init_readout``), so no
field copies init code. Activations with complex output (WIRE) say so with ``complex_output``; the
next Linear is then complex.

Papers:
  * sine — SIREN, Sitzmann et al. 2020 (arXiv:2006.09661), Sec. 3.2: ``sin(omega_0 (W x + b))``,
    first layer ``U(±1/n)``, later layers ``U(±sqrt(6/n)/omega_0)`` [code, vsitzmann/siren].
  * gauss — Ramasinghe & Lucey 2022 (arXiv:2111.15135): ``exp(-(s z)^2)``, PyTorch default init.
  * gabor — WIRE, Saragadam et al. 2023 (arXiv:2301.05187), Eq. 5 as released:
    ``exp(j omega_0 z - |s_0 z|^2)``, complex, PyTorch default init on real and imaginary parts.
  * finer — FINER, Liu et al. 2024 (arXiv:2312.02434), Eq. 4: ``sin(omega_0 (|z| + 1) z)`` with the
    scale ``|z| + 1`` detached as in the official code; SIREN weight init, first bias ``U(±k)``.
  * relu / identity — ReLU MLPs (PyTorch default init).
  * tanh — the PINN baseline (Raissi et al. 2019, J. Comput. Phys. 378): ``tanh(z)`` with Xavier
    (Glorot) normal weights and zero biases for every Linear, read-out included (protocols.md §10.4).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import Tensor, nn

from inrkit.nn.fused import gabor_wavelet, gaussian
from inrkit.registry import ACTIVATIONS


def _uniform_(t: Tensor, bound: float) -> None:
    """U(±bound) in place; for complex tensors real and imaginary parts are drawn separately."""
    with torch.no_grad():
        view = torch.view_as_real(t) if t.is_complex() else t
        view.uniform_(-bound, bound)


def default_init(linear: nn.Linear) -> None:
    """PyTorch's default Linear init ``U(±1/sqrt(n))``, applied to complex weights part-wise."""
    bound = 1.0 / math.sqrt(linear.in_features)
    _uniform_(linear.weight, bound)
    if linear.bias is not None:
        _uniform_(linear.bias, bound)


class Activation(nn.Module):
    """Base class: a pointwise nonlinearity plus the init rules of its neighbouring Linears."""

    complex_output: bool = False
    #: second input derivatives are meaningful (False for piecewise-linear activations such as ReLU).
    smooth: bool = True

    def init_linear(self, linear: nn.Linear, first: bool) -> None:
        """Initialise the Linear whose output this activation receives."""
        default_init(linear)

    def init_readout(self, linear: nn.Linear) -> None:
        """Initialise the final linear read-out that follows the last activation of this kind."""
        default_init(linear)


@dataclass(frozen=True)
class ReLUConfig:
    """ReLU: max(0, z)."""


@ACTIVATIONS.register("relu", config=ReLUConfig)
class ReLU(Activation):
    """ReLU with PyTorch default Linear init."""

    smooth = False

    def __init__(self, cfg: ReLUConfig | None = None):
        super().__init__()

    def forward(self, z: Tensor) -> Tensor:
        return torch.relu(z)


@dataclass(frozen=True)
class SineConfig:
    """SIREN sine."""

    #: frequency multiplier omega_0 inside the sine: sin(omega_0 (W x + b)).
    omega_0: float = 30.0


def siren_init(linear: nn.Linear, omega_0: float, first: bool) -> None:
    """SIREN weight init: first layer U(±1/n), otherwise U(±sqrt(6/n)/omega_0); default bias."""
    default_init(linear)
    n = linear.in_features
    _uniform_(linear.weight, 1.0 / n if first else math.sqrt(6.0 / n) / omega_0)


@ACTIVATIONS.register("sine", config=SineConfig)
class Sine(Activation):
    """sin(omega_0 z); SIREN init for the Linear before it and for the read-out."""

    def __init__(self, cfg: SineConfig = SineConfig()):
        super().__init__()
        self.omega_0 = float(cfg.omega_0)

    def init_linear(self, linear: nn.Linear, first: bool) -> None:
        siren_init(linear, self.omega_0, first)

    def init_readout(self, linear: nn.Linear) -> None:
        siren_init(linear, self.omega_0, first=False)

    def forward(self, z: Tensor) -> Tensor:
        return torch.sin(self.omega_0 * z)


@dataclass(frozen=True)
class GaussConfig:
    """Gaussian activation exp(-(s z)^2)."""

    #: inverse width s (paper sigma: s = 1 / (sigma sqrt 2)).
    scale: float = 30.0


@ACTIVATIONS.register("gauss", config=GaussConfig)
class Gauss(Activation):
    """exp(-(s z)^2) with PyTorch default init."""

    def __init__(self, cfg: GaussConfig = GaussConfig()):
        super().__init__()
        self.scale = float(cfg.scale)

    def forward(self, z: Tensor) -> Tensor:
        return gaussian(z, self.scale)  # exp(-(s z)^2), fast kernel (inrkit.nn.fused)


@dataclass(frozen=True)
class GaborConfig:
    """WIRE complex Gabor wavelet exp(j omega_0 z - |s_0 z|^2)."""

    #: frequency of the complex exponential.
    omega_0: float = 20.0
    #: inverse width of the Gaussian envelope.
    sigma_0: float = 10.0


@ACTIVATIONS.register("gabor", config=GaborConfig)
class Gabor(Activation):
    """WIRE's complex Gabor wavelet; real input (first layer) or complex input (later layers)."""

    complex_output = True

    def __init__(self, cfg: GaborConfig = GaborConfig()):
        super().__init__()
        self.omega_0 = float(cfg.omega_0)
        self.sigma_0 = float(cfg.sigma_0)

    def forward(self, z: Tensor) -> Tensor:
        return gabor_wavelet(z, self.omega_0, self.sigma_0)  # exp(j w0 z - |s0 z|^2) (inrkit.nn.fused)


@dataclass(frozen=True)
class FinerConfig:
    """FINER variable-periodic sine sin(omega_0 (|z| + 1) z)."""

    #: frequency multiplier omega_0.
    omega_0: float = 30.0
    #: first-layer bias range k (bias ~ U(±k)); None keeps PyTorch's default bias.
    first_bias_scale: float | None = None
    #: False (official): the scale |z|+1 is detached, so gradients see omega_0 (|z|+1) cos(.).
    scale_grad: bool = False


@ACTIVATIONS.register("finer", config=FinerConfig)
class Finer(Activation):
    """FINER activation with SIREN weight init and the optional first-bias range."""

    def __init__(self, cfg: FinerConfig = FinerConfig()):
        super().__init__()
        self.omega_0 = float(cfg.omega_0)
        self.first_bias_scale = cfg.first_bias_scale
        self.scale_grad = cfg.scale_grad

    def init_linear(self, linear: nn.Linear, first: bool) -> None:
        siren_init(linear, self.omega_0, first)
        if first and self.first_bias_scale is not None and linear.bias is not None:
            _uniform_(linear.bias, self.first_bias_scale)

    def init_readout(self, linear: nn.Linear) -> None:
        siren_init(linear, self.omega_0, first=False)

    def forward(self, z: Tensor) -> Tensor:
        alpha = z.abs() + 1.0
        if not self.scale_grad:
            alpha = alpha.detach()
        return torch.sin(self.omega_0 * alpha * z)


@dataclass(frozen=True)
class TanhConfig:
    """tanh(z) with Xavier-normal weights and zero biases (PINN baseline)."""


def xavier_normal_zero_bias(linear: nn.Linear) -> None:
    """Glorot normal ``N(0, 2 / (fan_in + fan_out))`` weights and zero biases."""
    with torch.no_grad():
        nn.init.xavier_normal_(linear.weight)
        if linear.bias is not None:
            linear.bias.zero_()


@ACTIVATIONS.register("tanh", config=TanhConfig)
class Tanh(Activation):
    """tanh; Xavier-normal / zero-bias init for the Linear before it and for the read-out."""

    def __init__(self, cfg: TanhConfig | None = None):
        super().__init__()

    def init_linear(self, linear: nn.Linear, first: bool) -> None:
        xavier_normal_zero_bias(linear)

    def init_readout(self, linear: nn.Linear) -> None:
        xavier_normal_zero_bias(linear)

    def forward(self, z: Tensor) -> Tensor:
        return torch.tanh(z)
