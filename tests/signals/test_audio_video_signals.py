"""WAV and video loaders: formats, preparation (crop / stride / max_side) and detection."""

from __future__ import annotations

import numpy as np
import pytest

from inrkit.errors import InputError
from inrkit.signals import load_signal, signal_kind
from inrkit.signals.audio import load_wav, save_wav
from inrkit.signals.video import downsample, is_video_npz, load_video, save_mp4


def test_wav_mono_mix_normalisation_crop_and_roundtrip(tiny_wav, tmp_path):
    assert signal_kind(str(tiny_wav)) == "audio"
    s = load_signal(str(tiny_wav))
    assert s.kind == "audio" and s.values.shape == (400, 1) and s.values.dtype == np.float32
    assert np.isclose(np.abs(s.values).max(), 1.0) and s.meta["channels"] == 2 and s.meta["sample_rate"] == 8000
    cropped = load_wav(tiny_wav, crop=100, stride=2)
    assert cropped.values.shape == (50, 1) and cropped.meta["sample_rate"] == 4000
    out = tmp_path / "out.wav"
    save_wav(out, s.values, 8000)
    assert np.allclose(load_wav(out).values, s.values, atol=1e-6)


def test_bad_wav_is_an_input_error(tmp_path):
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"not a wav")
    with pytest.raises(InputError, match="cannot read WAV"):
        load_signal(str(bad))


def test_npz_video_detection_and_preparation(tiny_video_npz, tmp_path):
    assert is_video_npz(tiny_video_npz) and signal_kind(str(tiny_video_npz)) == "video"
    volume = tmp_path / "volume.npz"
    np.savez(volume, volume=np.zeros((4, 4, 4), np.uint8))
    assert not is_video_npz(volume)
    s = load_signal(str(tiny_video_npz), max_side=10, crop=5, stride=2)
    assert s.kind == "video" and s.values.shape == (3, 8, 10, 3) and s.meta["fps"] == 5.0
    full = load_video(str(tiny_video_npz))
    assert full.values.shape == (6, 16, 20, 3) and 0 <= full.values.min() and full.values.max() <= 1
    # integer factors are area averages
    assert np.allclose(s.values[0], full.values[0].reshape(8, 2, 10, 2, 3).mean(axis=(1, 3)), atol=1e-6)
    # the video: prefix forces the loader for an NPZ whose single array is the stack
    single = tmp_path / "stack.npz"
    np.savez(single, np.zeros((2, 4, 4), np.float32))
    assert load_signal(f"video:{single}").values.shape == (2, 4, 4, 1)


def test_downsample_non_integer_factor_uses_resize():
    frames = np.random.default_rng(0).uniform(size=(2, 9, 15, 3))
    assert downsample(frames, 10).shape == (2, 6, 10, 3)


def test_mp4_roundtrip(tmp_path, tiny_video_npz):
    s = load_video(str(tiny_video_npz))
    path = tmp_path / "v.mp4"
    save_mp4(path, s.values[:, :15, :19], fps=10)  # odd sizes are padded to even
    back = load_signal(str(path))
    assert back.values.shape == (6, 16, 20, 3)
    assert np.abs(back.values[:, :15, :19] - s.values[:, :15, :19]).mean() < 0.1


def test_shared_bikes_npz_is_a_video():
    from inrkit.signals.data import data_root

    path = data_root() / "video" / "bikes_frames000-049.npz"
    if not path.exists():
        pytest.skip("shared data not available")
    s = load_signal("data:video/bikes_frames000-049.npz", max_side=160, crop=10, stride=5)
    assert s.values.shape == (2, 68, 160, 3)
