"""Optional TensorBoard logging of a fit (``--log tensorboard``, ``trainer.log = ["tensorboard"]``).

Writes the logged training rows (losses, learning rates, every numeric history column) as scalars,
each evaluation's metrics under ``eval/``, and, for tasks with an image-shaped reconstruction (images,
the middle frame of a video, the middle slice of a volume), the reconstruction as an image at every
evaluation; event files go to ``<run_dir>/tensorboard`` (view with ``tensorboard --logdir RUN``).
Uses ``torch.utils.tensorboard.SummaryWriter`` from the ``tensorboard`` package. A resumed fit appends
to the same folder; TensorBoard shows the later values of repeated steps.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from inrkit.errors import InputError
from inrkit.train.hooks import AFTER_EVAL, AFTER_STEP, BEFORE_TRAIN, FitState, Hook


def image_of(task: Any, field: Any) -> np.ndarray | None:
    """[H, W, C] in [0, 1] of the task's reconstruction, or None for tasks without an image-shaped one."""
    signal = getattr(task, "signal", None)
    if getattr(signal, "ndim", None) not in (2, 3) or not hasattr(task, "reconstruct"):
        return None
    try:
        rec = np.asarray(task.reconstruct(field))
    except Exception:  # noqa: BLE001 - a task without a grid reconstruction simply logs no image
        return None
    if rec.ndim == 4:  # video [T, H, W, C] or volume [D, H, W, C]: the middle frame / slice
        rec = rec[rec.shape[0] // 2]
    if rec.ndim != 3:
        return None
    return np.clip(rec, 0.0, 1.0)


class TensorBoardLog:
    """A trainer component writing scalars and images to ``<run_dir>/tensorboard``."""

    name = "tensorboard"

    def __init__(self, log_dir: Path):
        try:
            from torch.utils.tensorboard import SummaryWriter
        except ImportError:
            raise InputError("--log tensorboard needs the tensorboard package (pip install tensorboard)") from None
        self.writer = SummaryWriter(log_dir=str(log_dir))

    def hooks(self) -> list[Hook]:
        return [Hook(BEFORE_TRAIN, self.start), Hook(AFTER_STEP, self.scalars), Hook(AFTER_EVAL, self.evaluation)]

    def start(self, state: FitState) -> None:
        self.writer.add_text("trainer", repr(state.cfg)[:4000], state.step)

    def scalars(self, state: FitState) -> None:
        for key, value in (state.row or {}).items():
            if key != "step" and isinstance(value, (int, float)) and math.isfinite(value):
                self.writer.add_scalar(f"train/{key}", value, state.step)

    def evaluation(self, state: FitState) -> None:
        for key, value in state.evaluation.items():
            if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
                self.writer.add_scalar(f"eval/{key}", value, state.step)
        img = image_of(state.task, state.field)
        if img is not None:
            self.writer.add_image("reconstruction", img, state.step, dataformats="HWC")
        self.writer.flush()

    def close(self) -> None:
        """Called by the trainer when the fit ends, also on errors: nothing logged is lost."""
        self.writer.flush()
        self.writer.close()
