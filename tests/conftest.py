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
