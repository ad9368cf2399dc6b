"""Signal loaders. ``load_signal`` picks the loader from the source's suffix or prefix."""

from __future__ import annotations

from pathlib import Path

from inrkit.errors import InputError
from inrkit.signals import function1d, pde, video
from inrkit.signals.audio import AUDIO_SUFFIXES, load_wav
from inrkit.signals.base import Signal
from inrkit.signals.data import resolve
from inrkit.signals.image import IMAGE_SUFFIXES, load_image


def signal_kind(source: str) -> str:
    """The kind of signal a source names ("image", ...), from its prefix or file suffix."""
    if source.startswith("builtin:"):
        return "image"
    if source.startswith(function1d.PREFIX):
        return "function1d"
    if source.startswith(pde.PREFIX):
        return "pde"
    if source.startswith(video.PREFIX):
        return "video"
    suffix = Path(source).suffix.lower()
    if suffix in IMAGE_SUFFIXES:
        return "image"
    if suffix in AUDIO_SUFFIXES:
        return "audio"
    if suffix in video.VIDEO_SUFFIXES or (suffix == ".npz" and video.is_video_npz(resolve(source))):
        return "video"
    raise InputError(f"{source}: unsupported signal type {suffix or '(no suffix)'!r}; "
                     f"supported: {', '.join(IMAGE_SUFFIXES + AUDIO_SUFFIXES)}, .mp4 and .npz video "
                     f"(a 'frames' array) files, builtin:<name>, {function1d.PREFIX}<name>, {pde.PREFIX}<problem> "
                     f"and {video.PREFIX}<path>")


def load_signal(source: str, max_side: int | None = None, crop: int | None = None, stride: int = 1) -> Signal:
    """Load any supported signal; ``crop`` / ``stride`` select along the first axis (video frames, audio samples)."""
    kind = signal_kind(source)
    if kind == "function1d":
        return function1d.load_function(source)
    if kind == "pde":
        return pde.load_problem(source)
    if kind == "video":
        rest = source[len(video.PREFIX):] if source.startswith(video.PREFIX) else source
        signal = video.load_video(resolve(rest), max_side=max_side, crop=crop, stride=stride)
        signal.meta["source"] = source
        return signal
    path = resolve(source)
    if kind == "audio":
        signal = load_wav(path, crop=crop, stride=stride)
        signal.meta["source"] = source
        return signal
    if kind == "image":
        signal = load_image(path, max_side=max_side)
        signal.meta["source"] = source
        return signal
    raise InputError(f"{source}: no loader for {kind}")  # pragma: no cover


__all__ = ["Signal", "load_signal", "signal_kind", "load_image"]
