"""The benchmark data folder (``shared/data``) and ``data:<relative path>`` sources.

The folder is found from ``$INRKIT_DATA``, else by looking for ``shared/data`` beside or above the
current directory and the package. Files named in its ``SHA256SUMS`` are verified before use, so a
benchmark never runs on corrupted or substituted data (data.md). ``data:`` paths are normalised
(``a/../a/x.png`` -> ``a/x.png``) before the checksum lookup and may not leave the folder.
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path, PurePosixPath

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
def _verified(path: str, digest: str, size: int, mtime_ns: int) -> bool:
    """Whether ``path`` has ``digest``; cached per (size, mtime) so a replaced file is checked again."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest() == digest


def normalise(source: str) -> str:
    """The relative path of ``data:<rel>``, normalised; ``InputError`` if it leaves the data folder."""
    rel = source[len(PREFIX):].replace("\\", "/")
    if not rel or rel.startswith("/") or PurePosixPath(rel).is_absolute() or ":" in rel.split("/")[0]:
        raise InputError(f"{source}: data: paths are relative to the data folder (no absolute paths)")
    parts: list[str] = []
    for part in rel.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                raise InputError(f"{source}: data: paths may not leave the data folder ('..')")
            parts.pop()
        else:
            parts.append(part)
    if not parts:
        raise InputError(f"{source}: names no file in the data folder")
    return "/".join(parts)


def resolve(source: str) -> str:
    """Map ``data:<rel>`` to a verified file path; other sources are returned unchanged."""
    if not source.startswith(PREFIX):
        return source
    rel = normalise(source)
    root = data_root()
    path = root / rel
    if not path.resolve().is_relative_to(root.resolve()):
        raise InputError(f"{source}: resolves outside the data folder {root} (symbolic link?)")
    if not path.is_file():
        raise InputError(f"{source}: no such file in the data folder {root}")
    digest = _checksums(str(root)).get(rel)
    if digest is None:
        raise InputError(f"{source}: not listed in {root / 'SHA256SUMS'}; data: files are always verified")
    st = path.stat()
    if not _verified(str(path), digest, st.st_size, st.st_mtime_ns):
        raise InputError(f"{path}: checksum mismatch with {root / 'SHA256SUMS'} (file corrupted or replaced)")
    return str(path)
