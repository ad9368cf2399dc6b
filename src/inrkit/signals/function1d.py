"""Analytic 1-D functions on [-1, 1]: MSA's multi-scale curve y4 and pure sines (protocols.md §6).

Sources ``function:<name>``:

* ``y4``: ``0.5 sin(2x) + sin(100x + 1.5) cos(5x - 0.8) + cos(200x) cos(x) + sin(300x + 0.3) sin(5x)``,
  1024 training samples drawn uniformly at random (the paper's setting).
* ``y4-grid``: the same curve on 1024 deterministic ``linspace(-1, 1)`` samples.
* ``sin200``, ``sin500``, ``sin1000``: ``sin(k x)`` with 4000 / 5000 / 8000 random samples (MSA code).

Random samples follow the official ``curve_fitting.py``: NumPy's legacy generator seeded with the
run seed (42 there) draws ``uniform(-1, 1, size=(n, 1))`` — the model is built with torch's RNG, so
the NumPy stream is untouched before the draw; ``np.random.RandomState(seed)`` gives the same
numbers as ``np.random.seed(seed)`` followed by ``np.random.uniform``. The samples keep that order
(unsorted). Held-out evaluation uses a dense ``linspace(-1, 1, 20000)``.

The ``Signal`` returned by ``load_function`` holds the function on the held-out grid
(``values [20000, 1]``, float64); the training samples are drawn by the task (``tasks.function1d``)
from ``sample_points`` so that the count and the seed are part of the task config.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from inrkit.errors import InputError
from inrkit.signals.base import Signal
from inrkit.signals.loaders import LoadRequest, register_loader

PREFIX = "function:"
DOMAIN = (-1.0, 1.0)
HELDOUT_POINTS = 20_000
DEFAULT_SEED = 42


def y4(x: np.ndarray) -> np.ndarray:
    """MSA's multi-scale curve (highest angular frequency about 305)."""
    return (0.5 * np.sin(2 * x) + np.sin(100 * x + 1.5) * np.cos(5 * x - 0.8)
            + np.cos(200 * x) * np.cos(x) + np.sin(300 * x + 0.3) * np.sin(5 * x))


def _sine(k: float) -> Callable[[np.ndarray], np.ndarray]:
    def fn(x: np.ndarray) -> np.ndarray:
        return np.sin(k * x)

    fn.__doc__ = f"sin({k:g} x)"
    return fn


@dataclass(frozen=True)
class Function1D:
    """A named 1-D target with its sampling protocol."""

    #: the name after ``function:``.
    name: str
    #: the function (NumPy, vectorised).
    fn: Callable[[np.ndarray], np.ndarray]
    #: default number of training samples.
    samples: int
    #: "random" (uniform draws, seeded) or "grid" (linspace).
    sampling: str = "random"


FUNCTIONS = {f.name: f for f in (
    Function1D("y4", y4, 1024),
    Function1D("y4-grid", y4, 1024, "grid"),
    Function1D("sin200", _sine(200.0), 4000),
    Function1D("sin500", _sine(500.0), 5000),
    Function1D("sin1000", _sine(1000.0), 8000),
)}


def get_function(source: str) -> Function1D:
    """The function named by ``function:<name>`` (or just ``<name>``)."""
    name = source[len(PREFIX):] if source.startswith(PREFIX) else source
    if name not in FUNCTIONS:
        raise InputError(f"{source}: unknown 1-D function; choose one of: "
                         f"{', '.join(PREFIX + n for n in FUNCTIONS)}")
    return FUNCTIONS[name]


def sample_points(func: Function1D, n: int | None = None, seed: int = DEFAULT_SEED) -> tuple[np.ndarray, np.ndarray]:
    """Training samples ``(x [n, 1], y [n, 1])`` in float64 (see the module docstring)."""
    n = func.samples if n is None else int(n)
    if n < 1:
        raise InputError(f"function:{func.name}: the number of samples must be >= 1, got {n}")
    if func.sampling == "grid":
        x = np.linspace(*DOMAIN, n, dtype=np.float64).reshape(n, 1)
    else:
        x = np.random.RandomState(seed).uniform(DOMAIN[0], DOMAIN[1], size=(n, 1)).astype(np.float64)
    return x, func.fn(x)


def heldout_points(func: Function1D, n: int = HELDOUT_POINTS) -> tuple[np.ndarray, np.ndarray]:
    """Dense evaluation grid ``(x [n, 1], y [n, 1])``: ``linspace(-1, 1, n)``, float64."""
    x = np.linspace(*DOMAIN, n, dtype=np.float64).reshape(n, 1)
    return x, func.fn(x)


def load_function(source: str) -> Signal:
    """``function:<name>`` as a Signal holding the function on the held-out grid (float64)."""
    func = get_function(source)
    _, y = heldout_points(func)
    meta = {"source": source, "function": func.name, "sampling": func.sampling, "samples": func.samples,
            "domain": DOMAIN}
    return Signal(values=y, kind="function1d", value_range=(float(y.min()), float(y.max())), meta=meta)


@register_loader("function1d", kind="function1d", prefixes=(PREFIX,), description=f"{PREFIX}<name> (1-D functions)")
def _load(req: LoadRequest) -> Signal:
    return load_function(req.source)
