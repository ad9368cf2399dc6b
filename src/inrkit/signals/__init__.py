"""Signal loaders. ``load_signal`` picks the loader from the source's suffix or prefix."""

from __future__ import annotations

from pathlib import Path

from inrkit.errors import InputError
from inrkit.signals import function1d, pde
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
    suffix = Path(source).suffix.lower()
    if suffix in IMAGE_SUFFIXES:
        return "image"
    raise InputError(f"{source}: unsupported signal type {suffix or '(no suffix)'!r}; "
                     f"supported: {', '.join(IMAGE_SUFFIXES)} files, builtin:<name> and {function1d.PREFIX}<name>")


def load_signal(source: str, max_side: int | None = None) -> Signal:
    """Load any supported signal."""
    kind = signal_kind(source)
    if kind == "function1d":
        return function1d.load_function(source)
    if kind == "pde":
        return pde.load_problem(source)
    path = resolve(source)
    if kind == "image":
        signal = load_image(path, max_side=max_side)
        signal.meta["source"] = source
        return signal
    raise InputError(f"{source}: no loader for {kind}")  # pragma: no cover


__all__ = ["Signal", "load_signal", "signal_kind", "load_image"]
