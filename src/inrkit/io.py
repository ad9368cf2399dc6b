"""Atomic file output: every file is written to a temporary sibling and renamed into place, so an
interrupted run never leaves a half-written file and never damages what was already there.

Temporary siblings are named ``.inrkit-tmp.<name>.*`` (``remove_temps`` clears those a killed process
left behind); finished files get the permissions of the umask, like any ``open()``."""

from __future__ import annotations

import contextlib
import json
import math
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

TMP_PREFIX = ".inrkit-tmp."


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def remove_temps(root: str | Path) -> int:
    """Delete the temporary files that interrupted atomic writes left under ``root``; their count."""
    n = 0
    for tmp in Path(root).rglob(f"{TMP_PREFIX}*"):
        if tmp.is_file():
            tmp.unlink(missing_ok=True)
            n += 1
    return n


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path`` atomically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f"{TMP_PREFIX}{path.name}.", suffix=path.suffix or ".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_with(path: str | Path, writer: Callable[[Path], Any]) -> None:
    """Atomically write ``path`` by calling ``writer(tmp_path)``."""
    with atomic_path(path) as tmp:
        writer(tmp)


def write_text(path: str | Path, text: str) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(text)


def json_safe(obj: Any) -> Any:
    """``obj`` as ``write_json`` stores it: NaN -> None, +-inf -> "inf" / "-inf" (recursively)."""
    if isinstance(obj, float) and not math.isfinite(obj):
        return None if math.isnan(obj) else ("inf" if obj > 0 else "-inf")
    if isinstance(obj, dict):
        return {k: json_safe(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [json_safe(v) for v in obj]
    return obj


def write_json(path: str | Path, data: Any) -> None:
    """Atomic JSON with non-finite floats written as null / "inf" (strict JSON)."""
    write_text(path, json.dumps(json_safe(data), indent=2) + "\n")


def read_json(path: str | Path) -> Any:
    """Parse a JSON file; ``InputError`` naming the file when it is unreadable or not JSON."""
    from inrkit.errors import InputError

    try:
        return json.loads(Path(path).read_text())
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise InputError(f"{path}: not valid JSON ({type(e).__name__}: {str(e)[:80]})") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a JSON file") from None
