"""Run-directory safety: one process per directory, clean failed starts, the signal's fingerprint.

* ``locked(run_dir)`` holds ``DIR/.lock`` (``filelock``, an OS lock that a killed process releases)
  for the whole fit, so a second ``fit`` / ``--resume`` on the same directory stops with one line.
* ``cleanup_failed_start`` removes a directory that a start created but that holds no progress yet
  (no checkpoint, no metrics), so a bad device or value never blocks the next attempt.
* ``signal.json`` records the signal's source, its file's sha256 and its grid, so ``eval`` can refuse
  another signal and ``render`` can rebuild the grid of image / audio / video runs without the file.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from inrkit.errors import InputError
from inrkit.io import read_json, remove_temps, write_json

LOCK_NAME = ".lock"
SIGNAL_FILE = "signal.json"
#: kinds whose render needs only the grid (no ground truth).
GRID_KINDS = ("image", "audio", "video")


@contextlib.contextmanager
def locked(run_dir: Path) -> Iterator[None]:
    """Hold the run directory's lock; ``InputError`` if another process holds it."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(run_dir / LOCK_NAME), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise InputError(f"{run_dir}: another inrkit process is using this run directory; "
                         "wait for it to finish or choose another --out") from None
    try:
        remove_temps(run_dir)
        shutil.rmtree(run_dir / "checkpoint.tmp", ignore_errors=True)
        yield
    finally:
        lock.release()


def is_empty(run_dir: Path) -> bool:
    """True when ``run_dir`` is missing or holds nothing but a lock file."""
    return not run_dir.exists() or all(p.name == LOCK_NAME for p in run_dir.iterdir())


def cleanup_failed_start(run_dir: Path) -> None:
    """Remove ``run_dir`` when a start failed before any progress was saved."""
    progress = ("checkpoint", "checkpoint.old", "metrics.json", "model.safetensors")
    if run_dir.is_dir() and not any((run_dir / name).exists() for name in progress):
        shutil.rmtree(run_dir, ignore_errors=True)


def file_sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def source_sha256(source: str) -> str | None:
    """sha256 of the file behind ``source`` (``data:`` resolved); None for built-in / generated signals."""
    from inrkit.signals.data import PREFIX, resolve

    path = Path(resolve(source)) if source.startswith(PREFIX) else Path(source)
    return file_sha256(path) if path.is_file() else None


def _jsonable(meta: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in meta.items():
        try:
            json.dumps(v)
        except (TypeError, ValueError):
            continue
        out[k] = v
    return out


def write_signal_info(run_dir: Path, task: Any, source: str) -> None:
    """Write ``DIR/signal.json`` (source, sha256, kind, grid, value range, metadata)."""
    sig = getattr(task, "signal", None)
    info: dict[str, Any] = {"source": source, "sha256": source_sha256(source)}
    if sig is not None and hasattr(sig, "values"):
        info.update(kind=sig.kind, shape=list(sig.values.shape), value_range=list(sig.value_range),
                    meta=_jsonable(sig.meta))
    write_json(run_dir / SIGNAL_FILE, info)


def check_signal(run_dir: Path, source: str) -> None:
    """``InputError`` when the signal file differs from the one the run in ``run_dir`` was fitted on."""
    path = run_dir / SIGNAL_FILE
    if not path.is_file():
        return
    saved = read_json(path).get("sha256")
    now = source_sha256(source)
    if saved and now and saved != now:
        raise InputError(f"{source}: sha256 {now[:12]}... differs from the fitted signal's {saved[:12]}... "
                         f"({run_dir / SIGNAL_FILE}); the file changed since the fit")


def placeholder_signal(run_dir: Path):
    """A zero-valued Signal with the saved grid of a grid-kind run, or None."""
    from inrkit.signals.base import Signal

    path = run_dir / SIGNAL_FILE
    info = read_json(path) if path.is_file() else {}
    if info.get("kind") not in GRID_KINDS or not info.get("shape"):
        return None
    values = np.zeros(info["shape"], np.float32)
    lo, hi = info.get("value_range", (0.0, 1.0))
    return Signal(values=values + lo, kind=info["kind"], value_range=(lo, hi), meta=info.get("meta", {}))
