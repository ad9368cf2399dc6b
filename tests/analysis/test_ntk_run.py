"""The run's NTK spectrum (``analysis/ntk_run.py``): ntk.json and plots/ntk.png, the off switch, unchanged
metrics, and every registered field either computes its init spectrum or records why not."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
import torch

from inrkit.analysis.ntk_run import init_record, point_count, strided
from inrkit.config import override
from inrkit.errors import InputError
from inrkit.registry import FIELDS, RECIPES, TASKS
from inrkit.signals import load_signal
from inrkit.train.run import fit
from inrkit.train.trainer import TrainerConfig


def tiny_config(tiny_png, **sets):
    cfg = RECIPES.get("siren-image").config("quick", str(tiny_png))
    base = {"field.hidden_features": 8, "field.hidden_layers": 1, "trainer.steps": 4, "trainer.eval_every": 2,
            "trainer.checkpoint_every": 0, "trainer.progress": False, "trainer.device": "cpu",
            "task.batch_size": 64, "trainer.ntk_points": 32}
    for k, v in {**base, **sets}.items():
        cfg = override(cfg, k, v)
    return cfg


def descending_nonnegative(ev):
    return all(a >= b for a, b in zip(ev, ev[1:], strict=False)) and min(ev) >= 0


def test_fit_writes_init_and_trained_spectra_and_the_plot(tiny_png, tmp_path):
    r = fit(tiny_config(tiny_png), tmp_path / "run")
    rec = json.loads((tmp_path / "run" / "ntk.json").read_text())
    assert rec["points"] == 32 and len(rec["init"]) == len(rec["trained"]) == 32
    assert descending_nonnegative(rec["init"]) and descending_nonnegative(rec["trained"])
    assert rec["init"] != rec["trained"]  # training moves the kernel
    assert sum(rec["summary_init"][k] for k in ("lambda1_ratio", "lambda2_ratio", "lambda3_ratio",
                                                "rest_ratio")) == pytest.approx(1.0)
    assert (tmp_path / "run" / "plots" / "ntk.png").stat().st_size > 1000
    assert "plots/ntk.png" in r.metrics["outputs"]["plots"]


def test_ntk_off_writes_nothing_and_metrics_are_identical(tiny_png, tmp_path):
    on = fit(tiny_config(tiny_png), tmp_path / "on")
    off = fit(tiny_config(tiny_png, **{"trainer.ntk_points": 0}), tmp_path / "off")
    assert not (tmp_path / "off" / "ntk.json").exists() and not (tmp_path / "off" / "plots" / "ntk.png").exists()
    same = [k for k, v in on.metrics.items() if isinstance(v, float) and k not in ("wall_s",)]
    assert same and all(on.metrics[k] == off.metrics[k] for k in same)
    assert [r.get("loss") for r in on.history] == [r.get("loss") for r in off.history]
    with pytest.raises(InputError, match="ntk_points"):
        TrainerConfig(ntk_points=-1)


def test_resumed_run_keeps_the_init_spectrum(tiny_png, tmp_path):
    class StopAt:
        def __call__(self, step, info):
            if step == 2:
                raise KeyboardInterrupt

    cfg = tiny_config(tiny_png, **{"trainer.checkpoint_every": 1})
    with pytest.raises(KeyboardInterrupt):
        fit(cfg, tmp_path / "cut", callbacks=(StopAt(),))
    init = json.loads((tmp_path / "cut" / "ntk.json").read_text())["init"]
    fit(cfg, tmp_path / "cut", resume=True)
    rec = json.loads((tmp_path / "cut" / "ntk.json").read_text())
    assert rec["init"] == init and len(rec["trained"]) == 32


def test_points_are_strided_and_within_the_jacobian_budget():
    coords = torch.arange(100.0)[:, None]
    assert strided(coords, 4)[:, 0].tolist() == [0.0, 25.0, 50.0, 75.0]
    assert point_count(10_000, 3, 3_100_000, 256) == 3  # FR-sized: a handful of points
    assert point_count(10_000, 1, 1000, 256) == 256 and point_count(20, 1, 1000, 256) == 20
    task = SimpleNamespace(ntk_coords=lambda: torch.rand(64, 2), out_features=3, name="stub")
    field = torch.nn.Linear(2, 3)
    assert init_record(field, task, 16)["points"] == 16
    field.unused = torch.nn.Parameter(torch.zeros(5_000_000))  # 3 outputs x 5M parameters: 2 points at most
    assert "exceeds" in init_record(field, task, 16)["skipped"]
    assert "no training coordinates" in init_record(field, SimpleNamespace(name="t"), 16)["skipped"]


def test_pde_task_exposes_its_interior_points():
    pde = TASKS.create({"type": "pde", "n_interior": 32, "n_boundary": 8, "eval_points": 8},
                       load_signal("pde:poisson2d"))
    assert pde.ntk_coords().shape == (32, 2)


def small_field(name: str):
    cfg = FIELDS.default_config(name)
    sizes = {k: v for k, v in {"hidden_features": 8, "hidden_layers": 1}.items() if hasattr(cfg, k)}
    return FIELDS.create(name, **{**sizes, "in_features": 2, "out_features": 3})


@pytest.mark.parametrize("name", FIELDS.names())
def test_every_field_computes_its_init_spectrum_or_records_why_not(name):
    torch.manual_seed(0)
    field = small_field(name)
    coords = torch.rand(40, 2) * 2 - 1
    task = SimpleNamespace(ntk_coords=lambda: coords, out_features=3, name="stub")
    state = torch.get_rng_state()
    rec = init_record(field, task, 16)
    assert torch.equal(state, torch.get_rng_state())  # the analysis draws no random numbers
    if "skipped" in rec:
        assert isinstance(rec["skipped"], str) and rec["skipped"] and "\n" not in rec["skipped"]
    else:
        assert rec["points"] == 16 and len(rec["init"]) == 16 and descending_nonnegative(rec["init"])
