"""Image metrics: MSE/PSNR (and published variants), SSIM, SASNet PSNR_edge and noisiness.

Definitions follow ``specs/metrics.md``:

* §1 MSE/PSNR: ``PSNR = 10 log10(R^2 / MSE)`` with the prediction (never the ground truth) clamped;
  ``psnr_u8`` quantises the prediction to 8 bits first (FINER's "PSNR(U8)").
* §2.1 SSIM with Wang et al. (2004) settings: 11x11 Gaussian window (sigma 1.5), population
  covariance, mean over the valid region, then over channels (scikit-image computes exactly this).
* §4.2 the ``inrkit`` reconstruction of the SASNet paper's PSNR_edge and noisiness: BT.601
  luma, Canny (sigma 1, thresholds 0.1/0.2) dilated by a disk of radius 3, model gradient by autograd and
  ground-truth gradient by ``numpy.gradient(edge_order=2)``, both per unit of the normalised coordinate.

All functions take images as arrays ``[H, W]`` or ``[H, W, C]`` with values in [0, 1] and accumulate in
float64. They are pure: nothing is cached, every parameter is an argument.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import skimage
from scipy import ndimage
from skimage.feature import canny
from skimage.metrics import structural_similarity
from skimage.morphology import disk

from inrkit.registry import METRICS

BT601 = (0.299, 0.587, 0.114)
"""BT.601 luma weights (R, G, B), as in the SASNet demo notebook (not skimage's BT.709 ``rgb2gray``)."""

SSIM_WANG = {"gaussian_weights": True, "sigma": 1.5, "use_sample_covariance": False}
SSIM_WIN = 11  # window side of SSIM_WANG: skimage truncates the Gaussian at 3.5 sigma -> radius 5

METRIC_SETTINGS: dict[str, Any] = {
    "grayscale": "bt601",
    "canny_sigma": 1.0,
    "canny_low": 0.1,
    "canny_high": 0.2,
    "edge_radius": 3,
    "gradient_units": "normalised",
    "fd": "numpy.gradient(edge_order=2)",
    "psnr_clamp": "prediction clamped to [0, data_range]; ground truth never clamped",
    "psnr_u8": "round-half-even(255 * clamp(p)) / 255 (numpy.rint)",
    "ssim": {"window": "gaussian", "win_size": SSIM_WIN, "sigma": 1.5, "covariance": "population",
             "K1": 0.01, "K2": 0.03, "region": "valid", "data_range": 1.0},
    "ssim_skimage_default": {"window": "uniform", "win_size": 7, "covariance": "sample",
                             "K1": 0.01, "K2": 0.03, "data_range": 1.0},
    "package": f"scikit-image {skimage.__version__}",
}
"""Parameters recorded next to every result (metrics.md §0 and §4.2 "Defaults to record")."""


def _as_array(x: Any) -> np.ndarray:
    """A float64 NumPy copy of an array-like (torch tensors are detached and moved to the CPU)."""
    if hasattr(x, "detach"):
        x = x.detach().cpu().numpy()
    return np.asarray(x, dtype=np.float64)


def _pair(pred: Any, gt: Any) -> tuple[np.ndarray, np.ndarray]:
    p, g = _as_array(pred), _as_array(gt)
    if p.shape != g.shape:
        raise ValueError(f"prediction shape {p.shape} differs from ground-truth shape {g.shape}")
    if p.size == 0:
        raise ValueError("empty images")
    return p, g


def _image_pair(pred: Any, gt: Any) -> tuple[np.ndarray, np.ndarray]:
    p, g = _pair(pred, gt)
    if p.ndim not in (2, 3):
        raise ValueError(f"expected an image [H, W] or [H, W, C], got shape {p.shape}")
    return p, g


def _psnr_from_mse(mse_value: float, data_range: float) -> float:
    if mse_value == 0.0:
        return math.inf
    return float(10.0 * np.log10(data_range**2 / mse_value))


def mse(pred: Any, gt: Any, clamp: bool = True, data_range: float = 1.0) -> float:
    """Mean squared error over all samples and channels (metrics.md §1).

    Args:
        pred: prediction, any shape.
        gt: ground truth of the same shape (never clamped).
        clamp: clamp the prediction to [0, data_range] first.
        data_range: upper end of the value range (1 for [0, 1] images).
    """
    p, g = _pair(pred, gt)
    if clamp:
        p = np.clip(p, 0.0, data_range)
    return float(np.mean((p - g) ** 2))


def psnr(pred: Any, gt: Any, data_range: float = 1.0, clamp: bool = True) -> float:
    """PSNR ``10 log10(R^2 / MSE)`` in dB with the prediction clamped (``inf`` when MSE is 0).

    ``clamp=False`` gives the ``psnr_noclamp`` variant (FINER image trainer).
    """
    return _psnr_from_mse(mse(pred, gt, clamp=clamp, data_range=data_range), data_range)


def quantize_u8(img: Any) -> np.ndarray:
    """``round(255 * clamp(img, 0, 1)) / 255`` (round half to even, as ``numpy.rint``/``torch.round``)."""
    return np.rint(255.0 * np.clip(_as_array(img), 0.0, 1.0)) / 255.0


def psnr_u8(pred: Any, gt: Any) -> float:
    """PSNR of the 8-bit quantised prediction against the ground truth (FINER "PSNR(U8)")."""
    return psnr(quantize_u8(pred), gt, data_range=1.0, clamp=False)


def _check_ssim_size(shape: tuple[int, ...], win: int) -> None:
    if min(shape[:2]) < win:
        raise ValueError(f"SSIM needs images of at least {win}x{win} pixels, got {shape[0]}x{shape[1]}")


def _ssim_call(p: np.ndarray, g: np.ndarray, data_range: float, **kw: Any) -> float:
    if p.ndim == 3 and p.shape[-1] == 1:
        p, g = p[..., 0], g[..., 0]
    channel_axis = -1 if p.ndim == 3 else None
    p = np.clip(p, 0.0, data_range)
    return float(structural_similarity(g, p, data_range=data_range, channel_axis=channel_axis, **kw))


def ssim(pred: Any, gt: Any, data_range: float = 1.0) -> float:
    """SSIM with Wang et al. settings (metrics.md §2.1): Gaussian 11x11, sigma 1.5, population covariance.

    The prediction is clamped to [0, data_range]; colour images average the per-channel values.

    Raises:
        ValueError: an image side is shorter than 11 pixels.
    """
    p, g = _image_pair(pred, gt)
    _check_ssim_size(p.shape, SSIM_WIN)
    return _ssim_call(p, g, data_range, **SSIM_WANG)


def ssim_skimage_default(pred: Any, gt: Any, data_range: float = 1.0) -> float:
    """SSIM with scikit-image defaults (7x7 uniform window, sample covariance), for paper comparisons."""
    p, g = _image_pair(pred, gt)
    _check_ssim_size(p.shape, 7)
    return _ssim_call(p, g, data_range)


def gray_bt601(img: Any) -> Any:
    """BT.601 luma ``0.299 R + 0.587 G + 0.114 B`` of an ``[H, W, 3]`` image, as ``[H, W]``.

    Grayscale input (``[H, W]`` or ``[H, W, 1]``) is returned as ``[H, W]``. Torch tensors stay tensors
    (so the model's grayscale output keeps its autograd graph); anything else becomes float64 NumPy.
    """
    x = img if hasattr(img, "detach") else _as_array(img)
    if x.ndim == 2:
        return x
    if x.ndim == 3 and x.shape[-1] == 1:
        return x[..., 0]
    if x.ndim == 3 and x.shape[-1] == 3:
        return BT601[0] * x[..., 0] + BT601[1] * x[..., 1] + BT601[2] * x[..., 2]
    raise ValueError(f"expected a grayscale [H, W(, 1)] or RGB [H, W, 3] image, got shape {tuple(x.shape)}")


def edge_mask(
    gt: Any, sigma: float = 1.0, low: float = 0.1, high: float = 0.2, radius: int = 3
) -> np.ndarray:
    """SASNet edge region: Canny on the BT.601 gray ground truth, dilated by a disk (metrics.md §4.2).

    Args:
        gt: ground-truth image in [0, 1].
        sigma: Gaussian smoothing of Canny.
        low: low hysteresis threshold on the smoothed gradient magnitude.
        high: high hysteresis threshold.
        radius: radius of the dilation disk (0: no dilation).

    Returns:
        bool ``[H, W]``: True on edge pixels (``1_edge``); its complement is ``1_smooth``.
    """
    y = gray_bt601(gt)
    edges = canny(y, sigma=sigma, low_threshold=low, high_threshold=high)
    if radius > 0:
        # scipy's binary dilation (zero border) equals the deprecated skimage.morphology.binary_dilation
        edges = ndimage.binary_dilation(edges, structure=disk(radius).astype(bool))
    return np.asarray(edges, dtype=bool)


def _check_mask(mask: Any, shape: tuple[int, ...]) -> np.ndarray:
    m = np.asarray(mask.detach().cpu().numpy() if hasattr(mask, "detach") else mask)
    if m.shape != tuple(shape[:2]):
        raise ValueError(f"mask shape {m.shape} does not match image size {tuple(shape[:2])}")
    return m.astype(bool)


def psnr_edge(pred: Any, gt: Any, mask: Any = None, data_range: float = 1.0) -> float:
    """PSNR over edge pixels only: MSE averaged over masked pixels and all channels (metrics.md §4.2).

    Args:
        pred: prediction (clamped to [0, data_range]).
        gt: ground truth.
        mask: bool ``[H, W]`` edge mask; ``edge_mask(gt)`` with the defaults when None.
        data_range: R of the PSNR.

    Returns:
        PSNR_edge in dB; ``nan`` when the mask is empty, ``inf`` when the edge MSE is 0.
    """
    p, g = _image_pair(pred, gt)
    m = edge_mask(g) if mask is None else _check_mask(mask, p.shape)
    if not m.any():
        return math.nan
    diff = np.clip(p, 0.0, data_range)[m] - g[m]  # [N_edge(, C)]
    return _psnr_from_mse(float(np.mean(diff**2)), data_range)


def noisiness(
    model_grad: Any,
    gt: Any,
    pitch: tuple[float, float] | float,
    mask_smooth: Any = None,
    units: str = "normalised",
) -> float:
    """SASNet noisiness: mean over smooth pixels of ``| ||grad model|| - ||grad gt|| |`` (metrics.md §4.2).

    Args:
        model_grad: ``[H, W, 2]`` gradient (d/dy, d/dx) of the model's unclamped BT.601 grayscale output by
            autograd, per unit of the normalised [-1, 1] coordinate.
        gt: ground-truth image ``[H, W]`` or ``[H, W, 3]`` in [0, 1] (converted with ``gray_bt601``).
        pitch: ``(pitch_y, pitch_x)`` pixel pitch in normalised units (``inrkit.ops.coords.pixel_pitch``); a scalar is
            used for both axes.
        mask_smooth: bool ``[H, W]`` smooth region; ``~edge_mask(gt)`` with the defaults when None.
        units: ``"normalised"`` (intensity per normalised coordinate unit, the default) or
            ``"u8_per_pixel"`` (8-bit intensity levels per pixel: each component times ``255 * pitch``).

    Returns:
        Noisiness in the chosen units; ``nan`` when the smooth region is empty.
    """
    gm = _as_array(model_grad)
    y = gray_bt601(gt)
    if gm.shape != (*y.shape, 2):
        raise ValueError(f"model_grad must have shape {(*y.shape, 2)} (d/dy, d/dx), got {gm.shape}")
    py, px = (float(pitch), float(pitch)) if np.isscalar(pitch) else (float(pitch[0]), float(pitch[1]))
    gy, gx = np.gradient(y, py, px, edge_order=2)
    gg = np.stack([gy, gx], axis=-1)  # [H, W, 2]
    if units == "u8_per_pixel":
        scale = 255.0 * np.array([py, px])
        gm, gg = gm * scale, gg * scale
    elif units != "normalised":
        raise ValueError(f"unknown gradient units {units!r}; choose 'normalised' or 'u8_per_pixel'")
    m = ~edge_mask(gt) if mask_smooth is None else _check_mask(mask_smooth, y.shape)
    if not m.any():
        return math.nan
    diff = np.abs(np.linalg.norm(gm, axis=-1) - np.linalg.norm(gg, axis=-1))
    return float(np.mean(diff[m]))


METRICS.add("psnr", psnr, description="PSNR in dB, prediction clamped to [0, 1] (metrics.md §1)")
METRICS.add("psnr_u8", psnr_u8, description="PSNR of the 8-bit quantised prediction (FINER PSNR(U8))")
METRICS.add("ssim", ssim, description="SSIM, Wang et al. settings: Gaussian 11x11, sigma 1.5 (§2.1)")
METRICS.add(
    "ssim_skimage_default",
    ssim_skimage_default,
    description="SSIM with scikit-image defaults: 7x7 uniform, sample covariance (§2.2)",
)
METRICS.add("psnr_edge", psnr_edge, description="SASNet PSNR over the dilated Canny edge region (§4.2)")
METRICS.add("noisiness", noisiness, description="SASNet gradient-norm error over smooth pixels (§4.2)")
