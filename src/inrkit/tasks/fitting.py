"""Fitting a grid signal (images now) by regression: MSE on sampled coordinates.

Protocol (protocols.md §1.6 and §2): coordinates from ``inrkit.ops.coords`` (pixel-centre grid on
[-1, 1] by default, ``ij`` order), targets linearly mapped from [0, 1] to ``target_range``, full batch
or random batches. Metrics (metrics.md): PSNR and SSIM (Wang et al. settings) on the prediction mapped
back to [0, 1] and clamped; at the end also PSNR_edge and noisiness (SASNet, metrics.md §4), the
latter from the model's autograd input gradient per normalised coordinate unit.

Queries: ``reconstruct(field, shift=s)`` renders the grid shifted by ``s`` pixels along both axes
(SASNet's pixel-shift probe) and ``scale=k`` renders ``k`` samples per pixel (x16 zoom).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import torch
from torch import Tensor

from inrkit.errors import InputError
from inrkit.io import write_with
from inrkit.metrics import image as im
from inrkit.ops.coords import chunked, grid, pixel_pitch
from inrkit.registry import TASKS, type_name
from inrkit.signals.base import Signal
from inrkit.signals.image import save_image
from inrkit.tasks.base import Task, regression_loss


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


@TASKS.register("fitting", config=FittingConfig)
class FittingTask(Task):
    """Fit ``field(coords) ~ values`` on a regular grid."""

    #: the loss depends only on (field, batch): fits can be batched by ``train/ensemble.py``.
    ensemble_ok = True

    #: the signal kind a subclass requires (None: any grid signal).
    required_kind: str | None = None

    def __init__(self, cfg: FittingConfig, signal: Signal):
        self.cfg = cfg
        self.signal = signal
        if self.required_kind is not None and signal.kind != self.required_kind:
            source = signal.meta.get("source", "signal")
            raise InputError(f"{source}: the {type_name(cfg)} task needs a {self.required_kind} signal, "
                             f"got a {signal.kind} signal")
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
        out = {"mse": im.mse(pred, gt), "psnr": im.psnr(pred, gt)}
        if self.signal.kind == "volume":
            return {**out, **volume_metrics(pred, gt, final)}
        if min(self.signal.grid_shape) >= 11:
            out["ssim"] = im.ssim(pred, gt)
        if final and self.signal.kind == "image":
            out["psnr_u8"] = im.psnr_u8(pred, gt)
            if self.cfg.edge_metrics:
                out.update(self.edge_metrics(field, pred, gt))
            if self.cfg.lpips and min(self.signal.grid_shape) >= 31:
                out.update(lpips_metric(pred, gt))
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
            h, w = self.signal.grid_shape[:2]
            down = render.reshape(h, scale, w, scale, -1).mean(axis=(1, 3))
            out["psnr_down"] = im.psnr(down, gt)
        return out

    def write_outputs(self, field: torch.nn.Module, run_dir: Path) -> dict[str, Any]:
        rec = np.clip(self.reconstruct(field), 0.0, 1.0)
        if self.signal.kind == "volume":
            return write_volume_outputs(run_dir, rec[..., 0], self.signal.values[..., 0])
        write_with(run_dir / "reconstruction.png", lambda p: save_image(p, rec))
        err = np.abs(rec - self.signal.values).mean(axis=-1)
        write_with(run_dir / "error.png", lambda p: save_error_map(p, err))
        return {"reconstruction": "reconstruction.png", "error": "error.png"}


def volume_metrics(pred: np.ndarray, gt: np.ndarray, final: bool) -> dict[str, float]:
    """3-D SSIM (metrics.md §2.3); at the end also the mean 2-D SSIM over axial (axis-0) slices."""
    from inrkit.metrics import volume as vm

    if min(gt.shape[:3]) < 11:
        return {}
    out = {"ssim": vm.ssim3d(pred, gt)}
    if final:
        out["ssim_slices"] = vm.ssim_slices(pred, gt)
    return out


def write_volume_outputs(run_dir: Path, rec: np.ndarray, gt: np.ndarray) -> dict[str, Any]:
    """``reconstruction.npz`` (float32 volume in [0, 1]) and ``slices.png`` (central slices: fit over truth)."""
    from inrkit.metrics.volume import slice_montage

    write_with(run_dir / "reconstruction.npz", lambda p: np.savez_compressed(p, volume=rec.astype(np.float32)))
    montage = np.concatenate([slice_montage(rec), slice_montage(gt)], axis=0)
    write_with(run_dir / "slices.png", lambda p: save_image(p, montage))
    err = np.abs(slice_montage(rec) - slice_montage(gt))
    write_with(run_dir / "error.png", lambda p: save_error_map(p, err))
    return {"reconstruction": "reconstruction.npz", "slices": "slices.png", "error": "error.png"}


def lpips_metric(pred: np.ndarray, gt: np.ndarray) -> dict[str, Any]:
    """``{"lpips": value}``, or ``{"lpips": None, "lpips_status": why}`` when the weights are absent."""
    from inrkit.metrics.lpips import lpips, lpips_status

    status = lpips_status()
    if status is not None:
        lpips(pred, gt)  # warns once per process with the same message
        return {"lpips": None, "lpips_status": status}
    return {"lpips": lpips(pred, gt)}


def save_error_map(path: Path, err: np.ndarray) -> None:
    """Absolute error as a colour-mapped PNG (magma, scaled to the 99th percentile)."""
    import matplotlib

    top = max(float(np.percentile(err, 99)), 1e-8)
    rgba = matplotlib.colormaps["magma"](np.clip(err / top, 0.0, 1.0))
    save_image(path, rgba[..., :3])
