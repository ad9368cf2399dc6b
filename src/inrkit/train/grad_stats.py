"""Per-layer gradient statistics during training: the "Mean-Log gradient" of MSA Table 4.

metrics.md §9: for layer ``l`` with ``n`` weight elements and ``m`` recorded steps,
``(1/(m n)) sum_steps sum_elements log10(|g| + eps)``. The paper writes ``g + eps`` without the
absolute value and gives no ``eps``; [default] absolute value and ``eps = 1e-30``. A "layer" is the
weight matrix of one Linear map of the field, in forward order (``layer1`` feeds the first nonlinear
block; the read-out is the last); biases are not included [default; the paper says "per layer"]. With
full-batch PINN training one step is one epoch, so recording every step matches the paper's
per-epoch average. Non-finite gradients are counted as such (``grad_nonfinite_frac``) and left out of
the mean.

Enabled by ``TrainerConfig.grad_stats_every > 0``; as a trainer component (``hooks()``) it adds
``grad_log10_layer<l>`` to the final metrics and the latest recorded values to the history rows, and
its sums travel in checkpoints, so a resumed fit reports the statistics of the uninterrupted one.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from inrkit.train.hooks import AFTER_UPDATE, AT_END, FitState, Hook

EPS = 1e-30


def linear_weights(field: nn.Module) -> list[nn.Parameter]:
    """Weight matrices of every trainable ``nn.Linear`` in module order (first layer first)."""
    return [m.weight for m in field.modules() if isinstance(m, nn.Linear) and m.weight.requires_grad]


def mean_log10(grad: torch.Tensor, eps: float = EPS) -> tuple[float, int, int]:
    """(sum of log10(|g| + eps) over finite entries, number of finite entries, number of entries)."""
    g = grad.detach()
    g = torch.view_as_real(g) if g.is_complex() else g
    g = g.double().abs().flatten()
    finite = torch.isfinite(g)
    return float(torch.log10(g[finite] + eps).sum()), int(finite.sum()), g.numel()


class GradStats:
    """Trainer component accumulating the per-layer Mean-Log gradient every ``every`` steps."""

    name = "grad_stats"

    def __init__(self, field: nn.Module, every: int = 1, eps: float = EPS):
        if every < 1:
            raise ValueError("every must be >= 1")
        self.weights = linear_weights(field)
        self.every, self.eps = every, eps
        self.sums = [0.0] * len(self.weights)
        self.counts = [0] * len(self.weights)
        self.total = [0] * len(self.weights)
        self.last: dict[str, float] = {}

    def hooks(self) -> list[Hook]:
        return [Hook(AFTER_UPDATE, self.record, every=self.every), Hook(AFTER_UPDATE, self.log_row),
                Hook(AT_END, self.report)]

    def __call__(self, step: int, info: dict[str, Any]) -> None:
        if step % self.every == 0:
            self.record()

    def record(self, state: FitState | None = None) -> None:
        """Accumulate the current gradients of every layer."""
        self.last = {}
        for i, w in enumerate(self.weights):
            if w.grad is None:
                continue
            s, n, total = mean_log10(w.grad, self.eps)
            self.sums[i] += s
            self.counts[i] += n
            self.total[i] += total
            self.last[f"grad_log10_layer{i + 1}"] = s / n if n else float("nan")

    def log_row(self, state: FitState) -> None:
        if state.row:
            state.row.update(self.last)

    def report(self, state: FitState) -> None:
        state.metrics.update(self.summary())

    def state_dict(self) -> dict[str, Any]:
        return {"sums": list(self.sums), "counts": list(self.counts), "total": list(self.total),
                "last": dict(self.last)}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.sums, self.counts = list(state["sums"]), list(state["counts"])
        self.total, self.last = list(state["total"]), dict(state["last"])

    def summary(self) -> dict[str, float]:
        """``grad_log10_layer<l>`` (mean over recorded steps and elements) and the non-finite fraction."""
        out = {f"grad_log10_layer{i + 1}": (s / n if n else float("nan"))
               for i, (s, n) in enumerate(zip(self.sums, self.counts, strict=True))}
        total = sum(self.total)
        out["grad_nonfinite_frac"] = 1.0 - sum(self.counts) / total if total else 0.0
        return out
