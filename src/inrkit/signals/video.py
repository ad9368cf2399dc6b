"""Video signals: MP4 files and NPZ frame stacks as ``[T, H, W, C]`` arrays in [0, 1] (protocols.md §4).

Sources:

* ``*.mp4`` — decoded with imageio and its bundled ffmpeg (``imageio-ffmpeg``); scikit-video is not used.
* ``*.npz`` **holding a ``frames`` array** (``[T, H, W, C]`` or ``[T, H, W]``, uint8 or float in [0, 1]),
  e.g. ``bikes_frames000-049.npz``; an optional ``fps`` entry is kept. NPZ files without a ``frames``
  key are not videos (volumes are NPZ too), so video detection reads the key list, not the suffix.
* ``video:<path>`` forces the video loader (an NPZ whose only array is the frame stack, say).

Preparation, in this order: ``crop`` keeps the first N frames, ``stride`` every k-th frame (temporal
downsampling), and ``max_side`` limits the longer spatial side. When the ratio is an integer factor
``f`` that divides H and W, frames are **area-averaged** over ``f x f`` blocks (the protocol's 720x1280
-> 180x320 Big Buck Bunny preparation); otherwise each frame is resized with scikit-image's
anti-aliased cubic resize.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from inrkit.errors import InputError
from inrkit.signals.base import Signal
from inrkit.signals.loaders import LoadRequest, register_loader

PREFIX = "video:"
VIDEO_SUFFIXES = (".mp4",)


def is_video_npz(path: str | Path) -> bool:
    """Whether ``path`` is an NPZ archive with a ``frames`` array (reads only the key list)."""
    try:
        with np.load(str(path)) as z:
            return "frames" in z.files
    except (OSError, ValueError):
        return False


def _read_npz(path: str, n: int | None) -> tuple[np.ndarray, float | None]:
    with np.load(path) as z:
        key = "frames" if "frames" in z.files else (z.files[0] if len(z.files) == 1 else None)
        if key is None:
            raise InputError(f"{path}: NPZ video needs a 'frames' array (found {', '.join(z.files)})")
        frames = z[key][:n] if n is not None else z[key]
        fps = float(z["fps"]) if "fps" in z.files else None
    return frames, fps


def _read_mp4(path: str, n: int | None) -> tuple[np.ndarray, float | None]:
    import imageio.v2 as imageio

    try:
        reader = imageio.get_reader(path, "ffmpeg")
    except Exception as err:  # imageio raises several types for unreadable files
        first = next((ln for ln in str(err).splitlines() if ln.strip()), type(err).__name__)
        raise InputError(f"{path}: cannot decode video (not a video file? {first.strip()[:100]})") from None
    fps = reader.get_meta_data().get("fps")
    frames = []
    try:
        for i, frame in enumerate(reader):
            if n is not None and i >= n:
                break
            frames.append(np.asarray(frame))
    finally:
        reader.close()
    if not frames:
        raise InputError(f"{path}: the video has no frames")
    return np.stack(frames), fps


def downsample(frames: np.ndarray, max_side: int) -> np.ndarray:
    """Frames ``[T, H, W, C]`` (float) with the longer side at most ``max_side`` (see module docstring)."""
    t, h, w, c = frames.shape
    if max(h, w) <= max_side:
        return frames
    f = max(h, w) / max_side
    if f == int(f) and h % int(f) == 0 and w % int(f) == 0:
        f = int(f)
        return frames.reshape(t, h // f, f, w // f, f, c).mean(axis=(2, 4))
    from skimage.transform import resize

    shape = (max(1, round(h / f)), max(1, round(w / f)), c)
    return np.stack([resize(fr, shape, order=3, anti_aliasing=True, preserve_range=True) for fr in frames])


def load_video(source: str, max_side: int | None = None, crop: int | None = None, stride: int = 1) -> Signal:
    """A video as a ``Signal`` (``values [T, H, W, C]`` float32 in [0, 1], kind "video")."""
    path = source[len(PREFIX):] if source.startswith(PREFIX) else source
    if stride < 1 or (crop is not None and crop < 1) or (max_side is not None and max_side < 1):
        raise InputError(f"{source}: crop, stride and max_side must be >= 1")
    if not Path(path).exists():
        raise InputError(f"{path}: no such file")
    reader = _read_npz if Path(path).suffix.lower() == ".npz" else _read_mp4
    frames, fps = reader(path, crop)
    frames = np.asarray(frames)
    if frames.ndim == 3:
        frames = frames[..., None]
    if frames.ndim != 4 or frames.shape[-1] not in (1, 3, 4):
        raise InputError(f"{path}: expected frames [T, H, W, C] with 1, 3 or 4 channels, got {frames.shape}")
    if frames.shape[0] == 0 or min(frames.shape[1:3]) < 1:
        raise InputError(f"{path}: the video has no frames (shape {frames.shape})")
    original = tuple(frames.shape)
    frames = frames[::stride, ..., :3] if frames.shape[-1] == 4 else frames[::stride]
    if frames.dtype == np.uint8:
        values = frames.astype(np.float64) / 255.0
    elif np.issubdtype(frames.dtype, np.floating):
        values = frames.astype(np.float64)
    else:
        raise InputError(f"{path}: unsupported frame dtype {frames.dtype} (uint8 or float in [0, 1])")
    if not np.isfinite(values).all() or values.min() < 0 or values.max() > 1:
        raise InputError(f"{path}: frame values must be finite and in [0, 1]")
    if max_side is not None:
        values = np.clip(downsample(values, max_side), 0.0, 1.0)
    meta = {"source": source, "original_shape": original, "fps": (fps or 25.0) / stride, "crop": crop,
            "stride": stride, "max_side": max_side, "bit_depth": 8 if frames.dtype == np.uint8 else None}
    return Signal(values=values.astype(np.float32), kind="video", value_range=(0.0, 1.0), meta=meta)


def _is_video(path: str) -> bool:
    """MP4 files are videos; NPZ files only when they hold a ``frames`` array."""
    return not path.lower().endswith(".npz") or is_video_npz(path)


@register_loader("video", kind="video", prefixes=(PREFIX,), suffixes=(*VIDEO_SUFFIXES, ".npz"), accepts=_is_video,
                 description=f"video ({' '.join(VIDEO_SUFFIXES)}, .npz with a 'frames' array, {PREFIX}<path>)")
def _load(req: LoadRequest) -> Signal:
    return load_video(req.path, max_side=req.max_side, crop=req.crop, stride=req.stride)


def save_mp4(path: str | Path, frames: np.ndarray, fps: float) -> None:
    """Write ``[T, H, W, C]`` frames in [0, 1] as H.264 MP4 (odd sizes padded by edge replication)."""
    import imageio.v2 as imageio

    u8 = np.round(np.clip(frames, 0.0, 1.0) * 255.0).astype(np.uint8)
    if u8.shape[-1] == 1:
        u8 = np.repeat(u8, 3, axis=-1)
    pad = ((0, 0), (0, u8.shape[1] % 2), (0, u8.shape[2] % 2), (0, 0))
    u8 = np.pad(u8, pad, mode="edge")
    imageio.mimwrite(str(path), list(u8), format="FFMPEG", fps=max(float(fps), 1.0), macro_block_size=1,
                     codec="libx264", quality=8)


def grid_fraction(shape: tuple[int, ...], fraction: float) -> int:
    """Points per batch for sampling ``fraction`` of all voxels (SIREN video: 0.38 %)."""
    return max(1, math.ceil(fraction * math.prod(shape)))
