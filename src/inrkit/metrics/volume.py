"""Volume metrics (metrics.md §2.3): 3-D SSIM over the whole volume and mean 2-D SSIM over slices.

Both use the Wang et al. settings of ``inrkit.metrics.image`` (Gaussian window sigma 1.5 truncated to
11 samples per axis, population covariance, data range 1) with the prediction clamped to [0, 1].
PSNR over all voxels is ``inrkit.metrics.image.psnr`` (shape-agnostic).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from skimage.metrics import structural_similarity

from inrkit.metrics.image import SSIM_WANG, SSIM_WIN, _pair


def _volume_pair(pred: Any, gt: Any) -> tuple[np.ndarray, np.ndarray]:
    p, g = _pair(pred, gt)
    if p.ndim == 4 and p.shape[-1] == 1:
        p, g = p[..., 0], g[..., 0]
    if p.ndim != 3:
        raise ValueError(f"expected a volume [D, H, W] or [D, H, W, 1], got shape {p.shape}")
    if min(p.shape) < SSIM_WIN:
        raise ValueError(f"SSIM needs volumes of at least {SSIM_WIN} samples per axis, got {p.shape}")
    return np.clip(p, 0.0, 1.0), g


def ssim3d(pred: Any, gt: Any, data_range: float = 1.0) -> float:
    """3-D SSIM with an 11^3 Gaussian window (scikit-image, ``channel_axis=None``)."""
    p, g = _volume_pair(pred, gt)
    return float(structural_similarity(g, p, data_range=data_range, channel_axis=None, **SSIM_WANG))


def ssim_slices(pred: Any, gt: Any, axis: int = 0, data_range: float = 1.0) -> float:
    """Mean 2-D SSIM over the slices along ``axis`` (axial slices for axis 0)."""
    p, g = _volume_pair(pred, gt)
    p, g = np.moveaxis(p, axis, 0), np.moveaxis(g, axis, 0)
    values = [structural_similarity(gs, ps, data_range=data_range, **SSIM_WANG) for ps, gs in zip(p, g, strict=True)]
    return float(np.mean(values))


def slice_montage(vol: np.ndarray) -> np.ndarray:
    """The three central orthogonal slices of ``[D, H, W]`` side by side (grey, padded to equal height)."""
    d, h, w = vol.shape
    views = [vol[d // 2], vol[:, h // 2], vol[:, :, w // 2]]
    top = max(v.shape[0] for v in views)
    return np.concatenate([np.pad(v, ((0, top - v.shape[0]), (0, 2))) for v in views], axis=1)
