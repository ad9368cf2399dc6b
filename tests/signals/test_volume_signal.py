"""Volume signals: NPY / NPZ / NIfTI loading, normalisation and block downsampling."""

from __future__ import annotations

import numpy as np
import pytest

from inrkit.errors import InputError
from inrkit.signals import load_signal


def test_npy_npz_nifti_agree(tmp_path):
    import nibabel

    vol = np.random.default_rng(0).integers(0, 256, size=(9, 10, 11)).astype(np.uint8)
    np.save(tmp_path / "v.npy", vol)
    np.savez(tmp_path / "v.npz", volume=vol, affine=np.eye(4))
    nibabel.save(nibabel.Nifti1Image(vol, np.eye(4)), str(tmp_path / "v.nii.gz"))
    sigs = [load_signal(str(tmp_path / f"v.{ext}")) for ext in ("npy", "npz", "nii.gz")]
    for s in sigs:
        assert s.kind == "volume" and s.values.shape == (9, 10, 11, 1)
        assert np.allclose(s.values[..., 0], vol / 255.0)


def test_block_downsample_and_float_minmax(tmp_path):
    vol = np.arange(9 * 8 * 7, dtype=np.float64).reshape(9, 8, 7)
    np.save(tmp_path / "f.npy", vol)
    s = load_signal(str(tmp_path / "f.npy"), max_side=5)
    assert s.values.shape == (4, 4, 3, 1) and s.meta["downsample_factor"] == 2
    assert s.meta["normalisation"] == "minmax" and 0.0 <= s.values.min() and s.values.max() <= 1.0


@pytest.mark.parametrize("arr", [np.zeros((4, 4)), np.full((3, 3, 3), np.nan), np.ones((3, 3, 3)) * 5])
def test_volume_errors(tmp_path, arr):
    np.save(tmp_path / "bad.npy", arr)
    with pytest.raises(InputError):
        load_signal(str(tmp_path / "bad.npy"))
