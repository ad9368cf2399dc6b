"""Classical image codecs from Pillow as rate-distortion references: JPEG, WebP and AVIF (when the
local Pillow has it).

Each codec compresses the 8-bit image (``round(255 x)``) over a sweep of quality settings; the
rate is the whole encoded file (``8 bytes / pixels``) and the distortion is measured against the
float ground truth in [0, 1], as for the INRs. ``psnr_at_bpp`` reads a curve at a target rate by
linear interpolation (NaN outside the range the codec reaches).
"""

from __future__ import annotations

import io
from functools import lru_cache

import numpy as np

from inrkit.metrics import image as im

QUALITIES = {"jpeg": tuple(range(1, 96, 3)), "webp": tuple(range(0, 101, 4)), "avif": tuple(range(0, 101, 5))}


@lru_cache(maxsize=1)
def available() -> tuple[str, ...]:
    """The codecs this Pillow can write."""
    from PIL import features

    return tuple(c for c in ("jpeg", "webp", "avif") if c == "jpeg" or features.check(c))


def encode_decode(img: np.ndarray, codec: str, quality: int) -> tuple[int, np.ndarray]:
    """(bytes, decoded image in [0, 1]) of ``img [H, W, C]`` at a quality setting."""
    from PIL import Image

    u8 = np.round(np.clip(img, 0.0, 1.0) * 255.0).astype(np.uint8)
    pil = Image.fromarray(u8[..., 0] if u8.shape[-1] == 1 else u8)
    buf = io.BytesIO()
    if codec == "jpeg":
        pil.save(buf, format="JPEG", quality=quality, optimize=True)
    elif codec == "webp":
        pil.save(buf, format="WEBP", quality=quality, method=6)
    elif codec == "avif":
        pil.save(buf, format="AVIF", quality=quality)
    else:
        raise ValueError(f"unknown codec {codec!r}")
    data = buf.getvalue()
    with Image.open(io.BytesIO(data)) as dec:
        out = np.asarray(dec.convert("L" if u8.shape[-1] == 1 else "RGB"), np.float64) / 255.0
    return len(data), out.reshape(img.shape)


def curve(img: np.ndarray, codec: str) -> list[dict[str, float]]:
    """Rate-distortion points ``{"quality", "bpp", "psnr", "ssim"}`` sorted by rate."""
    h, w = img.shape[:2]
    pts = []
    for q in QUALITIES[codec]:
        n, dec = encode_decode(img, codec, q)
        pts.append({"quality": float(q), "bpp": 8.0 * n / (h * w), "psnr": im.psnr(dec, img),
                    "ssim": im.ssim(dec, img) if min(h, w) >= 11 else float("nan")})
    return sorted(pts, key=lambda p: p["bpp"])


def at_bpp(points: list[dict[str, float]], bpp: float, key: str = "psnr") -> float:
    """``key`` of a curve at rate ``bpp`` (linear interpolation; NaN outside the curve's rates)."""
    rates = np.array([p["bpp"] for p in points])
    vals = np.array([p[key] for p in points])
    order = np.argsort(rates)
    rates, vals = rates[order], vals[order]
    if not len(rates) or bpp < rates[0] or bpp > rates[-1]:
        return float("nan")
    return float(np.interp(bpp, rates, vals))
