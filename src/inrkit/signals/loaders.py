"""Signal loaders by registry: ``load_signal`` and ``signal_kind`` look the loader up, never branch.

A loader registers itself, in its own module, by source prefix and / or file suffix::

    @register_loader("audio", kind="audio", suffixes=(".wav",), description="WAV audio")
    def _load(req: LoadRequest) -> Signal:
        return load_wav(req.path, crop=req.crop, stride=req.stride)

Modules of ``inrkit.signals`` are imported with the package, so a built-in loader is one new file;
a loader anywhere else registers when its module is imported. Loaders live in the ``SIGNALS``
registry (``inrkit.registry``) as ``SignalLoader`` entries; dispatch reads the registry on every call.

Dispatch of a source, in this order:

1. A **task prefix** (``occupancy:<mesh>``, see ``register_task_prefix``) is split off: it names the
   task, not the signal, and the rest is dispatched as below.
2. A loader **prefix** (``builtin:``, ``function:``, ``pde:``, ``video:``): the longest matching one.
3. Otherwise the file **suffix** (case-insensitive, longest match: ``.nii.gz`` before ``.gz``). Where
   several loaders claim a suffix (``.npz``: video or volume), those with a content check
   (``accepts``, run on the ``data:``-resolved path) are tried first; the one without decides the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from inrkit.errors import InputError
from inrkit.registry import SIGNALS
from inrkit.signals.base import Signal
from inrkit.signals.data import resolve

#: ``<prefix><source>`` spellings that select a task for the rest of the source (prefix -> task name).
TASK_PREFIXES: dict[str, str] = {}


@dataclass(frozen=True)
class LoadRequest:
    """What a loader is asked to load."""

    #: the source as written (task prefix removed): for messages and ``meta["source"]``.
    source: str
    #: the source without the loader's prefix, ``data:<rel>`` resolved to a verified file path.
    path: str
    #: longest side after downsampling (None: native).
    max_side: int | None = None
    #: keep the first N entries of the first axis (video frames, audio samples).
    crop: int | None = None
    #: keep every k-th entry of the first axis.
    stride: int = 1


@dataclass(frozen=True)
class SignalLoader:
    """A registered loader: what it reads and the kind of signal it returns."""

    name: str
    #: ``Signal.kind`` of what it loads; also the default recipe family (``<model>-<kind>``).
    kind: str
    load: Callable[[LoadRequest], Signal]
    prefixes: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()
    #: content check on the resolved path, for suffixes that several loaders share.
    accepts: Callable[[str], bool] | None = None


def register_loader(name: str, kind: str, prefixes: tuple[str, ...] = (), suffixes: tuple[str, ...] = (),
                    accepts: Callable[[str], bool] | None = None, description: str = "") -> Callable:
    """Decorator registering ``load(request) -> Signal`` in ``SIGNALS``; returns the function unchanged.

    Raises ``ValueError`` when a prefix is claimed twice, or a suffix by two loaders without ``accepts``.
    """
    suffixes = tuple(s.lower() for s in suffixes)

    def deco(load: Callable[[LoadRequest], Signal]) -> Callable[[LoadRequest], Signal]:
        for other in loaders():
            clash = set(prefixes) & set(other.prefixes)
            if accepts is None and other.accepts is None:
                clash |= set(suffixes) & set(other.suffixes)
            if clash:
                raise ValueError(f"signal loader {name!r}: {', '.join(sorted(clash))} already taken by {other.name!r}")
        text = description or f"{kind} signals ({', '.join((*suffixes, *(p + '...' for p in prefixes)))})"
        SIGNALS.add(name, SignalLoader(name, kind, load, tuple(prefixes), suffixes, accepts), description=text)
        return load

    return deco


def register_task_prefix(prefix: str, task: str) -> None:
    """Make ``<prefix><source>`` mean ``<source>`` fitted with ``task`` (``occupancy:`` -> occupancy)."""
    if TASK_PREFIXES.get(prefix, task) != task:
        raise ValueError(f"task prefix {prefix!r} already selects task {TASK_PREFIXES[prefix]!r}")
    TASK_PREFIXES[prefix] = task


def loaders() -> list[SignalLoader]:
    """The registered loaders, sorted by name."""
    return [SIGNALS.get(name) for name in SIGNALS]


def split_task_prefix(source: str) -> tuple[str | None, str]:
    """``(task, rest)`` for a task-prefixed source, ``(None, source)`` otherwise."""
    for prefix, task in TASK_PREFIXES.items():
        if source.startswith(prefix):
            return task, source[len(prefix):]
    return None, source


def find_loader(source: str) -> tuple[SignalLoader, str]:
    """The loader of a source (without task prefix) and the source minus the loader's prefix."""
    found = [(len(p), lo, p) for lo in loaders() for p in lo.prefixes if source.startswith(p)]
    if found:
        _, loader, prefix = max(found, key=lambda t: t[0])
        return loader, source[len(prefix):]
    name = source.lower()
    matches = [(len(s), lo.accepts is not None, lo) for lo in loaders() for s in lo.suffixes if name.endswith(s)]
    for _, _, loader in sorted(matches, key=lambda t: (t[0], t[1]), reverse=True):
        if loader.accepts is None or loader.accepts(resolve(source)):
            return loader, source
    suffix = Path(source).suffix.lower()
    supported = "; ".join(SIGNALS.entry(n).description for n in SIGNALS)
    prefixes = ", ".join(f"{p}<source>" for p in TASK_PREFIXES)
    raise InputError(f"{source}: unsupported signal type {suffix or '(no suffix)'!r}; supported: {supported}"
                     + (f"; task prefixes {prefixes}" if prefixes else ""))


def signal_kind(source: str) -> str:
    """The kind of signal a source names ("image", "audio", "shape", ...), from its loader."""
    return find_loader(split_task_prefix(source)[1])[0].kind


def load_signal(source: str, max_side: int | None = None, crop: int | None = None, stride: int = 1) -> Signal:
    """Load any registered kind of signal; ``crop`` / ``stride`` select along the first axis."""
    _, source = split_task_prefix(source)
    loader, rest = find_loader(source)
    signal = loader.load(LoadRequest(source, resolve(rest), max_side, crop, stride))
    if signal.kind != loader.kind:
        raise TypeError(f"signal loader {loader.name!r} returned a {signal.kind} signal, not {loader.kind}")
    signal.meta["source"] = source
    return signal
