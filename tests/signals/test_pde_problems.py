"""Every PDE problem's exact solution satisfies its residual, boundary and initial data (float64).

A wrong sign or coefficient in an equation cannot hide behind a poor fit: the exact solution, pushed
through the same autograd residual as training, must give residuals at round-off level.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from inrkit.errors import InputError
from inrkit.signals import load_signal, signal_kind
from inrkit.signals.pde import PROBLEMS, eval_grid, get_problem


def _interior(problem, n=4096, seed=0):
    gen = torch.Generator().manual_seed(seed)
    lo = torch.tensor([b[0] for b in problem.bounds], dtype=torch.float64)
    hi = torch.tensor([b[1] for b in problem.bounds], dtype=torch.float64)
    return (lo + (hi - lo) * torch.rand(n, len(lo), generator=gen, dtype=torch.float64)).requires_grad_(True)


@pytest.mark.parametrize("name", sorted(PROBLEMS))
def test_exact_solution_has_zero_residual(name):
    p = PROBLEMS[name]
    X = _interior(p)
    u = p.exact(X)
    r = p.residual(u, X)
    # terms of the residual reach ~ (16 pi)^2 ~ 2.5e3 (Poisson) or beta ~ 50 (advection)
    assert r.abs().max().item() < 1e-9, f"{name}: max residual {r.abs().max().item():.3e}"
    # a perturbed solution must not satisfy it (the residual really depends on u)
    assert p.residual(u + 0.01 * torch.sin(3 * X[:, :1]) * torch.sin(2 * X[:, 1:]), X).abs().max() > 1e-4


@pytest.mark.parametrize("name", sorted(PROBLEMS))
def test_boundary_and_initial_data(name):
    p = PROBLEMS[name]
    t = torch.linspace(p.bounds[-1][0], p.bounds[-1][1], 33, dtype=torch.float64)
    if p.boundary == "periodic":
        (x0, x1) = p.bounds[0]
        lo = p.exact(torch.stack([torch.full_like(t, x0), t], 1))
        hi = p.exact(torch.stack([torch.full_like(t, x1), t], 1))
        assert torch.allclose(lo, hi, atol=1e-12)
    else:
        for a in p.spatial_axes:
            for side in p.bounds[a]:
                X = _interior(p, 256).detach()
                X[:, a] = side
                # every Dirichlet problem of the set has homogeneous boundary data
                assert p.exact(X).abs().max() < 1e-12
    if p.time_axis is not None:
        x = torch.linspace(*p.bounds[0], 65, dtype=torch.float64)
        u0 = p.exact(torch.stack([x, torch.zeros_like(x)], 1))[:, 0]
        if name.startswith("advection"):
            assert torch.allclose(u0, torch.sin(x), atol=1e-12)
        else:
            assert torch.allclose(u0, torch.sin(np.pi * x) + 0.5 * torch.sin(10 * np.pi * x), atol=1e-12)


def test_poisson_msa_matches_the_stated_source():
    p = get_problem("pde:poisson_msa")
    X = _interior(p, 512)
    from inrkit.ops.diff import laplacian

    lap = laplacian(p.exact(X), X)
    f = torch.sin(np.pi * X[:, :1]) * torch.sin(10 * np.pi * X[:, 1:])
    assert torch.allclose(lap, f, atol=1e-12)


def test_signal_loading_and_errors():
    assert signal_kind("pde:heat1d") == "pde"
    s = load_signal("pde:helmholtz2d")
    assert s.kind == "pde" and s.values.shape == (256, 256, 1) and s.values.dtype == np.float64
    g = eval_grid(get_problem("helmholtz2d"), 5)
    assert g[0, 0].tolist() == [-1.0, -1.0] and g[-1, -1].tolist() == [1.0, 1.0]
    with pytest.raises(InputError, match="unknown PDE problem"):
        load_signal("pde:navier_stokes")
