"""Audio fitting: regression of a waveform ``u(t)`` (SIREN "bach", protocols.md §5).

The fitting task (``inrkit.tasks.fitting``) on a 1-D grid, with the SIREN audio conventions:
coordinates ``linspace(-1, 1, N)`` (``coord_convention="endpoint"``; SIREN pairs them with a
first-layer omega_0 of 3000, see the ``*-audio`` recipes), targets the waveform itself in [-1, 1],
full batch by default (``batch_size`` for random batches).

Metrics (metrics.md §1): ``mse`` of the waveform (unclamped prediction), ``snr`` =
``10 log10(sum g^2 / sum (p - g)^2)`` in dB, and ``psnr`` with data range 2 on the prediction clamped
to [-1, 1] (the primary metric). Outputs: ``reconstruction.wav`` (float32, the signal's sample rate)
and ``plots/waveform.png`` / ``plots/spectrogram.png`` (ground truth, fit and error) / ``plots/spectrum.png``
(power spectra of fit and target, ``analysis/spectrum.py``); ``inrkit render``
writes a WAV at ``scale`` times the sample rate.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
from torch import Tensor

from inrkit.analysis.signal_plots import plot_spectrogram, plot_waveform
from inrkit.analysis.spectrum import write_audio_spectrum
from inrkit.errors import InputError
from inrkit.io import write_with
from inrkit.metrics.regression import mse, psnr_clamped, snr_db
from inrkit.registry import TASKS
from inrkit.signals.audio import save_wav
from inrkit.tasks.fitting import FittingConfig, FittingTask


@dataclass(frozen=True)
class AudioFittingConfig(FittingConfig):
    """Waveform regression (SIREN audio protocol)."""

    coord_convention: Literal["center", "endpoint"] = "endpoint"
    target_range: tuple[float, float] = (-1.0, 1.0)
    edge_metrics: bool = False
    lpips: bool = False


@TASKS.register("audio_fitting", config=AudioFittingConfig)
class AudioFittingTask(FittingTask):
    """Fit ``field(t) ~ x(t)`` on a waveform."""

    signal_kinds = ("audio",)
    render_suffix = ".wav"

    def check_signal(self, signal) -> None:
        """A silent waveform has no SNR (its power is zero): refused with one line."""
        super().check_signal(signal)
        if signal.values.size and not np.any(signal.values):
            raise InputError(f"{signal.meta.get('source', 'signal')}: the audio is silent (every sample is 0); "
                             "SNR is undefined")

    # the waveform lives in value_range (-1, 1); map it linearly to target_range and back
    def _to_target(self, v: Tensor) -> Tensor:
        (v_lo, v_hi), (t_lo, t_hi) = self.signal.value_range, self.cfg.target_range
        return (v - v_lo) / (v_hi - v_lo) * (t_hi - t_lo) + t_lo

    def to_unit(self, p: Tensor) -> Tensor:
        """Model outputs mapped back to the waveform's own range (-1, 1), unclamped."""
        (v_lo, v_hi), (t_lo, t_hi) = self.signal.value_range, self.cfg.target_range
        return (p - t_lo) / (t_hi - t_lo) * (v_hi - v_lo) + v_lo

    def evaluate(self, field, final: bool = False) -> dict[str, float]:
        pred = self.reconstruct(field)[:, 0]
        gt = self.signal.values[:, 0].astype(np.float64)
        return {"mse": mse(pred, gt), "snr": snr_db(pred, gt), "psnr": psnr_clamped(pred, gt, *self.signal.value_range)}

    def query_metrics(self, field, shift: float = 0.0, scale: int = 1) -> dict[str, float]:
        return {}

    def render(self, field, path: Path, scale: int = 1, shift: float = 0.0) -> str:
        self.check_render_path(path)
        rec = self.reconstruct(field, shift=shift, scale=scale)
        rate = float(self.signal.meta.get("sample_rate", 44100)) * scale
        write_with(path, lambda p: save_wav(p, rec[:, 0], rate))
        return " x ".join(map(str, rec.shape[:-1]))

    def write_outputs(self, field, run_dir: Path) -> dict[str, Any]:
        pred = self.reconstruct(field)[:, 0]
        gt = self.signal.values[:, 0]
        rate = float(self.signal.meta.get("sample_rate", 44100))
        write_with(run_dir / "reconstruction.wav", lambda p: save_wav(p, pred, rate))
        write_with(run_dir / "plots" / "waveform.png", lambda p: plot_waveform(p, gt, pred, rate))
        write_with(run_dir / "plots" / "spectrogram.png", lambda p: plot_spectrogram(p, gt, pred, rate))
        write_audio_spectrum(run_dir / "plots" / "spectrum.png", gt, pred, rate)
        return {"reconstruction": "reconstruction.wav", "waveform": "plots/waveform.png",
                "spectrogram": "plots/spectrogram.png", "spectrum": "plots/spectrum.png"}
