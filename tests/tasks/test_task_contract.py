"""Contract tests over every registered task (``TASKS``) and every signal kind it fits.

For each (task, kind) with a tiny signal of that kind: ``sample`` -> ``loss`` holds a finite scalar
"loss" with finite, non-zero gradients; ``evaluate`` returns floats and the primary metric;
``reconstruct`` is finite; ``render`` writes a ``render_suffix`` file. Cases come from the registry,
so a task registered in a new module of ``inrkit.tasks`` is tested with no edit here (a new signal
kind needs a tiny signal in ``TINY``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

import numpy as np
import pytest
import torch
import trimesh

from inrkit.registry import TASKS
from inrkit.signals import load_signal
from inrkit.signals.base import Signal
from inrkit.tasks.fitting import FittingConfig
from inrkit.tasks.image import ImageFittingTask


def _mesh(tmp_path) -> Signal:
    path = tmp_path / "sphere.obj"
    trimesh.creation.icosphere(subdivisions=2).export(path)
    return load_signal(str(path))


def _grid(shape, seed=0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    axes = np.meshgrid(*[np.linspace(0, 1, n) for n in shape[:-1]], indexing="ij")
    phase = sum(rng.uniform(1, 3) * a for a in axes)
    return np.stack([0.5 + 0.4 * np.sin(2 * phase + c) for c in range(shape[-1])], axis=-1).astype(np.float32)


#: a tiny signal of each kind: tmp_path -> Signal
TINY = {
    "image": lambda tmp: Signal(_grid((16, 18, 3)), "image", meta={"source": "tiny-image"}),
    "volume": lambda tmp: Signal(_grid((12, 12, 12, 1)), "volume", meta={"source": "tiny-volume"}),
    "audio": lambda tmp: Signal(2 * _grid((200, 1)) - 1, "audio", (-1.0, 1.0), {"sample_rate": 8000.0}),
    "video": lambda tmp: Signal(_grid((3, 8, 10, 3)), "video", meta={"fps": 5.0}),
    "shape": _mesh,
    "pde": lambda tmp: load_signal("pde:heat1d"),
    "function1d": lambda tmp: load_signal("function:y4"),
}

#: config overrides that keep a task tiny (keys a task's config lacks are ignored)
SMALL = {"n_points": 2000, "batch_size": 200, "mesh_resolution": 16, "iou_resolution": 16, "eval_resolution": 8,
         "chamfer_points": 500, "resolution": 16, "n_interior": 32, "n_boundary": 8, "n_initial": 8,
         "eval_points": 12, "n_samples": 64, "heldout_points": 256}


def cases() -> list[tuple[str, str]]:
    return [(name, kind) for name in TASKS for kind in TASKS.get(name).signal_kinds]


class TinyField(torch.nn.Module):
    """``|x| - 0.25`` plus a small MLP: has a zero level set and a 0.5 level set in 3-D, and gradients."""

    def __init__(self, in_features: int, out_features: int):
        super().__init__()
        torch.manual_seed(0)
        self.net = torch.nn.Sequential(torch.nn.Linear(in_features, 16), torch.nn.Tanh(),
                                       torch.nn.Linear(16, out_features))

    def forward(self, x):
        return x.norm(dim=-1, keepdim=True) - 0.25 + 0.05 * self.net(x)


def build(name: str, kind: str, tmp_path):
    cfg = TASKS.config_class(name)
    small = {k: v for k, v in SMALL.items() if k in {f.name for f in fields(cfg)}}
    task = TASKS.create(name, TINY[kind](tmp_path), **small)
    return task, TinyField(task.in_features, task.out_features)


def check_contract(name: str, kind: str, tmp_path) -> None:
    task, field = build(name, kind, tmp_path)
    assert task.signal.kind == kind and task.in_features > 0 and task.out_features > 0
    out = task.loss(field, task.sample(0, torch.Generator().manual_seed(0)))
    assert out["loss"].ndim == 0 and math.isfinite(out["loss"].item())
    out["loss"].backward()
    grads = [p.grad for p in field.parameters()]
    assert all(g is not None and torch.isfinite(g).all() for g in grads)
    assert any(float(g.abs().sum()) > 0 for g in grads)

    for final in (False, True):
        metrics = task.evaluate(field, final=final)
        numbers = {k: v for k, v in metrics.items() if v is not None and not k.endswith("_status")}
        assert all(isinstance(v, float) for v in numbers.values()), metrics
        assert task.primary_metric in metrics
    assert np.isfinite(task.reconstruct(field)).all()

    assert task.render_suffix.startswith(".")
    path = tmp_path / f"render{task.render_suffix}"
    assert isinstance(task.render(field, path), str) and path.is_file()


@pytest.mark.parametrize(("name", "kind"), cases())
def test_task_contract(name, kind, tmp_path):
    check_contract(name, kind, tmp_path)


def test_every_task_is_covered():
    """Every registered task declares the kinds it fits, and every kind has a tiny signal here."""
    for name in TASKS:
        assert TASKS.get(name).signal_kinds, f"task {name} declares no signal_kinds"
    assert {kind for _, kind in cases()} <= set(TINY)


def test_a_task_in_one_module_is_picked_up(monkeypatch, tmp_path):
    """Registering a task is the only step: it joins the contract cases and passes the contract."""
    monkeypatch.setattr(TASKS, "_entries", dict(TASKS._entries))

    @dataclass(frozen=True)
    class NoisyFittingConfig(FittingConfig):
        """Image fitting against noisy targets (a toy denoising task)."""

        #: standard deviation of the target noise.
        noise: float = 0.05

    @TASKS.register("toy_denoising", config=NoisyFittingConfig)
    class NoisyFittingTask(ImageFittingTask):
        """Fit an image from noisy targets; scored against the clean image."""

        family = "denoising"

        def __init__(self, cfg, signal):
            super().__init__(cfg, signal)
            self.targets = self.targets + cfg.noise * torch.randn(self.targets.shape, generator=torch.Generator())

    assert ("toy_denoising", "image") in cases()
    check_contract("toy_denoising", "image", tmp_path)
