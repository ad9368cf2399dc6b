"""Audio signals: WAV files as ``[N, 1]`` waveforms in [-1, 1] (protocols.md §5, data.md §2).

Read with SciPy (``scipy.io.wavfile``); integer PCM is scaled to [-1, 1] by its type's range
(int16 / 32768, int32 / 2^31, uint8 ``(x - 128) / 128``), float files are taken as they are.
Multi-channel files are averaged to mono (data.md §2; the spec's rule, instead of keeping the first
channel). The waveform is then normalised by ``max|x|`` (a no-op for SIREN's ``gt_bach.wav``,
required for other files). ``crop`` keeps the first N samples; ``stride`` keeps every k-th sample
(plain decimation without filtering; the sample rate in ``meta`` is divided accordingly).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from inrkit.errors import InputError
from inrkit.signals.base import Signal
from inrkit.signals.loaders import LoadRequest, register_loader

AUDIO_SUFFIXES = (".wav",)


def load_wav(path: str | Path, crop: int | None = None, stride: int = 1) -> Signal:
    """A WAV file as a mono ``Signal`` (``values [N, 1]`` float32, kind "audio", range (-1, 1))."""
    from scipy.io import wavfile

    try:
        rate, data = wavfile.read(str(path))
    except (OSError, ValueError) as err:
        raise InputError(f"{path}: cannot read WAV file ({err})") from None
    raw_dtype = str(data.dtype)
    x = data.astype(np.float64)
    if data.dtype == np.int16:
        x /= 32768.0
    elif data.dtype == np.int32:
        x /= 2.0 ** 31
    elif data.dtype == np.uint8:
        x = (x - 128.0) / 128.0
    channels = 1 if x.ndim == 1 else x.shape[1]
    if x.ndim == 2:
        x = x.mean(axis=1)
    if stride < 1 or (crop is not None and crop < 1):
        raise InputError(f"{path}: crop and stride must be >= 1")
    x = x[:crop:stride] if crop is not None else x[::stride]
    if x.size == 0 or not np.isfinite(x).all():
        raise InputError(f"{path}: the waveform is empty or holds non-finite values")
    peak = float(np.abs(x).max())
    if peak > 0:
        x = x / peak
    meta = {"source": str(path), "sample_rate": rate / stride, "channels": channels, "dtype": raw_dtype,
            "peak": peak, "samples": int(x.size)}
    return Signal(values=x.astype(np.float32).reshape(-1, 1), kind="audio", value_range=(-1.0, 1.0), meta=meta)


@register_loader("audio", kind="audio", suffixes=AUDIO_SUFFIXES, description="audio (.wav)")
def _load(req: LoadRequest) -> Signal:
    return load_wav(req.path, crop=req.crop, stride=req.stride)


def save_wav(path: str | Path, x: np.ndarray, rate: float) -> None:
    """Write a float32 mono WAV (values clipped to [-1, 1])."""
    from scipy.io import wavfile

    wavfile.write(str(path), int(round(rate)), np.clip(np.asarray(x, np.float32).reshape(-1), -1.0, 1.0))
