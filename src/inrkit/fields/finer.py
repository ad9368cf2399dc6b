"""FINER: variable-periodic sine activations, a preset of the composed ``mlp`` field.

Liu et al., "FINER: Flexible spectral-bias tuning in Implicit NEural Representation by
Variable-periodic Activation Functions", CVPR 2024, arXiv:2312.02434. Eq. 4 of the paper:

    y = sin(w0 * (|z| + 1) * z),  z = W h + b

with the scale ``|z| + 1`` detached from autograd as in the official code (the ``finer`` activation's
``scale_grad=False``; methods.md §5.5). Weights are initialised as SIREN; the first-layer bias is U(±k)
when ``field.first_activation.first_bias_scale`` is set (FINER's SDF scripts use k = 1), PyTorch
default otherwise (the shipped image script).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from inrkit.config import spec
from inrkit.fields.mlp import MLPConfig, register_preset
from inrkit.nn.activations import FinerConfig as FinerActivationConfig


def finer(omega_0: float = 30.0, first_bias_scale: float | None = None) -> Any:
    """A ``finer`` activation field default."""
    return spec("activations", default_factory=lambda: FinerActivationConfig(omega_0, first_bias_scale))


@dataclass(frozen=True)
class FinerConfig(MLPConfig):
    """FINER (Liu et al. 2024): variable-periodic sine MLP, omega_0 30, default first bias."""

    first_activation: Any = finer(30.0)
    activation: Any = finer(30.0)


register_preset("finer", FinerConfig)
