"""Volume fitting: the fitting task (``inrkit.tasks.fitting``) on ``[D, H, W, 1]`` scalar volumes.

Metrics (metrics.md §2.3): MSE and PSNR over all voxels, 3-D SSIM for volumes of at least 11 samples
per axis and, at the end, the mean 2-D SSIM over axial (axis-0) slices (``ssim_slices``). Outputs:
``reconstruction.npz`` (float32 ``volume`` in [0, 1]), ``slices.png`` (central slices, fit over
truth), ``error.png`` and ``comparison.png`` (ground truth | fit | error of the three central
slices, labelled with the slice index and PSNR/SSIM); ``inrkit render`` writes an NPZ volume at
``scale`` samples per voxel.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import torch

from inrkit.analysis.comparison import save_comparison
from inrkit.analysis.signal_plots import save_error_map
from inrkit.io import write_with
from inrkit.metrics import volume as vm
from inrkit.signals.image import save_image
from inrkit.signals.volume import save_volume
from inrkit.tasks.fitting import FittingTask, fitting_kind


def volume_metrics(pred: np.ndarray, gt: np.ndarray, final: bool) -> dict[str, float]:
    """3-D SSIM for volumes of at least 11 samples per axis; at the end also ``ssim_slices``."""
    if min(gt.shape[:3]) < 11:
        return {}
    out = {"ssim": vm.ssim3d(pred, gt)}
    if final:
        out["ssim_slices"] = vm.ssim_slices(pred, gt)
    return out


def write_volume_outputs(run_dir: Path, rec: np.ndarray, gt: np.ndarray) -> dict[str, Any]:
    """``reconstruction.npz``, ``slices.png``, ``error.png`` and ``comparison.png`` of a ``[D, H, W]`` volume
    ``rec`` in [0, 1] against ``gt``."""
    write_with(run_dir / "reconstruction.npz", lambda p: save_volume(p, rec))
    montage = np.concatenate([vm.slice_montage(rec), vm.slice_montage(gt)], axis=0)
    write_with(run_dir / "slices.png", lambda p: save_image(p, montage))
    err = np.abs(vm.slice_montage(rec) - vm.slice_montage(gt))
    write_with(run_dir / "error.png", lambda p: save_error_map(p, err))
    save_comparison(run_dir / "comparison.png", central_slices(gt, rec))
    return {"reconstruction": "reconstruction.npz", "slices": "slices.png", "error": "error.png",
            "comparison": "comparison.png"}


def render_volume(path: Path, vol: np.ndarray) -> str:
    """Write a ``[D, H, W]`` volume as NPZ (``inrkit render``); returns its size in words."""
    write_with(path, lambda p: save_volume(p, vol))
    return " x ".join(map(str, vol.shape))


@fitting_kind("volume")
class VolumeFittingTask(FittingTask):
    """Fit ``field(z, y, x) ~ v`` on a scalar volume."""

    signal_kinds = ("volume",)
    render_suffix = ".npz"

    def extra_metrics(self, field: torch.nn.Module, pred: np.ndarray, gt: np.ndarray, final: bool) -> dict:
        return volume_metrics(pred, gt, final)

    def render(self, field: torch.nn.Module, path: Path, scale: int = 1, shift: float = 0.0) -> str:
        self.check_render_path(path)
        return render_volume(path, np.clip(self.reconstruct(field, shift=shift, scale=scale), 0.0, 1.0)[..., 0])

    def write_outputs(self, field: torch.nn.Module, run_dir: Path) -> dict[str, Any]:
        rec = np.clip(self.reconstruct(field), 0.0, 1.0)[..., 0]
        return write_volume_outputs(run_dir, rec, self.signal.values[..., 0])


def central_slices(gt: np.ndarray, rec: np.ndarray) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """``(label, gt, fit)`` for the central slice across each axis of ``[D, H, W]`` volumes."""
    views = []
    for axis, name in enumerate(("z", "y", "x")):
        i = gt.shape[axis] // 2
        views.append((f"{name} = {i}", np.take(gt, i, axis=axis), np.take(rec, i, axis=axis)))
    return views
