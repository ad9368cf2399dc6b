"""Signal loaders. ``load_signal`` picks the loader from the source's suffix or prefix."""

from __future__ import annotations

from pathlib import Path

from inrkit.errors import InputError
from inrkit.signals import function1d, pde, video
from inrkit.signals.audio import AUDIO_SUFFIXES, load_wav
from inrkit.signals.base import Signal
from inrkit.signals.data import resolve
from inrkit.signals.image import IMAGE_SUFFIXES, load_image
from inrkit.signals.shape import CLOUD_SUFFIXES, MESH_SUFFIXES, load_shape
from inrkit.signals.volume import VOLUME_SUFFIXES, load_volume, volume_suffix

#: source prefix selecting the occupancy task's kind for a mesh (``occupancy:data:shapes/armadillo.obj``).
OCCUPANCY_PREFIX = "occupancy:"


def signal_kind(source: str) -> str:
    """The kind of signal a source names, from its prefix or file suffix.

    "image", "function1d", "shape" (mesh or oriented cloud -> SDF), "occupancy" (a mesh behind the
    ``occupancy:`` prefix -> voxelised occupancy fitting) or "volume" (3-D scalar grid).
    """
    if source.startswith(OCCUPANCY_PREFIX):
        if signal_kind(source[len(OCCUPANCY_PREFIX):]) != "shape":
            raise InputError(f"{source}: {OCCUPANCY_PREFIX} needs a mesh (.obj/.ply/.off/.stl)")
        return "occupancy"
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
    if suffix in MESH_SUFFIXES or suffix in CLOUD_SUFFIXES:
        return "shape"
    if volume_suffix(source) is not None:
        return "volume"
    supported = ", ".join((*IMAGE_SUFFIXES, *AUDIO_SUFFIXES, *MESH_SUFFIXES, *CLOUD_SUFFIXES, *VOLUME_SUFFIXES))
    raise InputError(f"{source}: unsupported signal type {suffix or '(no suffix)'!r}; "
                     f"supported: {supported}, .mp4 and .npz video (a 'frames' array) files, builtin:<name>, "
                     f"{function1d.PREFIX}<name>, {pde.PREFIX}<problem>, {video.PREFIX}<path> "
                     f"and {OCCUPANCY_PREFIX}<mesh>")


def load_signal(source: str, max_side: int | None = None, crop: int | None = None, stride: int = 1) -> Signal:
    """Load any supported signal; ``crop`` / ``stride`` select along the first axis (video frames, audio samples)."""
    kind = signal_kind(source)
    if kind == "function1d":
        return function1d.load_function(source)
    if kind == "occupancy":
        return load_signal(source[len(OCCUPANCY_PREFIX):], max_side)
    if kind == "pde":
        return pde.load_problem(source)
    if kind == "video":
        rest = source[len(video.PREFIX):] if source.startswith(video.PREFIX) else source
        signal = video.load_video(resolve(rest), max_side=max_side, crop=crop, stride=stride)
        signal.meta["source"] = source
        return signal
    path = resolve(source)
    if kind in ("shape", "volume") and not Path(path).is_file():
        raise InputError(f"{source}: no such file")
    if kind == "shape":
        return load_shape(path, source)
    if kind == "volume":
        return load_volume(path, max_side=max_side, source=source)
    if kind == "audio":
        signal = load_wav(path, crop=crop, stride=stride)
        signal.meta["source"] = source
        return signal
    if kind == "image":
        signal = load_image(path, max_side=max_side)
        signal.meta["source"] = source
        return signal
    raise InputError(f"{source}: no loader for {kind}")  # pragma: no cover


__all__ = ["Signal", "load_signal", "signal_kind", "load_image", "load_shape", "load_volume"]
