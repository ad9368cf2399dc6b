"""Video fitting: regression of ``u(t, y, x)`` on a frame stack (protocols.md §4).

The fitting task (``inrkit.tasks.fitting``) on a 3-D grid ``[T, H, W]``: coordinates in inrkit's
``ij`` order, i.e. **(t, y, x)** (SCONE's order; MSA's code feeds (x, y, t), a permutation of the
same grid that changes nothing for an MLP whose first layer is initialised symmetrically in its
inputs), each axis mapped to ``coord_range``; random batches of ``batch_size`` points drawn with
replacement every step (SIREN/SCONE) — the MSA code's shuffled epochs are approximated by the same
number of random points per step [default].

Metrics (metrics.md §1-2): per-frame PSNR (prediction clamped to [0, 1], data range 1) and, at the
end, per-frame SSIM (Wang settings, RGB channel mean), each reported as the mean over frames
(``psnr``, ``ssim``) and the population standard deviation (``psnr_std``, ``ssim_std``); also MSA's
``psnr_u8_trunc`` (prediction ``floor(255 clamp(p))`` against the 8-bit frames, data range 255,
mean over frames). Outputs: ``reconstruction.mp4`` (H.264, the source's frame rate) and the first,
middle and last frames as ``frames/frame_<t>.png`` (ground truth left, fit right), and
``comparison.png`` (ground truth | fit | error of those frames, labelled with the source frame
number); ``inrkit render`` writes an MP4 at ``scale`` times the frame rate and resolution.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from inrkit.analysis.comparison import save_comparison
from inrkit.errors import InputError
from inrkit.io import write_with
from inrkit.metrics import image as im
from inrkit.metrics.regression import mean_std, psnr_u8_trunc
from inrkit.registry import TASKS
from inrkit.signals.image import save_image
from inrkit.signals.video import save_mp4
from inrkit.tasks.fitting import FittingConfig, FittingTask


@dataclass(frozen=True)
class VideoFittingConfig(FittingConfig):
    """Regression of a video on random batches."""

    #: points per step (0 = every voxel).
    batch_size: int = 65536
    edge_metrics: bool = False
    lpips: bool = False
    #: compute per-frame SSIM at periodic evaluations too (always at the end).
    ssim_every_eval: bool = False


@TASKS.register("video_fitting", config=VideoFittingConfig)
class VideoFittingTask(FittingTask):
    """Fit ``field(t, y, x) ~ RGB`` on a frame stack."""

    signal_kinds = ("video",)
    render_suffix = ".mp4"

    def evaluate(self, field, final: bool = False) -> dict[str, float]:
        pred = self.reconstruct(field)  # [T, H, W, C] in [0, 1] (unclamped)
        gt = self.signal.values.astype(np.float64)
        psnrs = [im.psnr(p, g) for p, g in zip(pred, gt, strict=True)]
        out: dict[str, float] = {"mse": im.mse(pred, gt)}
        out["psnr"], out["psnr_std"] = mean_std(psnrs)
        if (final or self.cfg.ssim_every_eval) and min(gt.shape[1:3]) >= 11:
            out["ssim"], out["ssim_std"] = mean_std([im.ssim(p, g) for p, g in zip(pred, gt, strict=True)])
        if final:
            out["psnr_u8_trunc"] = mean_std([psnr_u8_trunc(p, g) for p, g in zip(pred, gt, strict=True)])[0]
        return out

    def query_metrics(self, field, shift: float = 0.0, scale: int = 1) -> dict[str, float]:
        raise InputError("shifted / super-resolved query metrics are defined for images only")

    def render(self, field, path: Path, scale: int = 1, shift: float = 0.0) -> str:
        self.check_render_path(path)
        rec = self.reconstruct(field, shift=shift, scale=scale)
        fps = float(self.signal.meta.get("fps", 25.0)) * scale
        write_with(path, lambda p: save_mp4(p, rec, fps))
        return " x ".join(map(str, rec.shape[:-1]))

    def write_outputs(self, field, run_dir: Path) -> dict[str, Any]:
        rec = np.clip(self.reconstruct(field), 0.0, 1.0)
        fps = float(self.signal.meta.get("fps", 25.0))
        write_with(run_dir / "reconstruction.mp4", lambda p: save_mp4(p, rec, fps))
        frames, views = [], []
        for t in sorted({0, rec.shape[0] // 2, rec.shape[0] - 1}):
            pair = np.concatenate([self.signal.values[t], rec[t]], axis=1)
            name = f"frames/frame_{t:03d}.png"
            write_with(run_dir / name, lambda p, img=pair: save_image(p, img))
            frames.append(name)
            views.append((f"source frame {self.source_frame(t)}", self.signal.values[t], rec[t]))
        save_comparison(run_dir / "comparison.png", views)
        return {"reconstruction": "reconstruction.mp4", "frames": frames, "comparison": "comparison.png"}

    def source_frame(self, t: int) -> int:
        """The source file's frame number of fitted frame ``t`` (``crop`` keeps the first frames)."""
        return t * int(self.signal.meta.get("stride") or 1)
