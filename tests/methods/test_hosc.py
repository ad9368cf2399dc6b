"""HOSC (methods.md §9.2): hand-computed values of tanh(beta sin(omega_0 z))."""

from __future__ import annotations

import math

import torch

from inrkit.registry import ACTIVATIONS, FIELDS, RECIPES


def test_hosc_values_by_hand():
    act = ACTIVATIONS.create("hosc", omega_0=1.0, beta=2.0)
    z = torch.tensor([0.0, math.pi / 6, math.pi / 2, -math.pi / 2])
    expected = torch.tensor([0.0, math.tanh(1.0), math.tanh(2.0), -math.tanh(2.0)])
    assert torch.allclose(act(z), expected, atol=1e-6)
    default = ACTIVATIONS.create("hosc")  # omega_0 30, beta 8
    assert torch.allclose(default(torch.tensor([math.pi / 60])), torch.tensor([math.tanh(8.0)]))


def test_hosc_gradient_by_hand():
    z = torch.tensor([0.3], requires_grad=True)
    (g,) = torch.autograd.grad(ACTIVATIONS.create("hosc", omega_0=2.0, beta=3.0)(z).sum(), z)
    s = math.sin(0.6)
    assert abs(g.item() - (1 - math.tanh(3 * s) ** 2) * 3 * math.cos(0.6) * 2) < 1e-5


def test_hosc_is_siren_sized_and_in_the_protocols():
    assert FIELDS.create("hosc").parameter_counts()["params"] == FIELDS.create("siren").parameter_counts()["params"]
    assert RECIPES.get("hosc-audio").field.first_activation.omega_0 == 3000.0
    assert {"hosc-image", "hosc-shape", "hosc-volume", "hosc-audio"} <= set(RECIPES.names())
