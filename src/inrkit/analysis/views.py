"""Method-specific views written into a run's ``plots/`` (e.g. SASNet masks and spectra).

A field type registers a view writer with ``register_view(FieldClass)``; ``write_field_views``
calls every writer whose class matches the trained field.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

ViewWriter = Callable[[Any, Any, Path], list[str]]
_VIEWS: list[tuple[type, ViewWriter]] = []


def register_view(field_cls: type) -> Callable[[ViewWriter], ViewWriter]:
    def deco(fn: ViewWriter) -> ViewWriter:
        _VIEWS.append((field_cls, fn))
        return fn

    return deco


def write_field_views(field: Any, task: Any, out_dir: Path) -> list[str]:
    """Run the registered view writers for ``field``; returns the written paths (relative)."""
    written: list[str] = []
    for cls, fn in _VIEWS:
        if isinstance(field, cls):
            out_dir.mkdir(parents=True, exist_ok=True)
            written.extend(fn(field, task, out_dir))
    return written
