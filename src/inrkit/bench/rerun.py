"""Reruns that notice changed settings: a finished fit is reused only for the same resolved config.

A bench rerun with other ``--set`` values (steps, resolution, ...) must not mix old and new fits.
``config_hash`` fingerprints a resolved config; ``check_finished`` compares a finished run's saved
``config.json`` with the config the table asks for and refuses, naming the changed keys, when they
differ. Keys that do not change results (``trainer.device``, ``trainer.progress``, ``trainer.ntk_points``: the
NTK analysis reads the field without changing it) and the field sizes
filled in from the signal (``field.*in_features`` / ``out_features``) are left out of the comparison.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from inrkit.errors import InputError
from inrkit.io import read_json

#: dotted keys that do not change a fit's results.
IGNORED = ("trainer.device", "trainer.progress", "trainer.progress_every_s", "trainer.log", "trainer.ntk_points")


def _flat(data: Any, prefix: str = "") -> dict[str, Any]:
    if not isinstance(data, dict):
        return {prefix: data}
    out: dict[str, Any] = {}
    for k, v in data.items():
        out.update(_flat(v, f"{prefix}{k}." if isinstance(v, dict) else f"{prefix}{k}"))
    return {k.rstrip("."): v for k, v in out.items()}


def comparable(config: dict[str, Any]) -> dict[str, Any]:
    """The flattened config without the keys that do not change results."""
    return {k: v for k, v in _flat(config).items() if k not in IGNORED and not _from_signal(k)}


def _from_signal(key: str) -> bool:
    """Field sizes that ``build`` fills in from the signal (the signal itself is part of the config)."""
    return key.startswith("field.") and key.rsplit(".", 1)[-1] in ("in_features", "out_features")


def config_hash(config: dict[str, Any]) -> str:
    """A short sha256 of the result-relevant part of a resolved config (``to_dict`` form)."""
    text = json.dumps(comparable(config), sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def changed_keys(saved: dict[str, Any], wanted: dict[str, Any]) -> list[str]:
    a, b = comparable(saved), comparable(wanted)
    return sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))


def check_finished(run_dir: Path, wanted: dict[str, Any]) -> None:
    """``InputError`` when the finished run in ``run_dir`` was made with another config than ``wanted``."""
    path = Path(run_dir) / "config.json"
    saved = read_json(path) if path.is_file() else {}
    if config_hash(saved) == config_hash(json.loads(json.dumps(wanted, default=str))):
        return
    keys = changed_keys(saved, json.loads(json.dumps(wanted, default=str)))
    a, b = comparable(saved), comparable(wanted)
    shown = ", ".join(f"{k}: {a.get(k)!r} -> {b.get(k)!r}" for k in keys[:3])
    raise InputError(f"{run_dir}: finished with other settings ({shown}{', ...' if len(keys) > 3 else ''}); "
                     "use another --out, or delete the old fits to refit them")
