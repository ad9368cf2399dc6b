"""3-D scalar volumes from NPY, NPZ and NIfTI files (protocols.md §3.2, data.md "Volumes").

Values are normalised by the dtype maximum (uint8 / 255, uint16 / 65535, bool -> {0, 1}); float volumes
already inside [0, 1] are kept, other float volumes are min-max scaled to [0, 1] [default] and the
original range is recorded in ``meta``. An ``.npz`` file is read from its ``volume`` key, else from its
only array. The signal is ``[D, H, W, 1]`` float32 (kind ``"volume"``), axes in file order (ij).

``max_side`` downsamples by the smallest integer factor ``f`` that brings the longest axis to at most
``max_side``: each axis is cropped to a multiple of ``f`` (trailing indices dropped) and ``f^3`` blocks
are averaged. For the MNI template (197 x 233 x 189) ``max_side=120`` gives ``f = 2`` and the
``mri-half`` preparation of protocols.md §3.2 (98 x 116 x 94).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from inrkit.errors import InputError
from inrkit.signals.base import Signal
from inrkit.signals.loaders import LoadRequest, register_loader

VOLUME_SUFFIXES = (".npy", ".npz", ".nii", ".nii.gz")


def volume_suffix(source: str) -> str | None:
    name = source.lower()
    for suffix in (".nii.gz", ".npy", ".npz", ".nii"):
        if name.endswith(suffix):
            return suffix
    return None


def _read(path: str, source: str) -> np.ndarray:
    suffix = volume_suffix(path)
    try:
        if suffix == ".npy":
            return np.load(path, allow_pickle=False)
        if suffix == ".npz":
            with np.load(path, allow_pickle=False) as z:
                if "volume" in z.files:
                    return z["volume"]
                if len(z.files) == 1:
                    return z[z.files[0]]
                raise InputError(f"{source}: .npz holds {z.files}; expected a 'volume' array")
        import nibabel

        img = nibabel.load(path)
        return np.asarray(img.dataobj)
    except InputError:
        raise
    except Exception as e:  # numpy / nibabel raise many exception types for unreadable files
        raise InputError(f"{source}: cannot read volume ({e})") from None


def normalise_volume(arr: np.ndarray, source: str) -> tuple[np.ndarray, dict]:
    """Array -> float32 in [0, 1] and a description of the mapping."""
    if arr.ndim == 4 and arr.shape[-1] == 1:
        arr = arr[..., 0]
    if arr.ndim != 3:
        raise InputError(f"{source}: expected a 3-D volume, got shape {arr.shape}")
    if min(arr.shape) < 2:
        raise InputError(f"{source}: volume of shape {arr.shape} is too small")
    if arr.dtype == bool:
        return arr.astype(np.float32), {"normalisation": "bool"}
    if np.issubdtype(arr.dtype, np.integer):
        info = np.iinfo(arr.dtype)
        if info.min < 0:
            arr = arr.astype(np.float64)
        else:
            return (arr.astype(np.float64) / info.max).astype(np.float32), {"normalisation": f"/{info.max}"}
    arr = np.asarray(arr, dtype=np.float64)
    if not np.isfinite(arr).all():
        raise InputError(f"{source}: volume contains NaN or inf")
    lo, hi = float(arr.min()), float(arr.max())
    if lo >= 0.0 and hi <= 1.0:
        return arr.astype(np.float32), {"normalisation": "none"}
    if hi <= lo:
        raise InputError(f"{source}: constant volume")
    return ((arr - lo) / (hi - lo)).astype(np.float32), {"normalisation": "minmax", "original_range": [lo, hi]}


def block_downsample(vol: np.ndarray, max_side: int) -> tuple[np.ndarray, int]:
    """Average-pool by the smallest integer factor bringing the longest axis to <= max_side."""
    f = max(1, math.ceil(max(vol.shape) / max(max_side, 1)))
    if f == 1:
        return vol, 1
    d, h, w = (s // f * f for s in vol.shape)
    if min(d, h, w) == 0:
        raise InputError(f"max_side={max_side} is too small for a volume of shape {vol.shape}")
    v = vol[:d, :h, :w].reshape(d // f, f, h // f, f, w // f, f)
    return v.mean(axis=(1, 3, 5), dtype=np.float64).astype(np.float32), f


def load_volume(path: str, max_side: int | None = None, source: str | None = None) -> Signal:
    """Load a volume file as a ``[D, H, W, 1]`` Signal in [0, 1]."""
    source = source or path
    raw = _read(path, source)
    vol, info = normalise_volume(np.asarray(raw), source)
    original = list(vol.shape)
    factor = 1
    if max_side is not None:
        vol, factor = block_downsample(vol, max_side)
    meta = {"source": source, "origin": str(Path(path)), "original_size": original, "size": list(vol.shape),
            "downsample_factor": factor, "dtype": str(raw.dtype), **info}
    return Signal(values=vol[..., None], kind="volume", value_range=(0.0, 1.0), meta=meta)



def save_volume(path: str | Path, volume: np.ndarray) -> None:
    """A ``[D, H, W]`` volume in [0, 1] as a compressed NPZ (float32 ``volume`` array, read back by ``load_volume``)."""
    np.savez_compressed(path, volume=np.asarray(volume, np.float32))

@register_loader("volume", kind="volume", suffixes=VOLUME_SUFFIXES,
                 description=f"volumes ({' '.join(VOLUME_SUFFIXES)})")
def _load(req: LoadRequest) -> Signal:
    if not Path(req.path).is_file():
        raise InputError(f"{req.source}: no such file")
    return load_volume(req.path, max_side=req.max_side, source=req.source)
