"""Image fitting: the fitting task (``inrkit.tasks.fitting``) on ``[H, W, C]`` images in [0, 1].

Metrics (metrics.md): MSE and PSNR of the prediction mapped back to [0, 1] and clamped, SSIM (Wang
et al. settings) for images of at least 11 x 11 pixels; at the end also PSNR of the 8-bit quantised
prediction (``psnr_u8``), PSNR_edge and noisiness (SASNet, metrics.md §4; the latter from the model's
autograd input gradient per normalised coordinate unit) and LPIPS when its weights are available
locally. Outputs: ``reconstruction.png``, ``error.png``, ``comparison.png`` (ground truth | fit |
error on a fixed scale, labelled with PSNR/SSIM) and ``plots/spectrum.png`` (radially averaged power
spectra of fit and target, ``analysis/spectrum.py``); ``inrkit render`` writes a PNG at
``scale`` samples per pixel, shifted by ``shift`` pixels.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import torch

from inrkit.analysis.comparison import save_comparison
from inrkit.analysis.signal_plots import save_error_map
from inrkit.analysis.spectrum import write_image_spectrum
from inrkit.io import write_with
from inrkit.metrics import image as im
from inrkit.metrics.lpips import lpips_metrics
from inrkit.ops.coords import pixel_pitch
from inrkit.signals.image import save_image
from inrkit.tasks.fitting import FittingTask, fitting_kind


@fitting_kind("image")
class ImageFittingTask(FittingTask):
    """Fit ``field(y, x) ~ RGB`` (or grey) on an image."""

    signal_kinds = ("image",)
    render_suffix = ".png"

    def extra_metrics(self, field: torch.nn.Module, pred: np.ndarray, gt: np.ndarray, final: bool) -> dict:
        out: dict[str, Any] = {}
        if min(self.signal.grid_shape) >= 11:
            out["ssim"] = im.ssim(pred, gt)
        if final:
            out["psnr_u8"] = im.psnr_u8(pred, gt)
            if self.cfg.edge_metrics and min(self.signal.grid_shape) >= 3:
                out.update(self.edge_metrics(field, pred, gt))
            if self.cfg.lpips and min(self.signal.grid_shape) >= 31:
                out.update(lpips_metrics(pred, gt))
        return out

    # -- SASNet reconstruction metrics ------------------------------------------------------------
    def model_gray_gradient(self, field: torch.nn.Module) -> np.ndarray:
        """Autograd gradient [H, W, 2] of the model's BT.601 grey output per normalised unit."""
        weights = torch.tensor([1.0] if self.signal.channels == 1 else [0.299, 0.587, 0.114],
                               device=self.device)
        lo, hi = self.cfg.coord_range
        grads = []
        for i in range(0, self.coords.shape[0], self.cfg.eval_chunk):
            x = self.coords[i:i + self.cfg.eval_chunk].clone().requires_grad_(True)
            gray = (self.to_unit(field(x)) * weights).sum()
            (g,) = torch.autograd.grad(gray, x, allow_unused=True) if gray.requires_grad else (None,)
            grads.append(torch.zeros_like(x).cpu() if g is None else g.detach().cpu())
        g = torch.cat(grads).numpy().astype(np.float64) * (hi - lo) / 2.0  # per unit of [-1, 1]
        return g.reshape(*self.signal.grid_shape, self.signal.ndim)

    def edge_metrics(self, field: torch.nn.Module, pred: np.ndarray, gt: np.ndarray) -> dict[str, float]:
        mask = im.edge_mask(gt)
        pitch = tuple(pixel_pitch(n, self.cfg.coord_convention) for n in self.signal.grid_shape)
        grad = self.model_gray_gradient(field)
        return {"psnr_edge": im.psnr_edge(pred, gt, mask),
                "noisiness": im.noisiness(grad, gt, pitch, ~mask)}

    # -- outputs ----------------------------------------------------------------------------------
    def render(self, field: torch.nn.Module, path: Path, scale: int = 1, shift: float = 0.0) -> str:
        self.check_render_path(path)
        return render_image(path, np.clip(self.reconstruct(field, shift=shift, scale=scale), 0.0, 1.0))

    def write_outputs(self, field: torch.nn.Module, run_dir: Path) -> dict[str, Any]:
        return write_image_outputs(run_dir, np.clip(self.reconstruct(field), 0.0, 1.0), self.signal.values)


def render_image(path: Path, img: np.ndarray) -> str:
    """Write an ``[H, W, C]`` image in [0, 1] as PNG (``inrkit render``); returns its size in words."""
    write_with(path, lambda p: save_image(p, img))
    return f"{img.shape[1]}x{img.shape[0]}"


def write_image_outputs(run_dir: Path, rec: np.ndarray, gt: np.ndarray) -> dict[str, Any]:
    """``reconstruction.png``, ``error.png`` (mean absolute error over channels), ``comparison.png`` and
    ``plots/spectrum.png`` (radially averaged power spectra, ``analysis/spectrum.py``) of an image ``rec`` in
    [0, 1] against ``gt``."""
    write_with(run_dir / "reconstruction.png", lambda p: save_image(p, rec))
    err = np.abs(rec - gt).mean(axis=-1)
    write_with(run_dir / "error.png", lambda p: save_error_map(p, err))
    save_comparison(run_dir / "comparison.png", [("", gt, rec)])
    write_image_spectrum(run_dir / "plots" / "spectrum.png", gt, rec)
    return {"reconstruction": "reconstruction.png", "error": "error.png", "comparison": "comparison.png",
            "spectrum": "plots/spectrum.png"}
