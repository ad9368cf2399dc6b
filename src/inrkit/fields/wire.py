"""WIRE: complex Gabor wavelet activations, a preset of the composed ``mlp`` field.

Saragadam et al., "WIRE: Wavelet Implicit Neural Representations", CVPR 2023, arXiv:2301.05187.
As released (vishwa91/wire ``modules/wire.py``; methods.md §4):

    h_1 = exp(j w0 z_1 - |s0 z_1|^2),  z_1 = W_1 x + b_1          (real first Linear)
    h_i = exp(j w0 z_i - |s0 z_i|^2),  z_i = W_i h_{i-1} + b_i      (complex Linears)
    y   = Re(W_out h + b_out)                                      (complex read-out, real part)

``field.activation.omega_0`` / ``field.activation.sigma_0`` are w0 / s0. Width rule: the official
constructor uses ``int(H / sqrt 2)`` neurons so a complex layer holds about as many real numbers as a
real one (``width_rule="divide_sqrt2"``, default here); ``"as_given"`` keeps H. Parameter counts report
complex entries twice (real-equivalent) and once (``params_numel``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from inrkit.config import spec
from inrkit.fields.mlp import MLPConfig, register_preset
from inrkit.nn.activations import GaborConfig


def gabor(omega_0: float = 20.0, sigma_0: float = 10.0) -> Any:
    """A ``gabor`` activation field default."""
    return spec("activations", default_factory=lambda: GaborConfig(omega_0, sigma_0))


@dataclass(frozen=True)
class WireConfig(MLPConfig):
    """WIRE (Saragadam et al. 2023): complex Gabor MLP, omega_0 20, s_0 10, int(H/sqrt 2) neurons."""

    activation: Any = gabor(20.0, 10.0)
    width_rule: Literal["as_given", "divide_sqrt2"] = "divide_sqrt2"


register_preset("wire", WireConfig)
