"""Autograd derivatives against closed forms (float64)."""

from __future__ import annotations

import torch

from inrkit.ops.diff import divergence, gradient, jacobian, laplacian, partial, time_derivative


def _x(n=64, d=2):
    torch.manual_seed(0)
    return torch.rand(n, d, dtype=torch.float64).requires_grad_(True)


def test_gradient_laplacian_of_a_polynomial():
    x = _x()
    u = (x[:, 0:1] ** 3) * x[:, 1:2] ** 2  # u = x^3 y^2
    g = gradient(u, x)
    assert torch.allclose(g[:, 0:1], 3 * x[:, 0:1] ** 2 * x[:, 1:2] ** 2)
    assert torch.allclose(g[:, 1:2], 2 * x[:, 0:1] ** 3 * x[:, 1:2])
    lap = laplacian(u, x)
    assert torch.allclose(lap, 6 * x[:, 0:1] * x[:, 1:2] ** 2 + 2 * x[:, 0:1] ** 3)
    assert torch.allclose(laplacian(u, x, axes=(0,)), 6 * x[:, 0:1] * x[:, 1:2] ** 2)
    assert torch.allclose(partial(u, x, 1, order=2), 2 * x[:, 0:1] ** 3)
    assert torch.allclose(time_derivative(u, x), g[:, 1:2])


def test_divergence_jacobian_and_double_backward():
    x = _x(d=3)
    v = torch.cat([x[:, 0:1] ** 2, x[:, 1:2] * x[:, 2:3], torch.sin(x[:, 2:3])], dim=1)
    div = divergence(v, x)
    assert torch.allclose(div, 2 * x[:, 0:1] + x[:, 2:3] + torch.cos(x[:, 2:3]))
    assert jacobian(v, x).shape == (64, 3, 3)
    w = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    lap = laplacian(torch.sin(w * x[:, 0:1]), x)
    (gw,) = torch.autograd.grad(lap.sum(), w)  # the residual is differentiable in the parameters
    assert torch.isfinite(gw)


def test_constant_field_gives_zero_derivatives():
    x = _x()
    u = torch.ones(64, 1, dtype=torch.float64)
    assert torch.equal(gradient(u, x), torch.zeros_like(x))
    assert torch.equal(laplacian(u, x), torch.zeros(64, 1, dtype=torch.float64))
