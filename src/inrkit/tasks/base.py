"""Task: what is minimised and how it is scored.

A task owns its signal and exposes ``sample(step, generator) -> batch``, ``loss(field, batch) ->
dict`` (with key "loss"), ``evaluate(field) -> dict[str, float]``, ``reconstruct(field, **query)``
and ``write_outputs(field, run_dir)``. Signals differ by task, never by trainer subclass.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import Tensor

from inrkit.signals.base import Signal


def regression_loss(field: torch.nn.Module, coords: Tensor, targets: Tensor) -> dict[str, Tensor]:
    """MSE of ``field(coords)`` against ``targets`` plus the field's regularisation terms.

    Returns ``{"mse", <each regularisation term>, "loss" = their sum}``; fields that share work between
    their output and regularisation (SASNet's masks) compute both in one pass.
    """
    both = getattr(field, "forward_and_regularization", None)
    pred, reg = both(coords) if both is not None else (field(coords), {})
    out = {"mse": torch.mean((pred - targets) ** 2), **reg}
    out["loss"] = sum(reg.values(), out["mse"])
    return out


class Task:
    """Base class of tasks."""

    signal: Signal
    #: metric that the trainer tracks for "peak" values and progress display.
    primary_metric: str = "psnr"

    @property
    def in_features(self) -> int:
        raise NotImplementedError

    @property
    def out_features(self) -> int:
        raise NotImplementedError

    def to(self, device: torch.device) -> Task:
        """Move the task's tensors to ``device`` (returns self)."""
        return self

    def sample(self, step: int, generator: torch.Generator) -> dict[str, Tensor]:
        raise NotImplementedError

    def loss(self, field: torch.nn.Module, batch: dict[str, Tensor]) -> dict[str, Tensor]:
        raise NotImplementedError

    def evaluate(self, field: torch.nn.Module, final: bool = False) -> dict[str, float]:
        raise NotImplementedError

    def reconstruct(self, field: torch.nn.Module, shift: float = 0.0, scale: int = 1) -> np.ndarray:
        raise NotImplementedError

    def write_outputs(self, field: torch.nn.Module, run_dir: Path) -> dict[str, Any]:
        """Write the reconstruction (and task-specific views) into ``run_dir``."""
        return {}
