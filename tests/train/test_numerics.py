"""Flushing subnormal floats: the context manager, and the trainer with the setting on and off."""

from __future__ import annotations

import math

import pytest
import torch

from inrkit.config import override
from inrkit.registry import RECIPES
from inrkit.train.numerics import (
    cpu_execution,
    denormals_flushed,
    flush_denormals,
    reuse_freed_memory,
    set_flush_denormals,
)
from inrkit.train.run import fit


def test_context_manager_switches_and_restores():
    previous = set_flush_denormals(False)
    try:
        tiny = torch.tensor([1e-30]) * 1e-10
        assert tiny.item() > 0  # 1e-40 is representable as a subnormal
        with flush_denormals(True):
            assert denormals_flushed()
            assert (torch.tensor([1e-30]) * 1e-10).item() == 0.0
            with flush_denormals(False):
                assert not denormals_flushed()
            assert denormals_flushed()
        assert not denormals_flushed()
        with flush_denormals(True, device="cuda"):  # other devices: nothing changes on the CPU
            assert not denormals_flushed()
    finally:
        torch.set_flush_denormal(previous)


@pytest.mark.parametrize("flush", [True, False])
def test_trainer_applies_the_setting_during_training_and_restores_it(tiny_png, flush):
    cfg = RECIPES.get("gauss-image").config("quick", str(tiny_png))
    for key, value in {"trainer.steps": 3, "trainer.eval_every": 2, "trainer.progress": False,
                       "trainer.device": "cpu", "trainer.flush_denormals": flush}.items():
        cfg = override(cfg, key, value)
    seen = []
    before = denormals_flushed()
    result = fit(cfg, callbacks=(lambda step, info: seen.append(denormals_flushed()),))
    assert seen == [flush] * 3
    assert denormals_flushed() == before
    assert math.isfinite(result.metrics["psnr"])


def test_flushing_does_not_change_a_gauss_fit(tiny_png):
    metrics = []
    for flush in (True, False):
        cfg = RECIPES.get("gauss-image").config("quick", str(tiny_png))
        for key, value in {"trainer.steps": 5, "trainer.eval_every": 0, "trainer.progress": False,
                           "trainer.device": "cpu", "trainer.flush_denormals": flush}.items():
            cfg = override(cfg, key, value)
        metrics.append(fit(cfg).metrics)
    assert metrics[0]["psnr"] == pytest.approx(metrics[1]["psnr"], rel=1e-6)


def test_reuse_freed_memory_is_idempotent_and_harmless():
    first = reuse_freed_memory()
    assert reuse_freed_memory() is first  # applied once per process
    with cpu_execution(True, "cpu"):
        a = torch.randn(1 << 20)
        del a
        b = torch.ones(1 << 20)
    assert float(b.sum()) == float(1 << 20)
