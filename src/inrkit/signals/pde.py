"""PDE problems with exact solutions for physics-informed fitting (PINNs), sources ``pde:<problem>``.

The benchmark set of protocols.md §10.2 (standard forms; MSA Table 3's own definitions are not
recoverable) and the MSA amplitude-modulation ablation problem of §10.3:

=================  ===================================================  ==========================  ==========
name               equation, domain                                     exact solution              BC / IC
=================  ===================================================  ==========================  ==========
``heat1d``         u_t = k u_xx, x in [0,1], t in [0,1], k = 0.01       e^{-k pi^2 t} sin(pi x)     Dirichlet,
                                                                        + 0.5 e^{-100 k pi^2 t}     u(x,0)
                                                                        sin(10 pi x)
``poisson2d``      -lap u = f on [0,1]^2                                sin(pi x) sin(pi y)         Dirichlet
                                                                        + 0.1 sin(16pi x)sin(16pi y)
``allen_cahn2d``   lap u + u (u^2 - 1) = f on [0,1]^2 (manufactured)    (sin(pi x) + 0.1 sin(8pi x))  Dirichlet
                                                                        (sin(pi y) + 0.1 sin(8pi y))
``advection1d``    u_t + beta u_x = 0, x in [0, 2pi], t in [0,1],       sin(x - beta t)             periodic,
                   beta = 30 (``-b40``, ``-b50``: 40, 50)                                           u(x,0)
``helmholtz2d``    lap u + k^2 u = q on [-1,1]^2, k = 1                 sin(pi x) sin(4 pi y)       Dirichlet
``poisson_msa``    lap u = f, f = sin(pi x) sin(10 pi y) on [0,1]^2     -f / (101 pi^2)             Dirichlet
=================  ===================================================  ==========================  ==========

Coordinates are the physical ones, ordered ``(x, t)`` for space-time problems (time last) and
``(x, y)`` in 2-D. Dirichlet data and initial data are the exact solution on the boundary / at t = 0.
Source terms are closed-form expressions of the exact solution (never finite differences), written
in torch so the residual check of the exact solution (tests) runs through the same autograd code
as training. ``pde:poisson_msa`` follows the [default] of §10.3: ``lap u = f`` (sign convention and
domain are not given by the paper; relative L2 does not depend on them).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor

from inrkit.errors import InputError
from inrkit.ops.diff import gradient, laplacian, time_derivative
from inrkit.signals.base import Signal
from inrkit.signals.loaders import LoadRequest, register_loader

PREFIX = "pde:"
PI = math.pi
#: points per axis of the dense evaluation grid (protocols.md §10.4).
EVAL_POINTS = 256

Residual = Callable[[Tensor, Tensor], Tensor]


@dataclass(frozen=True)
class PDEProblem:
    """A PDE on a box with its exact solution.

    Attributes:
        name: the name after ``pde:``.
        description: one line (equation and domain).
        axes: coordinate names, time last for space-time problems.
        bounds: ``(lo, hi)`` per axis.
        exact: ``u(X) [N, 1]`` from ``X [N, d]`` (torch, differentiable).
        residual: ``r(u, X) [N, 1]`` from ``u = u(X)`` computed with a graph to ``X``; zero for the solution.
        boundary: "dirichlet" (u = exact on the spatial faces) or "periodic" (u equal on opposite x faces).
        u_scale: characteristic magnitude of the solution (the PDE task's nondimensionalisation).
    """

    name: str
    description: str
    axes: tuple[str, ...]
    bounds: tuple[tuple[float, float], ...]
    exact: Callable[[Tensor], Tensor]
    residual: Residual
    boundary: str = "dirichlet"
    u_scale: float = 1.0

    @property
    def time_axis(self) -> int | None:
        """Index of ``t`` in the coordinates (None for steady problems)."""
        return self.axes.index("t") if "t" in self.axes else None

    @property
    def spatial_axes(self) -> tuple[int, ...]:
        return tuple(i for i, a in enumerate(self.axes) if a != "t")


def _s(a: Tensor, k: float = 1.0) -> Tensor:
    return torch.sin(k * PI * a)


# -- heat ---------------------------------------------------------------------------------------------
HEAT_KAPPA = 0.01


def heat_exact(X: Tensor) -> Tensor:
    x, t = X[:, 0:1], X[:, 1:2]
    k = HEAT_KAPPA * PI ** 2
    return torch.exp(-k * t) * _s(x) + 0.5 * torch.exp(-100 * k * t) * _s(x, 10)


def heat_residual(u: Tensor, X: Tensor) -> Tensor:
    return time_derivative(u, X, 1) - HEAT_KAPPA * laplacian(u, X, axes=(0,))


# -- Poisson (benchmark) --------------------------------------------------------------------------------
def poisson_exact(X: Tensor) -> Tensor:
    x, y = X[:, 0:1], X[:, 1:2]
    return _s(x) * _s(y) + 0.1 * _s(x, 16) * _s(y, 16)


def poisson_source(X: Tensor) -> Tensor:
    x, y = X[:, 0:1], X[:, 1:2]
    return 2 * PI ** 2 * _s(x) * _s(y) + 51.2 * PI ** 2 * _s(x, 16) * _s(y, 16)


def poisson_residual(u: Tensor, X: Tensor) -> Tensor:
    return -laplacian(u, X) - poisson_source(X)


# -- Allen-Cahn (steady, manufactured) ----------------------------------------------------------------
def _ac_factor(a: Tensor) -> tuple[Tensor, Tensor]:
    """``g(a) = sin(pi a) + 0.1 sin(8 pi a)`` and ``g''(a)``."""
    return _s(a) + 0.1 * _s(a, 8), -PI ** 2 * _s(a) - 6.4 * PI ** 2 * _s(a, 8)


def allen_cahn_exact(X: Tensor) -> Tensor:
    return _ac_factor(X[:, 0:1])[0] * _ac_factor(X[:, 1:2])[0]


def allen_cahn_source(X: Tensor) -> Tensor:
    (gx, gxx), (gy, gyy) = _ac_factor(X[:, 0:1]), _ac_factor(X[:, 1:2])
    u = gx * gy
    return gxx * gy + gx * gyy + u * (u ** 2 - 1)


def allen_cahn_residual(u: Tensor, X: Tensor) -> Tensor:
    return laplacian(u, X) + u * (u ** 2 - 1) - allen_cahn_source(X)


# -- advection ----------------------------------------------------------------------------------------
def advection(beta: float) -> tuple[Callable[[Tensor], Tensor], Residual]:
    def exact(X: Tensor) -> Tensor:
        return torch.sin(X[:, 0:1] - beta * X[:, 1:2])

    def residual(u: Tensor, X: Tensor) -> Tensor:
        g = gradient(u, X)
        return g[:, 1:2] + beta * g[:, 0:1]

    return exact, residual


# -- Helmholtz ----------------------------------------------------------------------------------------
HELMHOLTZ_K, HELMHOLTZ_A = 1.0, (1.0, 4.0)


def helmholtz_exact(X: Tensor) -> Tensor:
    return _s(X[:, 0:1], HELMHOLTZ_A[0]) * _s(X[:, 1:2], HELMHOLTZ_A[1])


def helmholtz_residual(u: Tensor, X: Tensor) -> Tensor:
    k2 = HELMHOLTZ_K ** 2
    q = (k2 - (HELMHOLTZ_A[0] ** 2 + HELMHOLTZ_A[1] ** 2) * PI ** 2) * helmholtz_exact(X)
    return laplacian(u, X) + k2 * u - q


# -- MSA ablation Poisson -----------------------------------------------------------------------------
def poisson_msa_source(X: Tensor) -> Tensor:
    return _s(X[:, 0:1]) * _s(X[:, 1:2], 10)


def poisson_msa_exact(X: Tensor) -> Tensor:
    return -poisson_msa_source(X) / (101 * PI ** 2)


def poisson_msa_residual(u: Tensor, X: Tensor) -> Tensor:
    return laplacian(u, X) - poisson_msa_source(X)


UNIT2 = ((0.0, 1.0), (0.0, 1.0))
_PROBLEMS = [
    PDEProblem("heat1d", "u_t = 0.01 u_xx on [0,1] x [0,1] (x, t)", ("x", "t"), UNIT2, heat_exact, heat_residual),
    PDEProblem("poisson2d", "-lap u = f on [0,1]^2, u = sin(pi x)sin(pi y) + 0.1 sin(16pi x)sin(16pi y)",
               ("x", "y"), UNIT2, poisson_exact, poisson_residual),
    PDEProblem("allen_cahn2d", "lap u + u(u^2 - 1) = f on [0,1]^2 (manufactured)", ("x", "y"), UNIT2,
               allen_cahn_exact, allen_cahn_residual),
    *(PDEProblem(name, f"u_t + {beta:g} u_x = 0 on [0,2pi] x [0,1] (x, t), periodic", ("x", "t"),
                 ((0.0, 2 * PI), (0.0, 1.0)), *advection(beta), boundary="periodic")
      for name, beta in (("advection1d", 30.0), ("advection1d-b40", 40.0), ("advection1d-b50", 50.0))),
    PDEProblem("helmholtz2d", "lap u + u = q on [-1,1]^2, u = sin(pi x) sin(4 pi y)", ("x", "y"),
               ((-1.0, 1.0), (-1.0, 1.0)), helmholtz_exact, helmholtz_residual),
    PDEProblem("poisson_msa", "lap u = sin(pi x) sin(10 pi y) on [0,1]^2 (MSA amplitude ablation)", ("x", "y"),
               UNIT2, poisson_msa_exact, poisson_msa_residual, u_scale=1.0 / (101 * PI ** 2)),
]
PROBLEMS = {p.name: p for p in _PROBLEMS}


def get_problem(source: str) -> PDEProblem:
    """The problem named by ``pde:<name>`` (or just ``<name>``)."""
    name = source[len(PREFIX):] if source.startswith(PREFIX) else source
    if name not in PROBLEMS:
        raise InputError(f"{source}: unknown PDE problem; choose one of: {', '.join(PREFIX + n for n in PROBLEMS)}")
    return PROBLEMS[name]


def eval_grid(problem: PDEProblem, n: int = EVAL_POINTS) -> Tensor:
    """Dense float64 evaluation grid ``[n, n, d]`` including the boundary (linspace per axis, ij order)."""
    axes = [torch.linspace(lo, hi, n, dtype=torch.float64) for lo, hi in problem.bounds]
    return torch.stack(torch.meshgrid(*axes, indexing="ij"), dim=-1)


def load_problem(source: str, n: int = EVAL_POINTS) -> Signal:
    """``pde:<name>`` as a Signal holding the exact solution on the dense grid ``[n, n, 1]`` (float64)."""
    problem = get_problem(source)
    X = eval_grid(problem, n)
    u = problem.exact(X.reshape(-1, X.shape[-1])).reshape(*X.shape[:-1], 1).numpy()
    meta = {"source": source, "problem": problem.name, "axes": problem.axes, "bounds": problem.bounds,
            "description": problem.description}
    return Signal(values=np.asarray(u, np.float64), kind="pde", value_range=(float(u.min()), float(u.max())),
                  meta=meta)


@register_loader("pde", kind="pde", prefixes=(PREFIX,), description=f"{PREFIX}<problem> (PINN problems)")
def _load(req: LoadRequest) -> Signal:
    return load_problem(req.source)
