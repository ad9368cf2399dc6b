"""The benchmark data folder (``shared/data``) and ``data:<relative path>`` sources.

The folder is found from ``$INRKIT_DATA``, else by looking for ``shared/data`` beside or above the
current directory and the package. Files named in its ``SHA256SUMS`` are verified before use, so a
benchmark never runs on corrupted or substituted data (data.md).
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

from inrkit.errors import InputError

PREFIX = "data:"


def data_root() -> Path:
    """The benchmark data folder; ``InputError`` if it cannot be found."""
    env = os.environ.get("INRKIT_DATA")
    if env:
        root = Path(env)
        if not root.is_dir():
            raise InputError(f"INRKIT_DATA={env}: not a directory")
        return root
    starts = [Path.cwd(), Path(__file__).resolve()]
    for start in starts:
        for parent in [start, *start.parents]:
            for cand in (parent / "shared" / "data", parent / "data"):
                if (cand / "SHA256SUMS").is_file():
                    return cand
    raise InputError("benchmark data folder not found: set INRKIT_DATA to the shared/data directory")


@functools.lru_cache(maxsize=4)
def _checksums(root: str) -> dict[str, str]:
    sums: dict[str, str] = {}
    path = Path(root) / "SHA256SUMS"
    for line in path.read_text().splitlines():
        parts = line.split()
        if len(parts) == 2:
            sums[parts[1].lstrip("*").removeprefix("./")] = parts[0]
    return sums


@functools.lru_cache(maxsize=256)
def _verified(path: str, digest: str) -> bool:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest() == digest


def resolve(source: str) -> str:
    """Map ``data:<rel>`` to a verified file path; other sources are returned unchanged."""
    if not source.startswith(PREFIX):
        return source
    rel = source[len(PREFIX):]
    root = data_root()
    path = root / rel
    if not path.is_file():
        raise InputError(f"{source}: no such file in the data folder {root}")
    digest = _checksums(str(root)).get(rel)
    if digest is not None and not _verified(str(path), digest):
        raise InputError(f"{path}: checksum mismatch with {root / 'SHA256SUMS'} (file corrupted or replaced)")
    return str(path)
