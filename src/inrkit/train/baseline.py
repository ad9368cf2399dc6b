"""Classical (non-learned) reconstructions as runs: the baseline rows of the inverse-problem tables.

A ``BaselineRunConfig`` names a signal, a task whose operator knows classical reconstructions
(``Operator.baselines``: bicubic, FBP, zero-filled inverse FFT, the noisy input, TV, BM3D, ...) and
the method. ``run_baseline`` builds the task (so the measurements are the very ones the INRs see:
same operator, noise and seeds), reconstructs from the measurements alone, scores the result with
the task's ``score`` and writes the run directory the bench runner expects (``config.json``,
``metrics.json`` with ``params = 0`` and ``steps = 0``, ``history.csv``, ``reconstruction.png``,
``error.png``). ``train.run.fit`` dispatches here, so tables, the bench runner and ``inrkit fit
--model <baseline recipe>`` need nothing else. The ``trainer`` part holds only what the bench runner
sets on every job (seed, device, progress); the seed is recorded but nothing is random.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import torch

from inrkit.config import from_dict, spec, to_dict
from inrkit.io import write_json, write_text
from inrkit.registry import TASKS
from inrkit.train.history import history_csv
from inrkit.train.result import RunResult
from inrkit.train.run import SignalConfig, in_run_dir, prepare_run_dir
from inrkit.train.rundir import write_signal_info


@dataclass(frozen=True)
class BaselineTrainer:
    """The trainer keys every bench job sets (a classical reconstruction trains nothing)."""

    #: recorded with the result (the classical methods are deterministic).
    seed: int = 0
    #: auto, cpu, cuda: where the operator runs (the classical methods run on the CPU).
    device: str = "cpu"
    #: unused (no training loop).
    progress: bool = False


@dataclass(frozen=True)
class BaselineRunConfig:
    """A classical reconstruction of a task's measurements."""

    #: the signal.
    signal: SignalConfig = dataclasses.field(default_factory=SignalConfig)
    #: the task ({"type": name, ...}); its operator must know ``method``.
    task: Any = spec("tasks", default=None)
    #: the classical method (one of the operator's ``baselines``).
    method: str = ""
    #: seed / device / progress (see ``BaselineTrainer``).
    trainer: BaselineTrainer = dataclasses.field(default_factory=BaselineTrainer)
    #: recipe the config came from.
    recipe: str = ""
    #: preset of the recipe (quick or paper).
    preset: str = ""
    #: marks the config as a baseline run when it is read back from data.
    kind: Literal["baseline"] = "baseline"


def is_baseline_dict(data: Any) -> bool:
    return isinstance(data, dict) and data.get("kind") == "baseline"


def baseline_config_from_dict(data: dict[str, Any]) -> BaselineRunConfig:
    return from_dict(data, BaselineRunConfig)


def reconstruct(cfg: BaselineRunConfig):
    """(task, reconstruction ``[*grid, C]`` tensor, seconds) of a baseline config."""
    from inrkit.signals import load_signal
    from inrkit.train.trainer import resolve_device

    s = cfg.signal
    task = TASKS.create(cfg.task, load_signal(s.source, s.max_side, s.crop, s.stride))
    task.to(resolve_device(cfg.trainer.device))
    t0 = time.perf_counter()
    rec = task.operator.classical(cfg.method, task.y.cpu(), task.cfg.noise)
    return task, rec, time.perf_counter() - t0


def run_baseline(cfg: BaselineRunConfig, run_dir: Path | None = None, resume: bool = False) -> RunResult:
    """Reconstruct, score and (if ``run_dir``) write a complete run directory (locked while it runs)."""
    config = to_dict(cfg)
    if run_dir is None:
        return _run(cfg, config, None, resume)
    return in_run_dir(Path(run_dir), lambda d: _run(cfg, config, d, resume))


def _run(cfg: BaselineRunConfig, config: dict[str, Any], run_dir: Path | None, resume: bool) -> RunResult:
    if run_dir is not None:
        prepare_run_dir(run_dir, config, resume)
    task, rec, wall = reconstruct(cfg)
    metrics: dict[str, Any] = task.score(rec, final=True)
    metrics["psnr_peak"] = metrics["psnr"]
    metrics.update({"params": 0, "params_numel": 0, "params_frozen": 0, "steps": 0, "wall_s": wall,
                    "device": "cpu", "method": cfg.method})
    history = [{"step": 0, "wall_s": wall, **{k: v for k, v in metrics.items() if isinstance(v, float)}}]
    if run_dir is not None:
        write_signal_info(run_dir, task, cfg.signal.source)
        outputs = task.write_reconstruction(torch.clamp(rec, 0.0, 1.0).double().numpy(), run_dir)
        write_text(run_dir / "history.csv", history_csv(history))
        metrics["outputs"] = outputs
        write_json(run_dir / "metrics.json", metrics)
    return RunResult(metrics=metrics, history=history, config=config,
                     run_dir=str(run_dir) if run_dir else None)
