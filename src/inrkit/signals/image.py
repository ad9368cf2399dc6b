"""Image signals: PNG/JPEG/TIFF (8 or 16 bit; grey, RGB, RGBA -> RGB) and ``builtin:<name>``.

Decoding uses Pillow; values are normalised by the dtype maximum (8-bit / 255, 16-bit / 65535,
never assuming 8 bit; data.md §2). RGBA drops its alpha channel (the explicit policy), palette and
two-channel images become RGB / grey, grey keeps one channel. Built-in images are scikit-image's
bundled pictures (``skimage.data``), which need no network. Every problem with the input raises
``InputError`` with one line naming the file.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from inrkit.errors import InputError
from inrkit.signals.base import Signal
from inrkit.signals.loaders import LoadRequest, register_loader

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp")
#: scikit-image pictures that ship inside the wheel (the others are fetched over the network).
BUILTIN_IMAGES = (
    "astronaut", "brick", "camera", "cat", "chelsea", "coffee", "coins", "grass", "gravel",
    "horse", "moon", "page", "retina", "rocket", "text", "shepp_logan_phantom", "logo", "clock",
    "immunohistochemistry", "hubble_deep_field", "colorwheel", "motorcycle_left",
)


def _normalise(arr: np.ndarray, source: str) -> tuple[np.ndarray, int]:
    """Array -> float32 [H, W, C] in [0, 1] and the bit depth of the source."""
    if arr.dtype == np.bool_:
        arr, bits = arr.astype(np.float32), 1
    elif arr.dtype == np.uint8:
        arr, bits = arr.astype(np.float32) / 255.0, 8
    elif arr.dtype in (np.uint16, np.int32, np.uint32) or arr.dtype == np.int16:
        if arr.min() < 0 or arr.max() > 65535:
            raise InputError(f"{source}: integer image values outside 0..65535")
        arr, bits = arr.astype(np.float32) / 65535.0, 16
    elif np.issubdtype(arr.dtype, np.floating):
        arr, bits = arr.astype(np.float32), 32
        if not np.isfinite(arr).all():
            raise InputError(f"{source}: image contains non-finite values (NaN or inf)")
        if arr.min() < 0.0 or arr.max() > 1.0:
            raise InputError(f"{source}: floating-point image values must lie in [0, 1]")
    else:
        raise InputError(f"{source}: unsupported image data type {arr.dtype}")
    if arr.ndim == 2:
        arr = arr[..., None]
    if arr.ndim != 3 or arr.shape[-1] not in (1, 2, 3, 4):
        raise InputError(f"{source}: expected a 2-D grey or colour image, got shape {arr.shape}")
    if arr.shape[-1] == 2:  # grey + alpha
        arr = arr[..., :1]
    elif arr.shape[-1] == 4:  # RGBA -> RGB (alpha dropped)
        arr = arr[..., :3]
    if min(arr.shape[:2]) < 2:
        raise InputError(f"{source}: image is too small ({arr.shape[1]}x{arr.shape[0]})")
    return np.ascontiguousarray(arr), bits


def _read_file(path: Path) -> np.ndarray:
    from PIL import Image, UnidentifiedImageError

    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not an image")
    if not os.access(path, os.R_OK):
        raise InputError(f"{path}: file is not readable")
    try:
        with Image.open(path) as im:
            im.load()
            if im.mode == "P":
                im = im.convert("RGBA" if "transparency" in im.info else "RGB")
            elif im.mode in ("CMYK", "YCbCr", "LAB", "HSV"):
                im = im.convert("RGB")
            elif im.mode == "1":
                im = im.convert("L")
            elif im.mode in ("I;16", "I;16B", "I;16L"):
                return np.array(im, dtype=np.uint16)
            if im.format == "PNG" and _png_bit_depth(path) == 16:
                return _read_png16(path)
            return np.array(im)
    except UnidentifiedImageError:
        raise InputError(f"{path}: not a readable image (unrecognised or corrupt data)") from None
    except OSError as e:
        raise InputError(f"{path}: cannot decode image ({e})") from None


def _png_bit_depth(path: Path) -> int:
    """The bit depth in a PNG's IHDR chunk (Pillow decodes 16-bit colour PNGs as 8 bit)."""
    with open(path, "rb") as f:
        head = f.read(25)
    return head[24] if len(head) == 25 and head[12:16] == b"IHDR" else 8


def _read_png16(path: Path) -> np.ndarray:
    """Decode a 16-bit grey/RGB(A) PNG at full depth with pypng."""
    import png

    try:
        w, h, rows, info = png.Reader(filename=str(path)).asDirect()
        arr = np.vstack([np.asarray(r, dtype=np.uint16) for r in rows])
    except png.Error as e:
        raise InputError(f"{path}: cannot decode 16-bit PNG ({e})") from None
    return arr.reshape(h, w, info["planes"])


def _builtin(name: str) -> np.ndarray:
    import skimage.data

    if name not in BUILTIN_IMAGES or not hasattr(skimage.data, name):
        raise InputError(f"unknown built-in image {name!r}; choose one of: {', '.join(BUILTIN_IMAGES)}")
    return np.asarray(getattr(skimage.data, name)())


def resize_max_side(img: np.ndarray, max_side: int) -> np.ndarray:
    """Downsample (anti-aliased) so the longer side is at most ``max_side``; never upsample."""
    h, w = img.shape[:2]
    if max(h, w) <= max_side:
        return img
    from skimage.transform import resize

    s = max_side / max(h, w)
    shape = (max(2, round(h * s)), max(2, round(w * s)), img.shape[2])
    out = resize(img, shape, order=3, anti_aliasing=True, preserve_range=True)
    return np.clip(out, 0.0, 1.0).astype(np.float32)


def load_image(source: str, max_side: int | None = None) -> Signal:
    """Load an image file or ``builtin:<name>`` as a Signal with values in [0, 1], ``[H, W, C]``."""
    if source.startswith("builtin:"):
        name = source.split(":", 1)[1]
        arr, origin = _builtin(name), f"skimage.data.{name}"
        if name == "shepp_logan_phantom":
            arr = np.clip(arr, 0.0, 1.0)
    else:
        arr, origin = _read_file(Path(source)), str(Path(source))
    values, bits = _normalise(arr, source)
    h, w = values.shape[:2]
    if max_side is not None:
        values = resize_max_side(values, max_side)
    meta = {"source": source, "origin": origin, "bit_depth": bits, "original_size": [h, w],
            "size": list(values.shape[:2]), "channels": int(values.shape[-1])}
    return Signal(values=values, kind="image", value_range=(0.0, 1.0), meta=meta)


@register_loader("builtin", kind="image", prefixes=("builtin:",),
                 description="builtin:<name> (scikit-image pictures)")
def _load_builtin(req: LoadRequest) -> Signal:
    return load_image(req.source, max_side=req.max_side)


@register_loader("image", kind="image", suffixes=IMAGE_SUFFIXES,
                 description=f"images ({' '.join(IMAGE_SUFFIXES)}, 8 or 16 bit)")
def _load_file(req: LoadRequest) -> Signal:
    return load_image(req.path, max_side=req.max_side)


def save_image(path: Path, img: np.ndarray) -> None:
    """Write an image in [0, 1] (grey or RGB) as an 8-bit PNG."""
    from PIL import Image

    u8 = np.round(np.clip(img, 0.0, 1.0) * 255.0).astype(np.uint8)
    if u8.ndim == 3 and u8.shape[-1] == 1:
        u8 = u8[..., 0]
    Image.fromarray(u8).save(path, format="PNG")
