"""Metrics of non-image signals (metrics.md §1, §2, §7): float64 MSE, audio SNR and clamped PSNR, PDE
relative L2, and the per-frame aggregation and truncated 8-bit PSNR of MSA's video protocol.

Pure functions of NumPy arrays, computed in float64; images and volumes are in ``image.py`` and
``volume.py``.
"""

from __future__ import annotations

import math

import numpy as np


def mse(pred: np.ndarray, target: np.ndarray) -> float:
    """Mean squared error in float64 (no clamping, no data range)."""
    return float(np.mean((np.asarray(pred, np.float64) - np.asarray(target, np.float64)) ** 2))


def snr_db(pred: np.ndarray, gt: np.ndarray) -> float:
    """``10 log10(sum g^2 / sum (p - g)^2)`` (float64); -inf for a silent (all-zero) reference."""
    p, g = np.asarray(pred, np.float64), np.asarray(gt, np.float64)
    err, power = float(np.sum((p - g) ** 2)), float(np.sum(g ** 2))
    if err == 0:
        return math.inf
    return -math.inf if power == 0 else 10.0 * math.log10(power / err)


def psnr_clamped(pred: np.ndarray, gt: np.ndarray, lo: float, hi: float) -> float:
    """PSNR in dB of the prediction clamped to ``[lo, hi]``, data range ``hi - lo`` (audio: 2)."""
    err = mse(np.clip(np.asarray(pred, np.float64), lo, hi), gt)
    return math.inf if err == 0 else 10 * math.log10((hi - lo) ** 2 / err)


def relative_l2(pred: np.ndarray, exact: np.ndarray) -> float:
    """``||pred - exact||_2 / ||exact||_2`` in float64 (metrics.md §7)."""
    p, e = np.asarray(pred, np.float64), np.asarray(exact, np.float64)
    return float(np.linalg.norm(p - e) / np.linalg.norm(e))


def mean_std(values: list[float]) -> tuple[float, float]:
    """Mean and population standard deviation of the finite values (inf PSNRs are left out)."""
    v = np.asarray([x for x in values if math.isfinite(x)], np.float64)
    return (float(v.mean()), float(v.std())) if v.size else (math.inf, 0.0)


def psnr_u8_trunc(pred: np.ndarray, gt: np.ndarray) -> float:
    """MSA video PSNR of one frame: ``floor(255 clamp(p))`` vs ``round(255 g)``, data range 255."""
    p = np.floor(np.clip(pred, 0.0, 1.0) * 255.0)
    g = np.round(np.asarray(gt, np.float64) * 255.0)
    err = float(np.mean((p - g) ** 2))
    return math.inf if err == 0 else 10 * math.log10(255.0 ** 2 / err)
