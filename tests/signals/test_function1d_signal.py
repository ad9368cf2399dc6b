"""1-D function signals: formulas, seeded samples, the grid variant and the held-out grid."""

from __future__ import annotations

import math

import numpy as np
import pytest

from inrkit.errors import InputError
from inrkit.signals import load_signal, signal_kind
from inrkit.signals.function1d import FUNCTIONS, get_function, heldout_points, sample_points, y4


def test_y4_formula_values():
    assert y4(np.array(0.0)) == pytest.approx(math.sin(1.5) * math.cos(-0.8) + 1.0, abs=1e-15)
    x = 0.37
    expect = (0.5 * math.sin(2 * x) + math.sin(100 * x + 1.5) * math.cos(5 * x - 0.8)
              + math.cos(200 * x) * math.cos(x) + math.sin(300 * x + 0.3) * math.sin(5 * x))
    assert y4(np.array([x]))[0] == pytest.approx(expect, abs=1e-14)
    assert FUNCTIONS["sin500"].fn(np.array([0.01]))[0] == pytest.approx(math.sin(5.0))


def test_random_samples_follow_the_official_numpy_draw():
    func = get_function("function:y4")
    x, y = sample_points(func)
    assert x.shape == y.shape == (1024, 1) and x.dtype == np.float64
    np.random.seed(42)  # the MSA code: set_seed(42), then np.random.uniform(-1, 1, size=(n, 1))
    assert np.array_equal(x, np.random.uniform(-1, 1, size=(1024, 1)))
    assert np.array_equal(y, y4(x))
    assert np.array_equal(sample_points(func, seed=42)[0], x)  # reproducible
    assert not np.array_equal(sample_points(func, seed=0)[0], x)
    assert sample_points(func, n=10)[0].shape == (10, 1)
    assert [FUNCTIONS[n].samples for n in ("sin200", "sin500", "sin1000")] == [4000, 5000, 8000]
    with pytest.raises(InputError, match="samples"):
        sample_points(func, n=0)


def test_grid_variant_and_heldout_grid():
    x, _ = sample_points(get_function("y4-grid"), seed=123)
    assert np.array_equal(x[:, 0], np.linspace(-1, 1, 1024))  # deterministic, seed unused
    xh, yh = heldout_points(get_function("y4"))
    assert xh.shape == (20_000, 1) and np.array_equal(xh[:, 0], np.linspace(-1, 1, 20_000))
    assert np.array_equal(yh, y4(xh))


def test_load_signal_with_the_function_prefix():
    assert signal_kind("function:y4") == "function1d"
    sig = load_signal("function:sin200")
    assert sig.kind == "function1d" and sig.values.shape == (20_000, 1) and sig.ndim == 1
    assert sig.meta["function"] == "sin200" and sig.meta["samples"] == 4000
    with pytest.raises(InputError, match="unknown 1-D function"):
        load_signal("function:y5")
