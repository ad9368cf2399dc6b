"""Run figures: ground truth | fit | error panels at a readable size, labels, shaded mesh renders."""

from __future__ import annotations

import numpy as np
from PIL import Image

from inrkit.analysis.comparison import PANEL_IN, save_comparison, view_label
from inrkit.tasks.volume import central_slices


def test_comparison_figure_size_and_rows(tmp_path):
    rng = np.random.default_rng(0)
    gt = rng.uniform(size=(40, 60, 3))
    pred = np.clip(gt + rng.normal(0, 0.02, gt.shape), 0, 1)
    save_comparison(tmp_path / "one.png", [("", gt, pred)])
    save_comparison(tmp_path / "three.png", [(f"source frame {t}", gt, pred) for t in (0, 4, 8)])
    one, three = (np.asarray(Image.open(tmp_path / f)) for f in ("one.png", "three.png"))
    assert one.shape[1] == three.shape[1] == int(round((3 * PANEL_IN + 1.0) * 100)) >= 1000
    assert three.shape[0] > 2.5 * one.shape[0] and one.shape[0] >= 200


def test_labels_carry_psnr_and_ssim():
    gt = np.linspace(0, 1, 400).reshape(20, 20)
    label = view_label("source frame 12", gt, gt * 0.98)
    assert label.startswith("source frame 12") and "PSNR" in label and "dB" in label and "SSIM" in label
    assert "SSIM" not in view_label("", gt[:5, :5], gt[:5, :5] * 0.9)
    vol = np.zeros((5, 7, 9))
    views = central_slices(vol, vol)
    assert [v[0] for v in views] == ["z = 2", "y = 3", "x = 4"] and views[0][1].shape == (7, 9)
