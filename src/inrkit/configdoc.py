"""Config files and key documentation: the ``#:`` comment above each dataclass field is its help text.

``config_keys(cfg)`` flattens a resolved config into ``(dotted key, value, help)`` rows (what
``inrkit config RECIPE --keys`` prints); ``config_diff(a, b)`` names the dotted keys where two config
dicts differ (resume mismatches).
"""

from __future__ import annotations

import inspect
import re
from dataclasses import fields, is_dataclass
from functools import cache
from typing import Any

_COMMENT = re.compile(r"^\s*#:\s?(.*)$")
_FIELD = re.compile(r"^\s*(\w+)\s*:")


@cache
def field_docs(cls: type) -> dict[str, str]:
    """``{field name: its #: comment}`` for a dataclass and its bases (subclasses win)."""
    docs: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        try:
            lines = inspect.getsource(klass).splitlines()
        except (OSError, TypeError):
            continue
        pending: list[str] = []
        for line in lines:
            if m := _COMMENT.match(line):
                pending.append(m.group(1).strip())
            elif (m := _FIELD.match(line)) and pending:
                docs[m.group(1)] = " ".join(pending)
                pending = []
            else:
                pending = []
    return docs


def config_keys(cfg: Any, prefix: str = "") -> list[tuple[str, Any, str]]:
    """Rows ``(dotted key, value, help)`` of every leaf of a config dataclass."""
    rows: list[tuple[str, Any, str]] = []
    docs = field_docs(type(cfg))
    for f in fields(cfg):
        value = getattr(cfg, f.name)
        key = f"{prefix}{f.name}"
        if is_dataclass(value) and not isinstance(value, type):
            from inrkit.config import is_registered_config, type_name

            if is_registered_config(value):
                rows.append((f"{key}.type", type_name(value), docs.get(f.name, "")))
            rows.extend(config_keys(value, f"{key}."))
        else:
            rows.append((key, value, docs.get(f.name, "")))
    return rows


def _flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(data, dict):
        out: dict[str, Any] = {}
        for k, v in data.items():
            out.update(_flatten(v, f"{prefix}{k}."))
        return out or {prefix.rstrip("."): {}}
    return {prefix.rstrip("."): data}


def config_diff(saved: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """``key: saved -> new`` for every dotted key whose value differs (or exists on one side only)."""
    a, b = _flatten(saved), _flatten(new)
    missing = object()
    out = []
    for key in sorted(set(a) | set(b)):
        va, vb = a.get(key, missing), b.get(key, missing)
        if va != vb:
            show = ["(absent)" if v is missing else repr(v) for v in (va, vb)]
            out.append(f"{key}: {show[0]} -> {show[1]}")
    return out
