"""LPIPS through the lpips package: skipped with one stderr note when it or its weights are not local."""

from __future__ import annotations

import numpy as np
import pytest

from inrkit.metrics import lpips as lp


@pytest.fixture
def no_weights(monkeypatch, tmp_path):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    monkeypatch.setattr(lp, "_NOTED", False)
    monkeypatch.setattr(lp, "_MODEL", None)


def test_missing_weights_give_none_with_one_note(no_weights, capsys):
    img = np.full((40, 40, 3), 0.5)
    assert lp.lpips_status().startswith("skipped:")
    assert lp.lpips_metrics(img, img)["lpips"] is None
    assert lp.lpips(img, img) is None and lp.lpips_metrics(img, img)["lpips_status"] == lp.lpips_status()
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("inrkit: note: LPIPS skipped:"), err


def test_inputs_are_mapped_to_minus_one_one_rgb():
    t = lp._to_nchw(np.zeros((5, 6)))
    assert t.shape == (1, 3, 5, 6) and float(t.min()) == -1.0
    with pytest.raises(ValueError, match="differs"):
        lp.lpips(np.zeros((5, 6)), np.zeros((6, 5)))


@pytest.mark.skipif(lp.lpips_status() is not None, reason="lpips package or local AlexNet weights unavailable")
def test_real_lpips_is_zero_on_identical_images():
    rng = np.random.default_rng(0)
    img = rng.uniform(size=(64, 64, 3))
    assert lp.lpips(img, img) == pytest.approx(0.0, abs=1e-6)
    assert lp.lpips(img, np.clip(img + 0.2, 0, 1)) > 0
