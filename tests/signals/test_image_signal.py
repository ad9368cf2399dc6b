"""Image loading: bit depths, channel layouts, built-ins and clear errors on bad input."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from inrkit.errors import InputError
from inrkit.signals import load_signal
from inrkit.signals.data import resolve


def test_8bit_rgb(tmp_path):
    arr = (np.arange(4 * 5 * 3) % 256).astype(np.uint8).reshape(4, 5, 3)
    Image.fromarray(arr).save(tmp_path / "a.png")
    sig = load_signal(str(tmp_path / "a.png"))
    assert sig.values.shape == (4, 5, 3) and sig.values.dtype == np.float32
    assert np.allclose(sig.values, arr / 255.0)
    assert sig.meta["bit_depth"] == 8 and sig.grid_shape == (4, 5)


def test_16bit_grey_png_and_tiff(tmp_path):
    arr = np.array([[0, 1000], [40000, 65535]], dtype=np.uint16)
    for name in ("g.png", "g.tif"):
        Image.fromarray(arr).save(tmp_path / name)
        sig = load_signal(str(tmp_path / name))
        assert sig.values.shape == (2, 2, 1)
        assert np.allclose(sig.values[..., 0], arr / 65535.0)
        assert sig.meta["bit_depth"] == 16


def test_rgba_drops_alpha_and_palette_becomes_rgb(tmp_path):
    rgba = np.zeros((3, 3, 4), np.uint8)
    rgba[..., 0], rgba[..., 3] = 200, 10
    Image.fromarray(rgba, "RGBA").save(tmp_path / "a.png")
    sig = load_signal(str(tmp_path / "a.png"))
    assert sig.values.shape == (3, 3, 3) and np.allclose(sig.values[..., 0], 200 / 255)
    Image.fromarray(rgba[..., :3]).convert("P").save(tmp_path / "p.png")
    assert load_signal(str(tmp_path / "p.png")).values.shape == (3, 3, 3)


def test_jpeg_and_grey(tmp_path):
    Image.fromarray(np.full((8, 8, 3), 128, np.uint8)).save(tmp_path / "a.jpg")
    assert load_signal(str(tmp_path / "a.jpg")).values.shape == (8, 8, 3)
    Image.fromarray(np.full((8, 8), 7, np.uint8)).save(tmp_path / "g.png")
    assert load_signal(str(tmp_path / "g.png")).values.shape == (8, 8, 1)


def test_builtin_and_resize():
    sig = load_signal("builtin:camera", max_side=64)
    assert sig.values.shape == (64, 64, 1)
    assert 0.0 <= sig.values.min() and sig.values.max() <= 1.0
    assert sig.meta["original_size"] == [512, 512]


def test_data_prefix_resolves_and_verifies_checksum():
    path = resolve("data:images/kodak/kodim05.png")
    assert path.endswith("kodim05.png")
    sig = load_signal("data:images/kodak/kodim05.png", max_side=48)
    assert sig.meta["source"] == "data:images/kodak/kodim05.png"


def test_checksum_mismatch_is_reported(tmp_path, monkeypatch):
    (tmp_path / "x.png").write_bytes(b"abc")
    (tmp_path / "SHA256SUMS").write_text("0" * 64 + "  x.png\n")
    monkeypatch.setenv("INRKIT_DATA", str(tmp_path))
    with pytest.raises(InputError, match="checksum mismatch"):
        resolve("data:x.png")


@pytest.mark.parametrize("case", ["missing", "not_image", "directory", "nan_tiff", "unknown_builtin", "suffix"])
def test_bad_input_gives_one_line_error(tmp_path, case):
    if case == "missing":
        src = str(tmp_path / "nope.png")
    elif case == "not_image":
        (tmp_path / "bad.png").write_text("this is not a png")
        src = str(tmp_path / "bad.png")
    elif case == "directory":
        (tmp_path / "d.png").mkdir()
        src = str(tmp_path / "d.png")
    elif case == "nan_tiff":
        arr = np.full((4, 4), np.nan, np.float32)
        Image.fromarray(arr, "F").save(tmp_path / "n.tif")
        src = str(tmp_path / "n.tif")
    elif case == "unknown_builtin":
        src = "builtin:nosuchpicture"
    else:
        (tmp_path / "a.xyz123").write_text("1")
        src = str(tmp_path / "a.xyz123")
    with pytest.raises(InputError) as info:
        load_signal(src)
    assert "\n" not in str(info.value)
