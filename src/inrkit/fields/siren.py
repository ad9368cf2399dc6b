"""SIREN: sinusoidal representation network, a preset of the composed ``mlp`` field.

Sitzmann et al., "Implicit Neural Representations with Periodic Activation Functions", NeurIPS 2020,
arXiv:2006.09661. Forward (methods.md §1, as in the official code, bias inside the product):

    h_1 = sin(w0_first (W_1 x + b_1)),  h_{i+1} = sin(w0_hidden (W_{i+1} h_i + b_{i+1})),  y = W_out h + b_out

Init (the ``sine`` activation's rules): first layer U(±1/n), hidden and output U(±sqrt(6/n)/w0_hidden),
biases PyTorch default. ``field.first_activation.omega_0`` is w0_first (3000 for SIREN audio on [-1, 1]
coordinates), ``field.activation.omega_0`` is w0_hidden.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from inrkit.config import spec
from inrkit.fields.mlp import MLPConfig, register_preset
from inrkit.nn.activations import SineConfig


def sine(omega_0: float = 30.0) -> Any:
    """A ``sine`` activation field default with frequency ``omega_0``."""
    return spec("activations", default_factory=lambda: SineConfig(omega_0))


@dataclass(frozen=True)
class SirenConfig(MLPConfig):
    """SIREN (Sitzmann et al. 2020): sine MLP with the SIREN initialisation, omega_0 30/30."""

    first_activation: Any = sine(30.0)
    activation: Any = sine(30.0)


register_preset("siren", SirenConfig)
