"""Figures of fitted signals written into run directories: error maps, audio waveforms and
spectrograms, 1-D function fits and PDE solutions (matplotlib on the Agg backend, imported lazily).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from inrkit.analysis.plots import pyplot, save_figure
from inrkit.signals.image import save_image


def save_error_map(path: Path, err: np.ndarray) -> None:
    """Absolute error as a colour-mapped PNG (magma, scaled to the 99th percentile)."""
    import matplotlib

    top = max(float(np.percentile(err, 99)), 1e-8)
    rgba = matplotlib.colormaps["magma"](np.clip(err / top, 0.0, 1.0))
    save_image(path, rgba[..., :3])


def plot_waveform(path: Path, gt: np.ndarray, pred: np.ndarray, rate: float) -> None:
    """Ground truth and fit over time, and the error."""
    plt = pyplot()
    t = np.arange(gt.size) / rate
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(10, 4.5), dpi=110, sharex=True)
    top.plot(t, gt, color="black", lw=0.4, label="ground truth")
    top.plot(t, pred, color="tab:red", lw=0.3, alpha=0.7, label="fit")
    top.legend(loc="upper right", fontsize=7)
    top.set_ylabel("amplitude")
    bottom.plot(t, pred - gt, color="tab:gray", lw=0.3)
    bottom.set_ylabel("fit - truth")
    bottom.set_xlabel("time (s)")
    fig.tight_layout()
    save_figure(fig, path)


def plot_spectrogram(path: Path, gt: np.ndarray, pred: np.ndarray, rate: float) -> None:
    """Log-power spectrograms (1024-sample Hann windows) of the ground truth and the fit."""
    plt = pyplot()
    nfft = int(min(1024, 2 ** int(math.log2(max(gt.size, 16)))))
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.8), dpi=110, sharey=True)
    for ax, x, title in ((axes[0], gt, "ground truth"), (axes[1], pred, "fit")):
        ax.specgram(np.asarray(x, np.float64), NFFT=nfft, Fs=rate, noverlap=nfft // 2, cmap="magma")
        ax.set_title(title)
        ax.set_xlabel("time (s)")
    axes[0].set_ylabel("frequency (Hz)")
    fig.tight_layout()
    save_figure(fig, path)


def plot_fit(path: Path, a: dict[str, np.ndarray], name: str) -> None:
    """Target vs fit on the dense grid (training samples as dots) above the absolute error (log scale)."""
    plt = pyplot()
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(8, 5), dpi=110, sharex=True,
                                      gridspec_kw={"height_ratios": [2, 1]})
    top.plot(a["x"], a["target"], color="black", lw=1.0, label="target")
    top.plot(a["x"], a["prediction"], color="tab:red", lw=0.8, ls="--", label="fit")
    top.plot(a["x_train"], a["y_train"], ".", color="tab:blue", ms=1.5, label="training samples")
    top.set_ylabel(f"{name}(x)")
    top.legend(loc="upper right", fontsize=7)
    err = np.abs(a["prediction"] - a["target"])
    bottom.semilogy(a["x"], np.maximum(err, 1e-18), color="tab:gray", lw=0.6)
    bottom.set_xlabel("x")
    bottom.set_ylabel("|fit - target|")
    for ax in (top, bottom):
        ax.grid(alpha=0.3)
    fig.tight_layout()
    save_figure(fig, path)


def plot_solution(path: Path, a: dict[str, np.ndarray], problem: Any) -> None:
    """Exact solution, prediction and absolute error on the evaluation grid."""
    plt = pyplot()
    (x0, x1), (y0, y1) = problem.bounds
    extent = (x0, x1, y0, y1)
    err = np.abs(a["prediction"] - a["exact"])
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.6), dpi=110)
    panels = ((a["exact"], "exact", "RdBu_r"), (a["prediction"], "prediction", "RdBu_r"), (err, "|error|", "magma"))
    for ax, (img, title, cmap) in zip(axes, panels, strict=True):
        im = ax.imshow(img.T, origin="lower", extent=extent, aspect="auto", cmap=cmap)
        ax.set_title(f"{problem.name}: {title}")
        ax.set_xlabel(problem.axes[0])
        ax.set_ylabel(problem.axes[1])
        fig.colorbar(im, ax=ax, fraction=0.046)
    fig.tight_layout()
    save_figure(fig, path)
