"""One fit from a resolved config to a complete run directory (cli.md "What a run directory holds").

``DIR/config.json`` (resolved config), ``metrics.json``, ``history.csv``, ``model.safetensors``,
``checkpoint/``, ``reconstruction.*`` (+ ``error.png`` for images) and ``plots/*.png``. Every file is
written atomically; an existing finished run is never overwritten.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from dataclasses import dataclass, fields, is_dataclass, replace
from pathlib import Path
from typing import Any

import torch

from inrkit.config import from_dict, spec, to_dict
from inrkit.errors import InputError
from inrkit.io import read_json, write_json, write_text
from inrkit.registry import FIELDS, TASKS
from inrkit.signals import load_signal
from inrkit.train.checkpoint import has_checkpoint, save_weights
from inrkit.train.result import RunResult
from inrkit.train.trainer import Trainer, TrainerConfig


@dataclass(frozen=True)
class SignalConfig:
    """Where the signal comes from and how it is prepared."""

    #: file path or builtin:<name>.
    source: str = "builtin:camera"
    #: downsample (anti-aliased) so the longer side is at most this many samples; None = native.
    max_side: int | None = None
    #: keep the first N entries of the first axis (video frames, audio samples); None = all.
    crop: int | None = None
    #: keep every k-th entry of the first axis (temporal downsampling of video, decimation of audio).
    stride: int = 1


@dataclass(frozen=True)
class RunConfig:
    """Everything needed to reproduce a fit."""

    #: the signal.
    signal: SignalConfig = dataclasses.field(default_factory=SignalConfig)
    #: the field ({"type": name, ...}).
    field: Any = spec("fields", default=None)
    #: the task ({"type": name, ...}).
    task: Any = spec("tasks", default=None)
    #: the training loop.
    trainer: TrainerConfig = dataclasses.field(default_factory=TrainerConfig)
    #: recipe the config came from.
    recipe: str = ""
    #: preset of the recipe (quick or paper).
    preset: str = ""


def run_config_from_dict(data: dict[str, Any]) -> RunConfig:
    """A RunConfig from data (a classical-baseline config, ``kind: baseline``, when the data says so)."""
    from inrkit.train.baseline import baseline_config_from_dict, is_baseline_dict

    if is_baseline_dict(data):
        return baseline_config_from_dict(data)
    return from_dict(data, RunConfig)


def build(cfg: RunConfig):
    """Load the signal and build (resolved config, task, field); the field is seeded by trainer.seed."""
    signal = load_signal(cfg.signal.source, cfg.signal.max_side, cfg.signal.crop, cfg.signal.stride)
    task = TASKS.create(cfg.task, signal)
    names = {f.name for f in fields(cfg.field)} if is_dataclass(cfg.field) else set()
    if {"in_features", "out_features"} <= names:
        cfg = replace(cfg, field=replace(cfg.field, in_features=task.in_features, out_features=task.out_features))
    torch.manual_seed(cfg.trainer.seed)
    return cfg, task, FIELDS.create(cfg.field)


def history_csv(history: list[dict[str, Any]]) -> str:
    keys: list[str] = []
    for row in history:
        keys.extend(k for k in row if k not in keys)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=keys, lineterminator="\n")
    writer.writeheader()
    writer.writerows(history)
    return buf.getvalue()


def prepare_run_dir(run_dir: Path, config: dict[str, Any], resume: bool) -> None:
    """Create ``run_dir`` or check that resuming it is consistent; never clobber a finished run."""
    cfg_path = run_dir / "config.json"
    if run_dir.exists() and any(run_dir.iterdir()):
        if not cfg_path.exists():
            raise InputError(f"{run_dir}: directory is not empty and holds no inrkit run; choose another --out")
        if not resume:
            raise InputError(f"{run_dir}: already holds a run; use --resume to continue it or choose another --out")
        if read_json(cfg_path) != config:
            raise InputError(f"{run_dir}: --resume with a different config than the saved one")
    run_dir.mkdir(parents=True, exist_ok=True)
    write_json(cfg_path, config)


def fit(cfg: RunConfig, run_dir: Path | None = None, resume: bool = False, callbacks=()) -> RunResult:
    """Build, train and (if ``run_dir``) write a complete run directory.

    A classical-baseline config (``inrkit.train.baseline``) is reconstructed and scored instead.
    """
    from inrkit.train.baseline import BaselineRunConfig, run_baseline

    if isinstance(cfg, BaselineRunConfig):
        return run_baseline(cfg, run_dir, resume)
    cfg, task, model = build(cfg)
    if hasattr(task, "bind_run_config"):  # tasks that need the field config (compression headers)
        task.bind_run_config(cfg)
    config = to_dict(cfg)
    if run_dir is not None:
        run_dir = Path(run_dir)
        if resume and (run_dir / "metrics.json").exists() and not has_checkpoint(run_dir):
            raise InputError(f"{run_dir}: finished run has no checkpoint to resume from")
        prepare_run_dir(run_dir, config, resume)
    result = Trainer(cfg.trainer).fit(model, task, run_dir=run_dir, resume=resume, config=config,
                                      callbacks=callbacks)
    if run_dir is not None:
        write_outputs(result, task, model, run_dir)
    return result


def write_outputs(result: RunResult, task: Any, model: torch.nn.Module, run_dir: Path) -> None:
    from inrkit.analysis.plots import plot_history
    from inrkit.analysis.views import write_field_views

    save_weights(run_dir / "model.safetensors", model)
    outputs = task.write_outputs(model, run_dir)
    write_text(run_dir / "history.csv", history_csv(result.history))
    plots = plot_history(result.history, run_dir / "plots")
    plots += write_field_views(model, task, run_dir / "plots")
    result.metrics["outputs"] = {**outputs, "plots": plots}
    write_json(run_dir / "metrics.json", result.metrics)
