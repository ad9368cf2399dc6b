"""Shared fixtures: tiny signals written to temporary files."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PIL import Image

import inrkit  # noqa: F401  (registers everything)
import inrkit.bench  # noqa: F401


def smooth_image(h: int, w: int, c: int = 3, seed: int = 0) -> np.ndarray:
    """A smooth random image in [0, 1] with some edges (a bright square)."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w] / max(h, w)
    img = np.stack([0.5 + 0.4 * np.sin(2 * np.pi * (rng.uniform(0.5, 2) * x + rng.uniform(0.5, 2) * y + k))
                    for k in range(c)], axis=-1)
    img[h // 4: h // 2, w // 4: w // 2] = 0.9
    return np.clip(img, 0, 1)


@pytest.fixture
def tiny_png(tmp_path):
    """A 24x20 RGB 8-bit PNG."""
    path = tmp_path / "tiny.png"
    Image.fromarray((smooth_image(20, 24) * 255).round().astype(np.uint8)).save(path)
    return path


@pytest.fixture(autouse=True)
def _threads():
    torch.set_num_threads(1)
    yield


@pytest.fixture
def image_factory():
    """The ``smooth_image(h, w, c, seed)`` generator."""
    return smooth_image


@pytest.fixture
def tiny_video_npz(tmp_path):
    """A 6-frame 16x20 RGB uint8 frame stack (``frames`` key, ``fps`` 10)."""
    frames = np.stack([smooth_image(16, 20, seed=t) for t in range(6)])
    path = tmp_path / "tiny_video.npz"
    np.savez(path, frames=(frames * 255).round().astype(np.uint8), fps=10)
    return path


@pytest.fixture
def tiny_wav(tmp_path):
    """A 0.05 s stereo int16 WAV at 8 kHz (400 samples) with peak 0.5 in the mono mix."""
    from scipy.io import wavfile

    t = np.arange(400) / 8000
    left, right = 0.5 * np.sin(2 * np.pi * 440 * t), 0.5 * np.sin(2 * np.pi * 440 * t + 0.1)
    path = tmp_path / "tiny.wav"
    wavfile.write(path, 8000, (np.stack([left, right], 1) * 32767).astype(np.int16))
    return path
