"""Frozen dataclass configs <-> plain ``{"type": name, ...}`` data.

Rules:

* Every config is a frozen dataclass; registered ones (see ``registry.py``) serialise with a
  ``"type"`` key naming their registry entry.
* A field holding another registered config declares its registry with ``spec(...)`` so that
  ``from_dict`` knows where to look the nested ``"type"`` up.
* This module owns type dispatch: ``register_config`` records which registry entry a config class
  belongs to (``type_name``), and ``register_registry`` names the registries ``spec`` fields refer
  to. ``registry.py`` calls both and imports this module; this module imports no registry.
* ``override(cfg, "field.hidden_features", "128")`` returns a new config; values given as strings
  are parsed as JSON where possible and coerced to the declared type. Unknown keys raise
  ``InputError``.
"""

from __future__ import annotations

import json
import math
import types
import typing
from dataclasses import MISSING, field, fields, is_dataclass, replace
from typing import Any

from inrkit.errors import InputError


def spec(registry: str, default: Any = MISSING, default_factory: Any = MISSING) -> Any:
    """A dataclass field holding a registered config of the named registry (e.g. ``"fields"``)."""
    kw: dict[str, Any] = {"metadata": {"registry": registry}}
    if default is not MISSING:
        kw["default"] = default
    if default_factory is not MISSING:
        kw["default_factory"] = default_factory
    return field(**kw)


_CONFIG_NAMES: dict[type, tuple[str, str]] = {}  # config class -> (registry kind, entry name)
_REGISTRIES: dict[str, Any] = {}  # "fields" -> the Registry of fields (anything with config_class/kind)


def register_config(cls: type, kind: str, name: str) -> None:
    """Record that config class ``cls`` belongs to entry ``name`` of the ``kind`` registry."""
    _CONFIG_NAMES[cls] = (kind, name)


def register_registry(key: str, registry: Any) -> None:
    """Make ``registry`` reachable from ``spec(key)`` fields."""
    _REGISTRIES[key] = registry


def type_name(cfg: Any) -> str:
    """Registered name of a config instance (or class)."""
    cls = cfg if isinstance(cfg, type) else type(cfg)
    try:
        return _CONFIG_NAMES[cls][1]
    except KeyError:
        raise TypeError(f"{cls.__name__} is not a registered config class") from None


def is_registered_config(obj: Any) -> bool:
    return is_dataclass(obj) and not isinstance(obj, type) and type(obj) in _CONFIG_NAMES


def _registry(name: str):
    return _REGISTRIES[name]


def to_dict(cfg: Any) -> Any:
    """Serialise a config (recursively) to JSON-ready data."""
    if is_dataclass(cfg) and not isinstance(cfg, type):
        out: dict[str, Any] = {}
        if is_registered_config(cfg):
            out["type"] = type_name(cfg)
        for f in fields(cfg):
            out[f.name] = to_dict(getattr(cfg, f.name))
        return out
    if isinstance(cfg, (list, tuple)):
        return [to_dict(v) for v in cfg]
    if isinstance(cfg, dict):
        return {str(k): to_dict(v) for k, v in cfg.items()}
    if isinstance(cfg, float) and not math.isfinite(cfg):
        return str(cfg)
    return cfg


def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _coerce(value: Any, hint: Any, where: str) -> Any:
    """Coerce JSON data to the annotated type (tuples, floats, nested dataclasses)."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if hint is Any or hint is None:
        return value
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        for a in args:
            if a is type(None):
                continue
            try:
                return _coerce(value, a, where)
            except (InputError, TypeError, ValueError):
                continue
        raise InputError(f"bad value {value!r} for {where}")
    if origin is typing.Literal:
        if value not in args:
            raise InputError(f"bad value {value!r} for {where}; choose one of {list(args)}")
        return value
    if origin in (tuple, list):
        if not isinstance(value, (list, tuple)):
            raise InputError(f"{where} expects a list, got {value!r}")
        if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
            return tuple(_coerce(v, args[0], where) for v in value)
        if origin is tuple and args:
            if len(args) != len(value):
                raise InputError(f"{where} expects {len(args)} values, got {len(value)}")
            return tuple(_coerce(v, a, where) for v, a in zip(value, args, strict=True))
        return type(value)(_coerce(v, args[0], where) for v in value) if args else value
    if origin is dict:
        if not isinstance(value, dict):
            raise InputError(f"{where} expects a mapping, got {value!r}")
        return {k: _coerce(v, args[1], where) if args else v for k, v in value.items()}
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise InputError(f"{where} expects a number, got {value!r}")
        try:
            number = float(value)
        except ValueError:
            raise InputError(f"{where} expects a number, got {value!r}") from None
        if not math.isfinite(number):
            raise InputError(f"{where} must be a finite number, got {value!r}")
        return number
    if hint is int:
        if isinstance(value, bool) or not (isinstance(value, int) or (isinstance(value, float) and value.is_integer())):
            raise InputError(f"{where} expects an integer, got {value!r}")
        return int(value)
    if hint is bool:
        if not isinstance(value, bool):
            raise InputError(f"{where} expects true or false, got {value!r}")
        return value
    if hint is str:
        if not isinstance(value, str):
            raise InputError(f"{where} expects a string, got {value!r}")
        return value
    if isinstance(hint, type) and is_dataclass(hint):
        if is_dataclass(value):
            return value
        return from_dict(value, hint, where)
    return value


def from_dict(data: Any, target: Any, where: str = "config") -> Any:
    """Build a config from data. ``target`` is a dataclass type or a ``Registry``."""
    if is_dataclass(data) and not isinstance(data, type):
        return data
    if not isinstance(data, dict):
        raise InputError(f"{where} must be a mapping, got {data!r}")
    data = dict(data)
    if not isinstance(target, type):  # a registry
        if "type" not in data:
            raise InputError(f"{where} needs a 'type' naming a {target.kind}")
        cls = target.config_class(data.pop("type"))
    else:
        cls = target
        data.pop("type", None)
    hints = _hints(cls)
    known = {f.name: f for f in fields(cls)}
    kwargs = {}
    for key, value in data.items():
        if key not in known:
            raise InputError(f"unknown config key {where}.{key}; known keys: {', '.join(known)}")
        f = known[key]
        reg = f.metadata.get("registry")
        if reg is not None and isinstance(value, dict):
            kwargs[key] = from_dict(value, _registry(reg), f"{where}.{key}")
        else:
            kwargs[key] = _coerce(value, hints[key], f"{where}.{key}")
    return cls(**kwargs)


def parse_value(text: str) -> Any:
    """Parse a ``--set`` value: JSON when it parses (numbers, lists, true/false/null), else the text."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def override(cfg: Any, dotted: str, value: Any, _prefix: str = "") -> Any:
    """Return ``cfg`` with the (dotted) key set to ``value``; unknown keys raise ``InputError``."""
    head, _, rest = dotted.partition(".")
    where = f"{_prefix}{head}"
    known = {f.name: f for f in fields(cfg)}
    if head not in known:
        owner = _prefix.rstrip(".") or "the run config"
        raise InputError(f"unknown --set key '{_prefix}{dotted}'; {owner} has: {', '.join(known)}")
    current = getattr(cfg, head)
    if rest == "type" and known[head].metadata.get("registry") is not None:
        return override(cfg, head, value, _prefix)  # field.activation.type=gauss swaps the component
    if rest:
        if isinstance(current, dict):
            sub = dict(current)
            sub[rest] = parse_value(value) if isinstance(value, str) else value
            return replace(cfg, **{head: sub})
        if not is_dataclass(current):
            raise InputError(f"unknown --set key '{_prefix}{dotted}': {where} is not a nested config")
        return replace(cfg, **{head: override(current, rest, value, f"{where}.")})
    parsed = parse_value(value) if isinstance(value, str) else value
    reg = known[head].metadata.get("registry")
    if reg is not None:
        if isinstance(parsed, str):  # swap the component by name, keeping nothing of the old one
            new = _registry(reg).default_config(parsed)
        else:
            new = from_dict(parsed, _registry(reg), where)
        return replace(cfg, **{head: new})
    return replace(cfg, **{head: _coerce(parsed, _hints(type(cfg))[head], where)})
