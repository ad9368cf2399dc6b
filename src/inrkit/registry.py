"""Name -> (object, config class) registries.

Every field, encoding, activation, task, metric, recipe and bench table is registered by name,
together with a frozen dataclass holding its configuration. A config instance knows its registered
name (``type_name(cfg)``), which is what makes ``{"type": name, ...}`` serialisation possible.

Example::

    @FIELDS.register("siren", config=SirenConfig)
    class Siren(Field): ...

    field = FIELDS.create({"type": "siren", "hidden_features": 128})
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterator
from dataclasses import dataclass, is_dataclass, replace
from typing import Any

from inrkit.config import from_dict, is_registered_config, register_config, register_registry, type_name
from inrkit.errors import InputError

__all__ = ["Entry", "Registry", "is_registered_config", "type_name"]


@dataclass(frozen=True)
class Entry:
    """One registered object."""

    name: str
    obj: Any
    config: type | None
    description: str


class Registry:
    """A named collection of constructors with their config dataclasses."""

    def __init__(self, kind: str):
        self.kind = kind
        self._entries: dict[str, Entry] = {}

    def register(self, name: str, config: type | None = None, description: str | None = None) -> Callable:
        """Decorator registering ``obj`` under ``name`` (config: its frozen dataclass)."""

        def deco(obj: Any) -> Any:
            if name in self._entries:
                raise ValueError(f"{self.kind} {name!r} is registered twice")
            lines = (obj.__doc__ or "").strip().splitlines()
            text = description or (lines[0] if lines else "")
            if config is not None:
                if not is_dataclass(config):
                    raise TypeError(f"config for {name!r} must be a dataclass")
                register_config(config, self.kind, name)
            self._entries[name] = Entry(name, obj, config, text)
            return obj

        return deco

    def add(self, name: str, obj: Any, config: type | None = None, description: str = "") -> Any:
        """Register ``obj`` directly (used for data such as recipes and tables)."""
        return self.register(name, config, description or None)(obj)

    def replace(self, name: str, obj: Any, description: str = "") -> Any:
        """Swap the object registered as ``name`` (same config class), e.g. a recipe remade from more settings."""
        old = self.entry(name)
        self._entries[name] = Entry(name, obj, old.config, description or old.description)
        return obj

    def __contains__(self, name: str) -> bool:
        return name in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._entries))

    def entry(self, name: str) -> Entry:
        """The entry registered as ``name``; a one-line ``InputError`` naming the choices otherwise."""
        try:
            return self._entries[name]
        except KeyError:
            close = ", ".join(sorted(self._entries))
            raise InputError(f"unknown {self.kind} {name!r}; choose one of: {close}") from None

    def get(self, name: str) -> Any:
        return self.entry(name).obj

    def config_class(self, name: str) -> type:
        cfg = self.entry(name).config
        if cfg is None:
            raise TypeError(f"{self.kind} {name!r} has no config class")
        return cfg

    def names(self, pattern: str = "*") -> list[str]:
        """Registered names matching a shell-style pattern, sorted."""
        return [n for n in sorted(self._entries) if fnmatch.fnmatch(n, pattern)]

    def default_config(self, name: str, **overrides: Any) -> Any:
        """The config of ``name`` with its defaults and the given overrides."""
        return replace(self.config_class(name)(), **overrides)

    def create(self, spec: Any, *args: Any, **overrides: Any) -> Any:
        """Build an object from a name, a ``{"type": ...}`` dict or a config instance."""
        if isinstance(spec, str):
            cfg = self.default_config(spec, **overrides)
        elif isinstance(spec, dict):
            cfg = from_dict(spec, self)
            cfg = replace(cfg, **overrides) if overrides else cfg
        elif is_dataclass(spec):
            cfg = replace(spec, **overrides) if overrides else spec
        else:
            raise TypeError(f"cannot build a {self.kind} from {spec!r}")
        return self.get(type_name(cfg))(cfg, *args)


FIELDS = Registry("field")
ENCODINGS = Registry("encoding")
ACTIVATIONS = Registry("activation")
TASKS = Registry("task")
METRICS = Registry("metric")
RECIPES = Registry("recipe")
TABLES = Registry("table")
SIGNALS = Registry("signal loader")
PROTOCOLS = Registry("protocol")
METHODS = Registry("method")
OPERATORS = Registry("operator")

REGISTRIES = {
    "fields": FIELDS,
    "encodings": ENCODINGS,
    "activations": ACTIVATIONS,
    "tasks": TASKS,
    "metrics": METRICS,
    "recipes": RECIPES,
    "tables": TABLES,
    "protocols": PROTOCOLS,
    "methods": METHODS,
    "operators": OPERATORS,
}

for _key, _registry in REGISTRIES.items():
    register_registry(_key, _registry)
