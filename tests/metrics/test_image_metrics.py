"""Tests of inrkit.metrics.image against metrics.md §1, §2 and §4."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.signal import correlate2d

from inrkit.metrics import image as im
from inrkit.ops.coords import pixel_pitch
from inrkit.registry import METRICS


def _rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


# ----------------------------------------------------------------------------------------- PSNR


def test_psnr_constant_offset_is_20db():
    gt = np.full((16, 16, 3), 0.5)
    assert im.mse(gt + 0.1, gt) == pytest.approx(0.01)
    assert im.psnr(gt + 0.1, gt) == pytest.approx(20.0)
    assert im.psnr(gt - 0.1, gt[..., 0:1] * np.ones((1, 1, 3))) == pytest.approx(20.0)


def test_psnr_identical_is_inf():
    x = _rng().random((12, 12))
    assert im.psnr(x, x) == math.inf
    assert im.psnr_u8(np.round(x * 255) / 255, np.round(x * 255) / 255) == math.inf


def test_psnr_clamps_prediction_only():
    gt = np.zeros((8, 8))
    pred = np.full((8, 8), -0.5)  # clamped to 0 -> identical
    assert im.psnr(pred, gt) == math.inf
    assert im.psnr(pred, gt, clamp=False) == pytest.approx(10 * math.log10(1 / 0.25))
    # the ground truth is never clamped: gt above 1 keeps its error against the clamped prediction
    gt2 = np.full((8, 8), 1.2)
    pred2 = np.full((8, 8), 1.5)  # clamped to 1 -> error 0.2
    assert im.mse(pred2, gt2) == pytest.approx(0.04)
    assert im.psnr(pred2, gt2) == pytest.approx(10 * math.log10(1 / 0.04))


def test_psnr_data_range():
    gt = np.full((4, 4), 100.0)
    assert im.psnr(gt + 10.0, gt, data_range=255.0) == pytest.approx(10 * math.log10(255.0**2 / 100.0))


def test_psnr_u8_quantises_prediction():
    gt = np.full((4, 4), 0.5)
    pred = np.full((4, 4), 0.5 + 0.3 / 255)  # rounds back to 128/255
    q = 128 / 255
    assert im.psnr_u8(pred, gt) == pytest.approx(10 * math.log10(1 / (q - 0.5) ** 2))
    assert im.psnr_u8(pred, gt) != pytest.approx(im.psnr(pred, gt))
    # clamping before quantisation
    assert im.psnr_u8(np.full((4, 4), 1.7), np.ones((4, 4))) == math.inf


def test_shape_mismatch_raises():
    with pytest.raises(ValueError, match="shape"):
        im.psnr(np.zeros((4, 4)), np.zeros((4, 5)))


# ----------------------------------------------------------------------------------------- SSIM


def _ssim_reference(p: np.ndarray, g: np.ndarray) -> float:
    """Independent §2.1: Gaussian 11x11 (sigma 1.5), population covariance, valid region."""
    k = np.arange(-5, 6)
    w1 = np.exp(-(k**2) / (2 * 1.5**2))
    w = np.outer(w1, w1)
    w /= w.sum()

    def f(x):
        return correlate2d(x, w, mode="valid")

    mp, mg = f(p), f(g)
    vp, vg, cpg = f(p * p) - mp**2, f(g * g) - mg**2, f(p * g) - mp * mg
    c1, c2 = 0.01**2, 0.03**2
    s = ((2 * mp * mg + c1) * (2 * cpg + c2)) / ((mp**2 + mg**2 + c1) * (vp + vg + c2))
    return float(s.mean())


def test_ssim_matches_independent_wang_implementation():
    rng = _rng(1)
    g = rng.random((32, 32))
    p = np.clip(g + 0.1 * rng.standard_normal((32, 32)), 0, 1)
    assert im.ssim(p, g) == pytest.approx(_ssim_reference(p, g), abs=1e-6)


def test_ssim_colour_is_channel_mean():
    rng = _rng(2)
    g = rng.random((24, 20, 3))
    p = np.clip(g + 0.05 * rng.standard_normal(g.shape), 0, 1)
    ref = np.mean([_ssim_reference(p[..., c], g[..., c]) for c in range(3)])
    assert im.ssim(p, g) == pytest.approx(ref, abs=1e-6)
    assert im.ssim(p[..., :1], g[..., :1]) == pytest.approx(im.ssim(p[..., 0], g[..., 0]))


def test_ssim_identical_is_one():
    x = _rng(3).random((16, 16, 3))
    assert im.ssim(x, x) == pytest.approx(1.0)


def test_ssim_too_small_raises():
    with pytest.raises(ValueError, match="11x11"):
        im.ssim(np.zeros((10, 32)), np.zeros((10, 32)))
    im.ssim(np.zeros((11, 11)), np.zeros((11, 11)))  # exactly 11 is fine


def test_ssim_skimage_default_differs_and_is_higher():
    rng = _rng(4)
    yy, xx = np.mgrid[0:64, 0:64] / 64.0
    g = 0.5 + 0.4 * np.sin(6 * xx) * np.cos(4 * yy)
    p = np.clip(g + 0.05 * rng.standard_normal(g.shape), 0, 1)
    wang, default = im.ssim(p, g), im.ssim_skimage_default(p, g)
    assert default > wang + 1e-3


def test_ssim_clamps_prediction():
    g = _rng(5).random((16, 16))
    assert im.ssim(g + 2.0 * (g > 0.9), g) == pytest.approx(im.ssim(np.where(g > 0.9, 1.0, g), g))


# --------------------------------------------------------------------------- grayscale, edges


def test_gray_bt601_weights():
    img = np.zeros((2, 2, 3))
    for c, w in enumerate((0.299, 0.587, 0.114)):
        one = img.copy()
        one[..., c] = 1.0
        np.testing.assert_allclose(im.gray_bt601(one), w)
    g = _rng(6).random((5, 7))
    assert im.gray_bt601(g).shape == (5, 7)
    np.testing.assert_array_equal(im.gray_bt601(g[..., None]), g)
    np.testing.assert_allclose(im.gray_bt601(np.ones((3, 3, 3))), 1.0)
    with pytest.raises(ValueError):
        im.gray_bt601(np.zeros((3, 3, 4)))


def test_gray_bt601_keeps_torch_graph():
    torch = pytest.importorskip("torch")
    x = torch.rand(4, 4, 3, requires_grad=True)
    im.gray_bt601(x).sum().backward()
    np.testing.assert_allclose(x.grad[0, 0].numpy(), [0.299, 0.587, 0.114], rtol=1e-6)


def _square(n: int = 64, lo: int = 20, hi: int = 44) -> np.ndarray:
    img = np.zeros((n, n, 3))
    img[lo:hi, lo:hi] = 1.0
    return img


def test_edge_mask_finds_square_border_not_interior():
    m = im.edge_mask(_square())
    assert m.dtype == bool and m.shape == (64, 64)
    assert m[20, 32] and m[43, 32] and m[32, 20] and m[32, 43]  # on the border
    assert m[32, 16] and m[32, 47]  # within the dilation radius of the border
    assert not m[32, 32] and not m[2, 2] and not m[60, 5]  # flat interior and exterior


def test_edge_mask_radius_zero_is_thin():
    thin, thick = im.edge_mask(_square(), radius=0), im.edge_mask(_square(), radius=3)
    assert thin.sum() > 0 and thick.sum() > 3 * thin.sum()
    assert not (thin & ~thick).any()


def test_psnr_edge_uses_masked_pixels_only():
    rng = _rng(7)
    gt = _square()
    pred = np.clip(gt + 0.05 * rng.standard_normal(gt.shape), 0, 1)
    mask = im.edge_mask(gt)
    base = im.psnr_edge(pred, gt, mask)
    expected = 10 * np.log10(1 / np.mean((pred[mask] - gt[mask]) ** 2))
    assert base == pytest.approx(expected)
    assert im.psnr_edge(pred, gt) == pytest.approx(base)  # default mask = edge_mask(gt)
    outside = pred.copy()
    outside[32, 32] = 1.0 - outside[32, 32]
    assert im.psnr_edge(outside, gt, mask) == base
    inside = pred.copy()
    inside[20, 32] = 1.0 - gt[20, 32]
    assert im.psnr_edge(inside, gt, mask) < base
    assert math.isnan(im.psnr_edge(pred, gt, np.zeros((64, 64), bool)))


# ----------------------------------------------------------------------------------- noisiness


def _ramp(h: int, w: int, a: float, convention: str) -> tuple[np.ndarray, float, float]:
    """gt = 0.5 + a * x on a normalised [-1, 1] grid; returns (image, pitch_y, pitch_x)."""
    py, px = pixel_pitch(h, convention), pixel_pitch(w, convention)
    j = np.arange(w)
    x = -1 + j * px if convention == "endpoint" else -1 + (j + 0.5) * px
    return np.broadcast_to(0.5 + a * x, (h, w)).copy(), py, px


@pytest.mark.parametrize("convention", ["endpoint", "center"])
def test_noisiness_linear_ramp(convention):
    h, w, a = 20, 30, 0.2
    gt, py, px = _ramp(h, w, a, convention)
    smooth = np.ones((h, w), bool)
    exact = np.zeros((h, w, 2))
    exact[..., 1] = a
    assert im.noisiness(exact, gt, (py, px), smooth) == pytest.approx(0.0, abs=1e-10)
    wrong = exact.copy()
    wrong[..., 1] = 0.35
    assert im.noisiness(wrong, gt, (py, px), smooth) == pytest.approx(0.15)
    wrong[..., 0] = 0.2  # gradient (0.2, 0.35): norm sqrt(0.1625)
    assert im.noisiness(wrong, gt, (py, px), smooth) == pytest.approx(math.sqrt(0.1625) - a)
    # 8-bit levels per pixel: per-axis factor 255 * pitch
    wrong[..., 0] = 0.0
    assert im.noisiness(wrong, gt, (py, px), smooth, units="u8_per_pixel") == pytest.approx(0.15 * 255 * px)


def test_noisiness_pitch_conventions_differ():
    gt, py, px = _ramp(16, 16, 0.3, "center")
    exact = np.zeros((16, 16, 2))
    exact[..., 1] = 0.3
    smooth = np.ones((16, 16), bool)
    assert im.noisiness(exact, gt, (py, px), smooth) == pytest.approx(0.0, abs=1e-10)
    # using the endpoint pitch 2/(N-1) for a pixel-centre grid rescales the gt gradient by (N-1)/N
    wrong_pitch = (pixel_pitch(16, "endpoint"), pixel_pitch(16, "endpoint"))
    assert im.noisiness(exact, gt, wrong_pitch, smooth) == pytest.approx(0.3 / 16)


def test_noisiness_mask_and_rgb():
    h, w, a = 12, 12, 0.25
    gray, py, px = _ramp(h, w, a, "endpoint")
    rgb = np.repeat(gray[..., None], 3, axis=-1)  # BT.601 of equal channels = the gray value
    grad = np.zeros((h, w, 2))
    grad[..., 1] = a
    grad[:, :6, 1] = a + 0.5  # wrong on the left half only
    left = np.zeros((h, w), bool)
    left[:, :6] = True
    assert im.noisiness(grad, rgb, (py, px), ~left) == pytest.approx(0.0, abs=1e-10)
    assert im.noisiness(grad, rgb, (py, px), left) == pytest.approx(0.5)
    assert math.isnan(im.noisiness(grad, rgb, (py, px), np.zeros((h, w), bool)))
    with pytest.raises(ValueError, match="model_grad"):
        im.noisiness(grad[..., :1], rgb, (py, px), left)
    with pytest.raises(ValueError, match="units"):
        im.noisiness(grad, rgb, (py, px), left, units="pixels")


def test_metric_settings_record_spec_defaults():
    s = im.METRIC_SETTINGS
    assert s["grayscale"] == "bt601"
    assert (s["canny_sigma"], s["canny_low"], s["canny_high"], s["edge_radius"]) == (1.0, 0.1, 0.2, 3)
    assert s["gradient_units"] == "normalised"
    assert s["fd"] == "numpy.gradient(edge_order=2)"
    assert s["ssim"]["win_size"] == 11 and s["ssim"]["sigma"] == 1.5


def test_metrics_registered():
    for name in ("psnr", "psnr_u8", "ssim", "ssim_skimage_default", "psnr_edge", "noisiness"):
        assert name in METRICS
    assert METRICS.get("psnr") is im.psnr
