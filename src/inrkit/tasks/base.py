"""Task: what is minimised and how it is scored.

A task owns its signal and exposes ``sample(step, generator) -> batch``, ``loss(field, batch) ->
dict`` (with key "loss"), ``evaluate(field) -> dict[str, float]``, ``reconstruct(field, **query)``,
``render(field, path, scale, shift)`` (``inrkit render``; default file suffix ``render_suffix``) and
``write_outputs(field, run_dir)``. Signals differ by task, never by trainer subclass.

Which task fits a source: ``task_family(source, task)`` gives the recipe family (recipes are named
``<model>-<family>``) from ``--task`` or, without it, from the signal's kind; a task class says which
signal kinds it fits (``signal_kinds``) and which family it forms with them (``family``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import Tensor

from inrkit.errors import InputError
from inrkit.registry import TASKS, type_name
from inrkit.signals.base import Signal
from inrkit.signals.loaders import find_loader, split_task_prefix


def regression_loss(field: torch.nn.Module, coords: Tensor, targets: Tensor) -> dict[str, Tensor]:
    """MSE of ``field(coords)`` against ``targets`` plus the field's regularisation terms.

    Returns ``{"mse", <each regularisation term>, "loss" = their sum}``; fields that share work between
    their output and regularisation (SASNet's masks) compute both in one pass. A field with
    ``supervise_scales`` (BACON) is trained on ``mse_scales``, the MSE averaged over all its ``multiscale``
    outputs (``mse`` stays the final output's).
    """
    scales = None
    if getattr(field, "supervise_scales", False):  # BACON: every output of ``multiscale`` is supervised
        *scales, pred = field.multiscale(coords)
        reg = field.regularization(coords)
    else:
        both = getattr(field, "forward_and_regularization", None)
        pred, reg = both(coords) if both is not None else (field(coords), {})
    out = {"mse": torch.mean((pred - targets) ** 2), **reg}
    if scales:  # BACON's multiscale_image_mse: the mean over all outputs replaces the final mse in the loss
        out["mse_scales"] = torch.stack([torch.mean((p - targets) ** 2) for p in scales] + [out["mse"]]).mean()
    out["loss"] = sum(reg.values(), out["mse_scales"] if scales else out["mse"])
    return out


class Task:
    """Base class of tasks."""

    signal: Signal
    #: metric that the trainer tracks for "peak" values and progress display.
    primary_metric: str = "psnr"
    #: signal kinds the task fits (``--task`` accepts it for these).
    signal_kinds: tuple[str, ...] = ()
    #: recipe family the task forms with its signals (None: the signal kind, e.g. "image").
    family: str | None = None
    #: file suffix of ``render`` (the default ``inrkit render`` output is ``render_x<scale><suffix>``).
    render_suffix: str = ""

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

    def query_metrics(self, field: torch.nn.Module, shift: float = 0.0, scale: int = 1) -> dict[str, float]:
        """Metrics of a shifted / super-resolved query (``inrkit eval --shift/--scale``)."""
        raise InputError(f"shifted / super-resolved query metrics are not defined for the {self.name} task")

    def render(self, field: torch.nn.Module, path: Path, scale: int = 1, shift: float = 0.0) -> str:
        """Write the fitted signal at ``scale`` x the resolution to ``path``; returns a short description."""
        raise InputError(f"the {self.name} task has no render")

    def render_note(self, scale: int) -> str:
        """Which resolution ``render --scale`` writes and whether ground truth exists at that scale."""
        signal = getattr(self, "signal", None)
        try:
            fitted = tuple(int(n) for n in signal.grid_shape)
        except (AttributeError, TypeError):
            return f"rendering at {scale}x the fitted resolution; ground truth exists only as the fitted signal"
        meta = signal.meta or {}
        native = meta.get("original_size") or meta.get("original_shape")
        native = tuple(int(n) for n in native[:len(fitted)]) if native else fitted
        endpoint = getattr(getattr(self, "cfg", None), "coord_convention", "center") == "endpoint"
        target = tuple((n - 1) * scale + 1 if endpoint else n * scale for n in fitted)
        line = f"rendering {'x'.join(map(str, target))} ({scale}x the fitted {'x'.join(map(str, fitted))}); "
        if scale == 1:
            return line + "ground truth exists at this scale (the fitted signal)"
        if all(t <= n for t, n in zip(target, native, strict=True)):
            return line + (f"ground truth exists at this scale only in the source file "
                           f"(native {'x'.join(map(str, native))}), not in the run")
        return line + f"no ground truth exists at this scale (the source is {'x'.join(map(str, native))})"

    def write_outputs(self, field: torch.nn.Module, run_dir: Path) -> dict[str, Any]:
        """Write the reconstruction (and task-specific views) into ``run_dir``."""
        return {}

    def ntk_coords(self) -> Tensor | None:
        """The training coordinates ``[N, in]`` as the field receives them (the empirical NTK's points,
        ``analysis/ntk_run.py``); the task's ``coords`` tensor by default, None where it has none."""
        coords = getattr(self, "coords", None)
        return coords if isinstance(coords, Tensor) and coords.ndim == 2 else None

    @property
    def name(self) -> str:
        """Registered name of the task's config ("fitting", "sdf", ...)."""
        cfg = getattr(self, "cfg", None)
        return type_name(cfg) if cfg is not None else type(self).__name__

    def check_render_path(self, path: Path) -> None:
        """One-line ``InputError`` unless ``path`` has the task's ``render_suffix``."""
        if Path(path).suffix.lower() != self.render_suffix:
            raise InputError(f"{path}: {self.signal.kind} renders are written as {self.render_suffix}")

    def check_signal(self, signal: Signal) -> None:
        """One-line ``InputError`` unless the signal's kind is one of ``signal_kinds``."""
        if signal.kind not in self.signal_kinds:
            raise InputError(f"{signal.meta.get('source', 'signal')}: the {self.name} task needs a "
                             f"{' or '.join(self.signal_kinds)} signal, got a {signal.kind} signal")


def task_family(source: str, task: str | None = None) -> str:
    """Recipe family of fitting ``source`` with ``task`` (``--task``; None: the signal kind's default).

    The family is the task's ``family`` or else the signal kind ("image", "shape", "occupancy", ...);
    a task prefix of the source (``occupancy:<mesh>``) selects its task like ``--task`` does.
    """
    implied, rest = split_task_prefix(source)
    if implied is not None and task is not None and task != implied:
        raise InputError(f"{source}: the prefix selects the {implied} task, not --task {task}")
    task = task or implied
    kind = find_loader(rest)[0].kind
    if task is None:
        return kind
    cls = TASKS.get(task)
    if kind not in cls.signal_kinds:
        fits = [n for n in TASKS if kind in TASKS.get(n).signal_kinds]
        raise InputError(f"task {task!r} does not fit {kind} signals; tasks for {kind} signals: "
                         f"{', '.join(fits) or '(none)'}")
    return cls.family or kind
