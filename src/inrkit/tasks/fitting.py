"""Fitting a grid signal by regression: MSE on sampled coordinates (the generic task of every grid kind).

Protocol (protocols.md §1.6 and §2): coordinates from ``inrkit.ops.coords`` (pixel-centre grid on
[-1, 1] by default, ``ij`` order), targets linearly mapped from [0, 1] to ``target_range``, full batch
or random batches. Metrics: MSE and PSNR on the prediction mapped back to [0, 1] (and clamped); the
subclass of each signal kind adds its own (``tasks/image.py``, ``volume.py``, ``audio.py``, ``video.py``).

The registered ``fitting`` task serves several kinds: ``FittingTask(cfg, signal)`` builds the subclass
registered for the signal's kind with ``@fitting_kind(kind)`` (images, volumes), so recipes keep one
task name and config.

Queries: ``reconstruct(field, shift=s)`` renders the grid shifted by ``s`` pixels along every axis
(SASNet's pixel-shift probe) and ``scale=k`` renders ``k`` samples per pixel (x16 zoom).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import torch
from torch import Tensor

from inrkit.errors import InputError
from inrkit.metrics import image as im
from inrkit.ops.coords import chunked, grid
from inrkit.registry import TASKS, Registry
from inrkit.signals.base import Signal
from inrkit.tasks.base import Task, regression_loss
from inrkit.validate import check

#: the FittingTask subclass of each signal kind that the ``fitting`` task serves.
FITTING_KINDS = Registry("fitting signal kind")


@dataclass(frozen=True)
class FittingConfig:
    """Regression of a grid signal."""

    #: sample positions: "center" (pixel centres) or "endpoint" (linspace incl. the borders).
    coord_convention: Literal["center", "endpoint"] = "center"
    #: coordinate range of every axis.
    coord_range: tuple[float, float] = (-1.0, 1.0)
    #: range the [0, 1] signal values are mapped to for training.
    target_range: tuple[float, float] = (-1.0, 1.0)
    #: points per step; 0 = full batch.
    batch_size: int = 0
    #: points per forward pass during evaluation.
    eval_chunk: int = 65536
    #: compute PSNR_edge and noisiness at the end (images).
    edge_metrics: bool = True
    #: compute LPIPS (AlexNet, v0.1) at the end when its weights are available locally; skipped otherwise.
    lpips: bool = True

    def __post_init__(self) -> None:
        check(self, "task", batch_size=">=0", eval_chunk=">=1", coord_range="finite", target_range="finite")
        for name in ("coord_range", "target_range"):
            lo, hi = getattr(self, name)
            if not lo < hi:
                raise InputError(f"task.{name} must be (lo, hi) with lo < hi, got {getattr(self, name)!r}")


@TASKS.register("fitting", config=FittingConfig)
class FittingTask(Task):
    """Fit ``field(coords) ~ values`` on a regular grid."""

    #: the loss depends only on (field, batch): fits can be batched by ``train/ensemble.py``.
    ensemble_ok = True

    def __new__(cls, cfg: FittingConfig | None = None, signal: Signal | None = None):
        if cls is FittingTask and signal is not None and signal.kind in FITTING_KINDS:
            cls = FITTING_KINDS.get(signal.kind)
        return super().__new__(cls)

    def __init__(self, cfg: FittingConfig, signal: Signal):
        self.cfg = cfg
        self.signal = signal
        self.check_signal(signal)
        if not np.isfinite(signal.values).all():
            raise InputError(f"{signal.meta.get('source', 'signal')}: values contain NaN or inf")
        lo, hi = cfg.coord_range
        self.coords = grid(signal.grid_shape, cfg.coord_convention, lo, hi).reshape(-1, signal.ndim)
        self.targets = self._to_target(torch.from_numpy(signal.values).reshape(-1, signal.channels))
        self.device = torch.device("cpu")

    # -- value maps -------------------------------------------------------------------------------
    def _to_target(self, v: Tensor) -> Tensor:
        t_lo, t_hi = self.cfg.target_range
        return v * (t_hi - t_lo) + t_lo

    def to_unit(self, p: Tensor) -> Tensor:
        """Map model outputs back to the signal's [0, 1] range (unclamped)."""
        t_lo, t_hi = self.cfg.target_range
        return (p - t_lo) / (t_hi - t_lo)

    # -- Task API ---------------------------------------------------------------------------------
    @property
    def in_features(self) -> int:
        return self.signal.ndim

    @property
    def out_features(self) -> int:
        return self.signal.channels

    def to(self, device: torch.device) -> FittingTask:
        self.device = torch.device(device)
        self.coords = self.coords.to(self.device)
        self.targets = self.targets.to(self.device)
        return self

    def sample(self, step: int, generator: torch.Generator) -> dict[str, Tensor]:
        n = self.coords.shape[0]
        if self.cfg.batch_size <= 0 or self.cfg.batch_size >= n:
            return {"coords": self.coords, "targets": self.targets}
        idx = torch.randint(n, (self.cfg.batch_size,), generator=generator).to(self.device)
        return {"coords": self.coords[idx], "targets": self.targets[idx]}

    def loss(self, field: torch.nn.Module, batch: dict[str, Tensor]) -> dict[str, Tensor]:
        return regression_loss(field, batch["coords"], batch["targets"])

    def predict(self, field: torch.nn.Module, coords: Tensor) -> Tensor:
        """Model output at ``coords [N, d]`` mapped to [0, 1] (unclamped), without gradients."""
        with torch.no_grad():
            return self.to_unit(chunked(field, coords.to(self.device), self.cfg.eval_chunk)).cpu()

    def reconstruct(self, field: torch.nn.Module, shift: float = 0.0, scale: int = 1) -> np.ndarray:
        lo, hi = self.cfg.coord_range
        coords = grid(self.signal.grid_shape, self.cfg.coord_convention, lo, hi, shift=shift, scale=scale)
        shape = coords.shape[:-1]
        pred = self.predict(field, coords.reshape(-1, self.signal.ndim))
        return pred.reshape(*shape, self.signal.channels).numpy().astype(np.float64)

    def evaluate(self, field: torch.nn.Module, final: bool = False) -> dict[str, float]:
        pred = self.predict(field, self.coords).reshape(self.signal.values.shape).numpy().astype(np.float64)
        gt = self.signal.values.astype(np.float64)
        return {"mse": im.mse(pred, gt), "psnr": im.psnr(pred, gt), **self.extra_metrics(field, pred, gt, final)}

    def extra_metrics(self, field: torch.nn.Module, pred: np.ndarray, gt: np.ndarray, final: bool) -> dict:
        """Metrics beyond MSE and PSNR of the prediction ``pred`` (in [0, 1], unclamped) against ``gt``."""
        return {}

    def query_metrics(self, field: torch.nn.Module, shift: float = 0.0, scale: int = 1) -> dict[str, float]:
        """Library-defined proxies for shifted / super-resolved queries (protocols.md §2; not paper metrics).

        ``psnr_shift``: shifted render vs the ground truth resampled at the same sub-pixel shift (cubic
        spline, scipy ``ndimage.shift``, mode "nearest"). ``psnr_down``: the x``scale`` render averaged
        back over each pixel's samples vs the ground truth (centre grids only).
        """
        from scipy import ndimage

        out: dict[str, float] = {}
        gt = self.signal.values.astype(np.float64)
        if shift:
            render = self.reconstruct(field, shift=shift)
            shifted = np.stack([ndimage.shift(gt[..., c], [-shift] * self.signal.ndim, order=3, mode="nearest")
                                for c in range(gt.shape[-1])], axis=-1)
            out["psnr_shift"] = im.psnr(render, np.clip(shifted, 0, 1))
        if scale > 1 and self.cfg.coord_convention == "center":
            render = self.reconstruct(field, scale=scale)
            blocks = [m for n in self.signal.grid_shape for m in (n, scale)]  # [N_0, k, N_1, k, ..., C]
            down = render.reshape(*blocks, -1).mean(axis=tuple(range(1, 2 * self.signal.ndim, 2)))
            out["psnr_down"] = im.psnr(down, gt)
        return out


def fitting_kind(kind: str) -> Callable[[type[FittingTask]], type[FittingTask]]:
    """Class decorator: ``FittingTask(cfg, signal)`` builds this subclass for ``kind`` signals."""

    def deco(cls: type[FittingTask]) -> type[FittingTask]:
        FITTING_KINDS.add(kind, cls)
        FittingTask.signal_kinds = (*FittingTask.signal_kinds, kind)
        return cls

    return deco
