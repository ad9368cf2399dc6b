"""Tests of inrkit.metrics.lpips with randomly initialised weights (metrics.md §3)."""

from __future__ import annotations

import sys
import warnings

import numpy as np
import pytest
import torch

from inrkit.errors import InputError
from inrkit.metrics import lpips as lp


@pytest.fixture
def model() -> lp.LPIPS:
    torch.manual_seed(0)
    return lp.LPIPS().double()


def _pair(c: int = 3, n: int = 1, size: int = 40) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(1)
    x = torch.rand(n, c, size, size, generator=g, dtype=torch.float64)
    y = torch.rand(n, c, size, size, generator=g, dtype=torch.float64)
    return x, y


def _random_states(seed: int = 0) -> tuple[dict, dict]:
    g = torch.Generator().manual_seed(seed)
    alex = {k: 0.05 * torch.randn(s, generator=g) for k, s in lp.ALEXNET_SHAPES.items()}
    alex["classifier.1.weight"] = torch.zeros(2, 2)  # torchvision checkpoints carry the classifier too
    lin = {k: torch.rand(s, generator=g) for k, s in lp.LINEAR_SHAPES.items()}
    return alex, lin


def _write_weights(directory, alex: dict, lin: dict) -> None:
    torch.save(alex, directory / lp.ALEXNET_FILE)
    torch.save(lin, directory / lp.LINEAR_FILE)


def test_no_torchvision_import():
    assert "torchvision" not in sys.modules
    assert "lpips" not in sys.modules


def test_trunk_state_dict_keys_match_torchvision():
    keys = set(lp.AlexNetTrunk().state_dict())
    assert keys == set(lp.ALEXNET_SHAPES)
    linear_keys = {k for k in lp.LPIPS().state_dict() if k.startswith("lins.")}
    assert linear_keys == {f"lins.{i}.model.1.weight" for i in range(5)}


def test_identical_is_zero_and_symmetric(model):
    x, y = _pair()
    assert model(x, x).item() == 0.0
    d_xy, d_yx = model(x, y), model(y, x)
    assert d_xy.shape == (1,)
    assert torch.isfinite(d_xy).all() and d_xy.item() > 0
    torch.testing.assert_close(d_xy, d_yx)


def test_grayscale_replicated(model):
    x, y = _pair(c=1)
    torch.testing.assert_close(model(x, y), model(x.expand(-1, 3, -1, -1), y.expand(-1, 3, -1, -1)))


def test_batch_and_shape_errors(model):
    x, y = _pair(n=2)
    d = model(x, y)
    assert d.shape == (2,)
    torch.testing.assert_close(d[1:], model(x[1:], y[1:]))
    with pytest.raises(ValueError, match="31x31"):
        model(x[..., :30, :30], y[..., :30, :30])
    with pytest.raises(ValueError, match="shape"):
        model(x, y[..., :39])


def test_linear_heads_non_negative():
    torch.manual_seed(3)
    m = lp.LPIPS()
    assert all((lin.model[1].weight >= 0).all() for lin in m.lins)


def test_skip_path_with_missing_files(monkeypatch, tmp_path):
    monkeypatch.setenv(lp.ENV_ALEXNET, str(tmp_path / "missing-alexnet.pth"))
    monkeypatch.setenv(lp.ENV_LINEAR, str(tmp_path / "missing-alex.pth"))
    monkeypatch.setattr(lp, "_WARNED", False)
    assert lp.lpips_status() == lp.SKIP_MESSAGE
    assert lp.SKIP_MESSAGE == (
        "skipped: AlexNet weights not found (set INRKIT_LPIPS_ALEXNET to a local alexnet-owt-7be5be79.pth "
        "and INRKIT_LPIPS_LINEAR to the LPIPS v0.1 alex.pth)"
    )
    img = np.random.default_rng(0).random((32, 32, 3))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert lp.lpips(img, img) is None
        assert lp.lpips(img, img) is None
    messages = [str(w.message) for w in caught]
    assert messages == [lp.SKIP_MESSAGE]  # warned exactly once
    assert lp.lpips_status(tmp_path) == lp.SKIP_MESSAGE  # an empty directory


def test_skip_when_only_one_file(monkeypatch, tmp_path):
    alex, lin = _random_states()
    torch.save(lin, tmp_path / lp.LINEAR_FILE)
    assert lp.lpips_status(tmp_path) == lp.SKIP_MESSAGE
    monkeypatch.setenv(lp.ENV_ALEXNET, str(tmp_path / lp.ALEXNET_FILE))
    monkeypatch.setenv(lp.ENV_LINEAR, str(tmp_path / lp.LINEAR_FILE))
    assert lp.lpips_status() == lp.SKIP_MESSAGE


def test_load_from_directory_and_env(monkeypatch, tmp_path):
    alex, lin = _random_states()
    _write_weights(tmp_path, alex, lin)
    assert lp.lpips_status(tmp_path) is None
    rng = np.random.default_rng(1)
    a, b = rng.random((36, 40, 3)), rng.random((36, 40, 3))
    d = lp.lpips(a, b, weights_dir=tmp_path)
    assert isinstance(d, float) and np.isfinite(d) and d > 0
    assert lp.lpips(a, a, weights_dir=tmp_path) == 0.0
    assert lp.lpips(b, a, weights_dir=tmp_path) == pytest.approx(d, rel=1e-12)
    # same value as the module built from the state dicts directly
    ref = lp.LPIPS(alex, lin).double()
    to_t = lambda x: torch.from_numpy(x).permute(2, 0, 1)[None]  # noqa: E731
    assert d == pytest.approx(ref(to_t(a), to_t(b)).item(), rel=1e-12)
    # prediction clamped, gt not
    assert lp.lpips(a + 2.0, b, weights_dir=tmp_path) == pytest.approx(
        lp.lpips(np.ones_like(a), b, weights_dir=tmp_path), rel=1e-12)
    # grayscale [H, W] replicated
    assert lp.lpips(a[..., 0], b[..., 0], weights_dir=tmp_path) == pytest.approx(
        lp.lpips(np.repeat(a[..., :1], 3, -1), np.repeat(b[..., :1], 3, -1), weights_dir=tmp_path), rel=1e-12)
    # environment variables
    monkeypatch.setenv(lp.ENV_ALEXNET, str(tmp_path / lp.ALEXNET_FILE))
    monkeypatch.setenv(lp.ENV_LINEAR, str(tmp_path / lp.LINEAR_FILE))
    assert lp.lpips_status() is None
    assert lp.lpips(a, b) == pytest.approx(d, rel=1e-12)


def test_wrong_shape_gives_clear_error(tmp_path):
    alex, lin = _random_states()
    alex["features.3.weight"] = torch.zeros(192, 64, 3, 3)
    _write_weights(tmp_path, alex, lin)
    with pytest.raises(InputError) as err:
        lp.LPIPS.from_files(tmp_path / lp.ALEXNET_FILE, tmp_path / lp.LINEAR_FILE)
    msg = str(err.value)
    assert "\n" not in msg
    assert lp.ALEXNET_FILE in msg and "features.3.weight" in msg and "(192, 64, 5, 5)" in msg
    img = np.zeros((32, 32))
    with pytest.raises(InputError, match="features.3.weight"):
        lp.lpips(img, img, weights_dir=tmp_path)


def test_missing_key_and_unreadable_file(tmp_path):
    alex, lin = _random_states()
    del lin["lin4.model.1.weight"]
    _write_weights(tmp_path, alex, lin)
    with pytest.raises(InputError, match="lin4.model.1.weight") as err:
        lp.LPIPS.from_files(tmp_path / lp.ALEXNET_FILE, tmp_path / lp.LINEAR_FILE)
    assert lp.LINEAR_FILE in str(err.value)
    bad = tmp_path / "garbage.pth"
    bad.write_bytes(b"not a checkpoint")
    with pytest.raises(InputError, match="garbage.pth") as err:
        lp.LPIPS.from_files(bad, tmp_path / lp.LINEAR_FILE)
    assert "\n" not in str(err.value)


@pytest.mark.skipif(lp.lpips_status() is not None, reason="LPIPS weights not available locally")
def test_pretrained_values_sane():
    rng = np.random.default_rng(0)
    yy, xx = np.mgrid[0:64, 0:64] / 64.0
    img = np.stack([0.5 + 0.4 * np.sin(6 * xx + c) * np.cos(4 * yy) for c in range(3)], -1)
    noisy = np.clip(img + 0.05 * rng.standard_normal(img.shape), 0, 1)
    very = np.clip(img + 0.3 * rng.standard_normal(img.shape), 0, 1)
    assert lp.lpips(img, img) == 0.0
    assert 0 < lp.lpips(noisy, img) < lp.lpips(very, img) < 2.0
