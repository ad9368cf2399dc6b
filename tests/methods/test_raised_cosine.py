"""Raised cosine (methods.md §9.4): hand-computed pulse values, the removable singularity's limit."""

from __future__ import annotations

import math

import torch

from inrkit.registry import ACTIVATIONS, RECIPES


def _sinc(x: float) -> float:
    return 1.0 if x == 0 else math.sin(math.pi * x) / (math.pi * x)


def _pulse(t: float, beta: float) -> float:
    return _sinc(t) * math.cos(math.pi * beta * t) / (1 - (2 * beta * t) ** 2)


def test_raised_cosine_values_by_hand():
    act = ACTIVATIONS.create("raised_cosine", omega_0=1.0)  # T 1, beta 0.5
    z = torch.tensor([0.0, 0.5, -0.5, 2.5, 0.2, 0.8])
    # 0.5: sinc(1/2) cos(pi/4) / (1 - 1/4) = (2/pi)(sqrt2/2)/(3/4)
    expected = torch.tensor([1.0, 4 * math.sqrt(2) / (3 * math.pi), 4 * math.sqrt(2) / (3 * math.pi),
                             _pulse(2.5, 0.5), _pulse(0.2, 0.5), _pulse(0.8, 0.5)])
    assert torch.allclose(act(z), expected, atol=1e-6)


def test_removable_singularity_takes_the_limit_with_finite_derivatives():
    beta = 0.3  # singular point t0 = 1/(2 beta) = 5/3, limit (pi/4) sinc(5/3) = -3 sqrt3 / 40
    act = ACTIVATIONS.create("raised_cosine", omega_0=1.0, beta=beta)
    t0 = 1 / (2 * beta)
    z = torch.tensor([t0, -t0, t0 + 1e-3], dtype=torch.float64, requires_grad=True)
    y = act(z)
    assert abs(y[0].item() + 3 * math.sqrt(3) / 40) < 1e-9 and abs(y[1].item() - y[0].item()) < 1e-12
    assert abs(y[2].item() - _pulse(t0 + 1e-3, beta)) < 1e-9  # continuous through the singular point
    (g,) = torch.autograd.grad(y.sum(), z, create_graph=True)
    (h,) = torch.autograd.grad(g.sum(), z)
    assert torch.isfinite(g).all() and torch.isfinite(h).all()
    slope = (_pulse(t0 + 1e-6, beta) - _pulse(t0 - 1e-6, beta)) / 2e-6
    assert abs(g[0].item() - slope) < 1e-5


def test_raised_cosine_default_scales_by_omega_0_and_joins_the_protocols():
    z = torch.tensor([0.5 / 30])
    assert torch.allclose(ACTIVATIONS.create("raised_cosine")(z), torch.tensor([4 * math.sqrt(2) / (3 * math.pi)]))
    assert {"raised_cosine-image", "raised_cosine-shape", "raised_cosine-audio"} <= set(RECIPES.names())
