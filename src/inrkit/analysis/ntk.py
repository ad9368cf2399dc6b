"""Empirical neural tangent kernel (NTK) of a field and its eigenvalue ratios during training.

MSA paper Fig. 2b (protocols.md §6): the empirical NTK on the training points,
``Theta(x_i, x_j) = sum_p d f(x_i)/d theta_p * d f(x_j)/d theta_p`` over the trainable parameters, with
the normalised top-3 eigenvalues ``lambda_k / sum(lambda)`` (k = 1, 2, 3) and the rest
``sum_{k>3} lambda_k / sum(lambda)``; the four ratios sum to 1. For fields with several outputs the
kernel is summed over the output channels (the trace of the [N, N, O, O] kernel).

The Jacobian ``[N, O, P]`` is built with ``torch.func`` (``vmap`` of ``jacrev`` over the parameters of
``functional_call``) in chunks of points; memory is ``N x O x P`` numbers, so use a few hundred points
for a 200k-parameter field. Complex parameters (WIRE) enter through their real and imaginary parts.

Use during training with the generic trainer (callbacks receive ``(step, info)``)::

    cfg, task, field = build(run_cfg)
    ntk = NTKCallback(field, task.coords[:256], every=500)
    Trainer(cfg.trainer).fit(field, task, callbacks=(ntk,))
    ntk.records  # [{"step": 0, "lambda1_ratio": ..., "rest_ratio": ...}, ...]
"""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor
from torch.func import functional_call, jacrev, vmap

RATIO_KEYS = ("lambda1_ratio", "lambda2_ratio", "lambda3_ratio", "rest_ratio")


def empirical_ntk(field: torch.nn.Module, x: Tensor, chunk: int = 256) -> Tensor:
    """The empirical NTK ``[N, N]`` (float64) of ``field`` at points ``x [N, d]``, summed over outputs."""
    names = [n for n, p in field.named_parameters() if p.requires_grad]
    cplx = {n for n, p in field.named_parameters() if p.requires_grad and p.is_complex()}
    # jacrev differentiates real inputs only: complex parameters enter as their [..., 2] real views
    params = {n: torch.view_as_real(p.detach()) if n in cplx else p.detach()
              for n, p in field.named_parameters() if p.requires_grad}
    rest = {n: t for n, t in {**dict(field.named_parameters()), **dict(field.named_buffers())}.items()
            if n not in params}

    def f(p: dict[str, Tensor], xi: Tensor) -> Tensor:
        p = {n: torch.view_as_complex(v) if n in cplx else v for n, v in p.items()}
        return functional_call(field, {**rest, **p}, (xi[None],))[0]  # [O]

    jac_fn = vmap(jacrev(f), in_dims=(None, 0))
    rows = []
    for i in range(0, x.shape[0], chunk):
        jac = jac_fn(params, x[i:i + chunk].detach())  # {name: [n, O, *shape]}
        parts = []
        for n in names:
            j = jac[n]
            j = torch.view_as_real(j) if j.is_complex() else j
            parts.append(j.reshape(j.shape[0], j.shape[1], -1).double())
        rows.append(torch.cat(parts, dim=-1))  # [n, O, P]
    jac_all = torch.cat(rows, dim=0)
    return torch.einsum("iop,jop->ij", jac_all, jac_all)


def ntk_eigenvalues(kernel: Tensor) -> Tensor:
    """Eigenvalues of a symmetric kernel, descending (float64)."""
    sym = 0.5 * (kernel + kernel.T).double()
    return torch.linalg.eigvalsh(sym).flip(0)


def eigen_ratios(eigenvalues: Tensor) -> dict[str, float]:
    """``lambda_1..3 / sum`` and ``sum_{k>3} / sum`` of descending eigenvalues (they sum to 1)."""
    ev = eigenvalues.double().clamp_min(0.0)  # round-off can make the smallest slightly negative
    total = float(ev.sum())
    if total <= 0:
        return dict.fromkeys(RATIO_KEYS, float("nan"))
    top = [float(ev[k]) / total if k < ev.numel() else 0.0 for k in range(3)]
    return {"lambda1_ratio": top[0], "lambda2_ratio": top[1], "lambda3_ratio": top[2],
            "rest_ratio": float(ev[3:].sum()) / total}


def ntk_summary(field: torch.nn.Module, x: Tensor, chunk: int = 256) -> dict[str, float]:
    """Eigenvalue ratios, the largest eigenvalue and the trace of the NTK at ``x``."""
    ev = ntk_eigenvalues(empirical_ntk(field, x, chunk))
    return {**eigen_ratios(ev), "lambda_max": float(ev[0]), "trace": float(ev.sum())}


class NTKCallback:
    """Trainer callback recording ``ntk_summary`` every ``every`` steps (and at step 0 on creation).

    Args:
        field: the field being trained (the same object passed to ``Trainer.fit``).
        points: coordinates ``[N, d]`` to evaluate the kernel at (e.g. a subset of the training points).
        every: record after every ``every``-th optimiser step.
        at_start: record once at construction (step 0, the initial kernel).
    """

    def __init__(self, field: torch.nn.Module, points: Tensor, every: int = 500, at_start: bool = True,
                 chunk: int = 256):
        if every < 1:
            raise ValueError("every must be >= 1")
        self.field, self.points, self.every, self.chunk = field, points, every, chunk
        self.records: list[dict[str, Any]] = []
        if at_start:
            self.record(0)

    def record(self, step: int) -> dict[str, Any]:
        points = self.points.to(next(self.field.parameters()).device)
        row = {"step": step, **ntk_summary(self.field, points, self.chunk)}
        self.records.append(row)
        return row

    def __call__(self, step: int, info: dict[str, Any]) -> None:
        if step % self.every == 0:
            self.record(step)
