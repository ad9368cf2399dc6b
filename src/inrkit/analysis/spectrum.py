"""Power spectra of a fit against its target: the frequency view of the signal-processing INR survey.

Essakine et al., "Where do we stand with implicit neural representations? A technical and performance
survey" (arXiv:2411.03688), compares INRs by how much of the target's spectrum they recover (spectral
bias: a ReLU MLP fits the low frequencies first, sine/Gabor/Fourier-feature fields reach higher ones).
Here the view is the radially averaged power spectrum of an image and the power spectrum of a waveform:

- ``radial_power_spectrum(img)``: the image (channels averaged to grey), minus its mean, times a 2-D
  Hann window ``w = hann(H) hann(W)^T``; ``P(f) = |FFT(w (g - mean g))|^2 / sum(w^2)`` (so white noise of
  variance s^2 has ``P = s^2`` everywhere), averaged over annuli of the radial frequency
  ``rho = sqrt(f_y^2 + f_x^2)`` in cycles per pixel (``numpy.fft.fftfreq`` per axis, so non-square images
  are measured correctly). Annulus ``k`` holds ``round(rho * max(H, W)) = k``; the returned frequencies
  are ``k / max(H, W)`` for ``k = 1 .. max(H, W) // 2`` (DC left out, Nyquist 0.5 included).
- ``power_spectrum_1d(x)``: the same for a waveform ``[N]`` with ``numpy.fft.rfft``, frequencies in
  cycles per sample ``1/N .. 0.5``.

``plot_spectra`` draws target and fit on log-log axes and their ratio ``P_fit / P_target`` below
(1 = the fit has the target's power at that frequency; below 1 = missing detail, above = noise).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from inrkit.analysis.plots import pyplot, save_figure


def to_gray(img: np.ndarray) -> np.ndarray:
    """``[H, W]`` float64 from ``[H, W]`` or ``[H, W, C]`` (channels averaged)."""
    a = np.asarray(img, dtype=np.float64)
    if a.ndim == 3:
        a = a.mean(axis=-1)
    if a.ndim != 2:
        raise ValueError(f"expected an [H, W] or [H, W, C] image, got shape {np.shape(img)}")
    return a


def windowed_power(x: np.ndarray, window: bool) -> tuple[np.ndarray, float]:
    """``x`` minus its mean times a separable Hann window (or ones), and ``sum(w^2)``."""
    x = x - x.mean()
    w = np.ones_like(x)
    if window:
        for axis, n in enumerate(x.shape):
            shape = [1] * x.ndim
            shape[axis] = n
            w = w * np.hanning(n).reshape(shape) if n > 2 else w
    return x * w, float(np.sum(w * w))


def radial_power_spectrum(img: np.ndarray, window: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Radially averaged 2-D power spectrum (see the module docstring).

    Args:
        img: ``[H, W]`` or ``[H, W, C]`` image.
        window: multiply by a 2-D Hann window first (suppresses the cross of the periodic-boundary jump).

    Returns:
        ``(freqs, power)``: annulus frequencies ``k / max(H, W)`` in cycles per pixel, ``k = 1 ..
        max(H, W) // 2``, and the mean power in each annulus.
    """
    g = to_gray(img)
    h, w = g.shape
    xw, norm = windowed_power(g, window)
    power = np.abs(np.fft.fft2(xw)) ** 2 / max(norm, 1e-300)  # [H, W]
    rho = np.hypot(*np.meshgrid(np.fft.fftfreq(h), np.fft.fftfreq(w), indexing="ij"))  # cycles / pixel
    n = max(h, w)
    k = np.rint(rho * n).astype(np.int64).ravel()
    top = n // 2
    keep = k <= top
    sums = np.bincount(k[keep], weights=power.ravel()[keep], minlength=top + 1)
    counts = np.bincount(k[keep], minlength=top + 1)
    ks = np.arange(1, top + 1)
    return ks / n, sums[1:] / np.maximum(counts[1:], 1)


def power_spectrum_1d(x: np.ndarray, window: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Power spectrum ``|rfft(w (x - mean x))|^2 / sum(w^2)`` of a waveform ``[N]`` (``[N, C]``: channels
    averaged); returns ``(freqs, power)`` with frequencies ``1/N .. 0.5`` in cycles per sample (DC left out)."""
    a = np.asarray(x, dtype=np.float64)
    if a.ndim == 2:
        a = a.mean(axis=-1)
    if a.ndim != 1:
        raise ValueError(f"expected an [N] waveform, got shape {np.shape(x)}")
    xw, norm = windowed_power(a, window)
    power = np.abs(np.fft.rfft(xw)) ** 2 / max(norm, 1e-300)
    return np.fft.rfftfreq(a.size)[1:], power[1:]


def log_binned(freqs: np.ndarray, power: np.ndarray, bins: int = 256) -> tuple[np.ndarray, np.ndarray]:
    """Mean power in ``bins`` log-spaced frequency bins (empty bins dropped), for plotting long spectra."""
    if freqs.size <= bins:
        return freqs, power
    edges = np.geomspace(freqs[0], freqs[-1] * (1 + 1e-9), bins + 1)
    idx = np.clip(np.searchsorted(edges, freqs, side="right") - 1, 0, bins - 1)
    counts = np.bincount(idx, minlength=bins)
    f = np.bincount(idx, weights=freqs, minlength=bins)
    p = np.bincount(idx, weights=power, minlength=bins)
    ok = counts > 0
    return f[ok] / counts[ok], p[ok] / counts[ok]


def plot_spectra(path: Path, freqs: np.ndarray, target: np.ndarray, fit: np.ndarray, xlabel: str,
                 title: str = "power spectrum") -> None:
    """Target and fit power on log-log axes (top) and ``fit / target`` (bottom; log scale when it spans more
    than a decade) as a PNG."""
    plt = pyplot()
    floor = 1e-30  # a constant image has zero power: keep the log axes finite
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(6.4, 5.6), dpi=110, sharex=True,
                                      gridspec_kw={"height_ratios": [2, 1]})
    top.loglog(freqs, np.maximum(target, floor), color="black", lw=1.3, label="target")
    top.loglog(freqs, np.maximum(fit, floor), color="tab:red", lw=1.1, label="fit")
    top.set_ylabel("power")
    top.set_title(title, fontsize=10)
    top.legend(fontsize=8)
    top.grid(alpha=0.3, which="both")
    ratio = np.maximum(fit, floor) / np.maximum(target, floor)
    bottom.plot(freqs, ratio, color="tab:blue", lw=1.1)
    if ratio.max() / ratio.min() > 10:  # a wide range on a log axis; a narrow one (0.9 .. 1.3) reads better linear
        bottom.set_yscale("log")
    from matplotlib.ticker import FuncFormatter

    plain = FuncFormatter(lambda v, _: f"{v:g}")  # 0.9, 1.1, 0.01: not 9e-01
    bottom.yaxis.set_major_formatter(plain)
    bottom.yaxis.set_minor_formatter(FuncFormatter(lambda v, _: ""))
    bottom.axhline(1.0, color="gray", lw=0.8, ls="--")
    bottom.set_ylabel("fit / target")
    bottom.set_xlabel(xlabel)
    bottom.grid(alpha=0.3, which="both")
    fig.tight_layout()
    save_figure(fig, path)


def write_image_spectrum(path: Path, target: np.ndarray, fit: np.ndarray) -> None:
    """``plot_spectra`` of the radially averaged spectra of an image fit and its target."""
    freqs, p_target = radial_power_spectrum(target)
    _, p_fit = radial_power_spectrum(fit)
    path.parent.mkdir(parents=True, exist_ok=True)
    plot_spectra(path, freqs, p_target, p_fit, "frequency (cycles / pixel)", "radially averaged power spectrum")


def write_audio_spectrum(path: Path, target: np.ndarray, fit: np.ndarray, rate: float) -> None:
    """``plot_spectra`` of a waveform fit and its target (frequencies in Hz at ``rate``, log-binned)."""
    freqs, p_target = power_spectrum_1d(target)
    _, p_fit = power_spectrum_1d(fit)
    f, t = log_binned(freqs, p_target)
    _, p = log_binned(freqs, p_fit)
    path.parent.mkdir(parents=True, exist_ok=True)
    plot_spectra(path, f * rate, t, p, "frequency (Hz)", "power spectrum")
