"""Derivatives of fields with respect to their input coordinates, through autograd.

Every function builds the graph with ``create_graph=True`` so that the result can itself be
differentiated (second derivatives, and the parameter gradient of a PDE residual loss). Inputs
``x [N, d]`` must have ``requires_grad=True`` and ``y`` must be computed from ``x`` pointwise (row
``i`` of ``y`` depends only on row ``i`` of ``x``), which holds for every inrkit field; then the
gradient of ``y[:, k].sum()`` is the per-point derivative. When ``y`` does not depend on ``x`` at all
(a constant field) the derivatives are zeros rather than an error.
"""

from __future__ import annotations

import torch
from torch import Tensor


def gradient(y: Tensor, x: Tensor) -> Tensor:
    """``dy/dx [N, d]`` of a scalar field ``y [N, 1]`` (or ``[N]``) at ``x [N, d]``."""
    if y.dim() == 2 and y.shape[-1] != 1:
        raise ValueError(f"gradient needs a scalar field [N, 1], got {tuple(y.shape)}; use jacobian")
    if not y.requires_grad:
        return torch.zeros_like(x)
    (g,) = torch.autograd.grad(y.sum(), x, create_graph=True, allow_unused=True)
    return torch.zeros_like(x) if g is None else g


def jacobian(y: Tensor, x: Tensor) -> Tensor:
    """``dy_k/dx_j [N, K, d]`` of a vector field ``y [N, K]``."""
    return torch.stack([gradient(y[:, k:k + 1], x) for k in range(y.shape[-1])], dim=1)


def partial(y: Tensor, x: Tensor, axis: int, order: int = 1) -> Tensor:
    """``d^order y / dx_axis^order [N, 1]`` (repeated first derivatives along one axis)."""
    out = y
    for _ in range(order):
        out = gradient(out, x)[:, axis:axis + 1]
    return out


def divergence(v: Tensor, x: Tensor, axes: tuple[int, ...] | None = None) -> Tensor:
    """``sum_j dv_j/dx_j [N, 1]`` of a vector field ``v [N, d']`` whose component j pairs with ``axes[j]``."""
    axes = tuple(range(v.shape[-1])) if axes is None else axes
    if len(axes) != v.shape[-1]:
        raise ValueError(f"divergence: {v.shape[-1]} components for {len(axes)} axes")
    total = torch.zeros(v.shape[0], 1, dtype=v.dtype, device=v.device)
    for j, a in enumerate(axes):
        total = total + gradient(v[:, j:j + 1], x)[:, a:a + 1]
    return total


def laplacian(y: Tensor, x: Tensor, axes: tuple[int, ...] | None = None) -> Tensor:
    """``sum_j d^2 y / dx_j^2 [N, 1]`` over ``axes`` (default: all coordinates).

    For space-time inputs pass the spatial axes only, e.g. ``axes=(0,)`` for ``(x, t)``.
    """
    axes = tuple(range(x.shape[-1])) if axes is None else axes
    g = gradient(y, x)  # [N, d]
    return divergence(g[:, list(axes)], x, axes)


def time_derivative(y: Tensor, x: Tensor, time_axis: int = -1) -> Tensor:
    """``dy/dt [N, 1]`` where ``t`` is coordinate ``time_axis`` of ``x`` (default: the last)."""
    axis = time_axis % x.shape[-1]
    return gradient(y, x)[:, axis:axis + 1]
