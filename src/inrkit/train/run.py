"""One fit from a resolved config to a complete run directory (cli.md "What a run directory holds").

``DIR/config.json`` (resolved config), ``metrics.json``, ``history.csv``, ``model.safetensors``,
``checkpoint/``, ``reconstruction.*`` (+ ``error.png`` for images), ``ntk.json`` (the empirical NTK spectrum at
initialisation, written before training, and after it; ``trainer.ntk_points=0``: none) and ``plots/*.png``.
Every file is written atomically (``history.csv`` grows row by row while the fit runs and is replaced atomically at
the end, see ``train/history.py``); an existing finished run is never overwritten.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, fields, is_dataclass, replace
from pathlib import Path
from typing import Any

import torch

from inrkit.banner import print_banner
from inrkit.config import from_dict, spec, to_dict, type_name
from inrkit.errors import InputError
from inrkit.fields.base import Field
from inrkit.io import read_json, write_json, write_text
from inrkit.registry import FIELDS, TASKS
from inrkit.signals import load_signal
from inrkit.train.checkpoint import has_checkpoint, save_weights
from inrkit.train.history import history_csv
from inrkit.train.numerics import cpu_execution
from inrkit.train.result import RunResult
from inrkit.train.rundir import cleanup_failed_start, is_empty, locked, write_signal_info
from inrkit.train.trainer import Trainer, TrainerConfig, resolve_device
from inrkit.validate import check


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

    def __post_init__(self) -> None:
        if not isinstance(self.source, str):
            raise InputError(f"signal.source must be a file path or builtin:<name>, got {self.source!r}")
        check(self, "signal", max_side=">=2", crop=">=1", stride=">=1")


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


def build(cfg: RunConfig, signal: Any = None):
    """Load the signal (unless given) and build (resolved config, task, field); seeded by trainer.seed.

    The field sees the signal through ``Field.bind_signal`` (INCODE's harmoniser reads the ground truth).
    """
    if signal is None:
        signal = load_signal(cfg.signal.source, cfg.signal.max_side, cfg.signal.crop, cfg.signal.stride)
    task = TASKS.create(cfg.task, signal)
    names = {f.name for f in fields(cfg.field)} if is_dataclass(cfg.field) else set()
    if {"in_features", "out_features"} <= names:
        cfg = replace(cfg, field=replace(cfg.field, in_features=task.in_features, out_features=task.out_features))
    torch.manual_seed(cfg.trainer.seed)
    field = FIELDS.create(cfg.field)
    bind, signal = getattr(field, "bind_signal", None), getattr(task, "signal", None)
    if bind is not None and signal is not None:
        if not getattr(task, "field_may_see_signal", True) and type(field).bind_signal is not Field.bind_signal:
            raise InputError(f"field {type_name(cfg.field)} reads the signal it fits (Field.bind_signal), but the "
                             f"{task.name} task observes only measurements of it; choose another field")
        bind(signal)
    return cfg, task, field


#: trainer keys added after runs were first saved; they change how a run executes or what it analyses, not
#: what it fits, so a saved config without them resumes with today's values (and is saved with them).
ADDED_TRAINER_KEYS = ("ntk_points", "onednn_linear")


def with_added_keys(saved: dict[str, Any], config: dict[str, Any]) -> dict[str, Any]:
    """``saved`` with the :data:`ADDED_TRAINER_KEYS` it lacks taken from ``config``."""
    trainer, now = saved.get("trainer"), config.get("trainer")
    if not (isinstance(trainer, dict) and isinstance(now, dict)):
        return saved
    missing = {k: now[k] for k in ADDED_TRAINER_KEYS if k not in trainer and k in now}
    return {**saved, "trainer": {**trainer, **missing}} if missing else saved


def prepare_run_dir(run_dir: Path, config: dict[str, Any], resume: bool) -> None:
    """Create ``run_dir`` or check that resuming it is consistent; never clobber a finished run."""
    cfg_path = run_dir / "config.json"
    if run_dir.exists() and not run_dir.is_dir():
        raise InputError(f"{run_dir}: exists and is not a directory; choose another --out")
    if not is_empty(run_dir):
        if not cfg_path.exists():
            raise InputError(f"{run_dir}: directory is not empty and holds no inrkit run; choose another --out")
        if not resume:
            raise InputError(f"{run_dir}: already holds a run; use --resume to continue it or choose another --out")
        saved = with_added_keys(read_json(cfg_path), config)
        if saved != config:
            from inrkit.configdoc import config_diff

            diff = config_diff(saved, config)
            raise InputError(f"{run_dir}: --resume with a different config than the saved one "
                             f"(saved -> now: {'; '.join(diff[:8])}{' ...' if len(diff) > 8 else ''}); "
                             "'inrkit fit --out DIR --resume' alone continues the saved config")
    run_dir.mkdir(parents=True, exist_ok=True)
    write_json(cfg_path, config)


def fit(cfg: RunConfig, run_dir: Path | None = None, resume: bool = False, callbacks=(),
        banner: bool = False) -> RunResult:
    """Build, train and (if ``run_dir``) write a complete run directory (locked while it runs).

    ``banner=True`` prints the start banner (``inrkit.banner``) on stderr first; it never changes the fit.
    A classical-baseline config (``inrkit.train.baseline``) is reconstructed and scored instead (no banner:
    nothing is trained).
    """
    from inrkit.train.baseline import BaselineRunConfig, run_baseline

    if isinstance(cfg, BaselineRunConfig):
        return run_baseline(cfg, run_dir, resume)
    if not isinstance(cfg, RunConfig):
        raise InputError(f"fit() expects a RunConfig (e.g. from a recipe's config()), got {type(cfg).__name__}")
    cfg, task, model = build(cfg)
    if hasattr(task, "bind_run_config"):  # tasks that need the field config (compression headers)
        task.bind_run_config(cfg)
    resolve_device(cfg.trainer.device)
    config = to_dict(cfg)
    if run_dir is None:
        if banner:
            print_banner(cfg, task, model, None)
        return Trainer(cfg.trainer).fit(model, task, resume=resume, config=config, callbacks=callbacks)
    return in_run_dir(Path(run_dir), lambda d: _fit_locked(cfg, task, model, config, d, resume, callbacks, banner))


def in_run_dir(run_dir: Path, body: Callable[[Path], RunResult]) -> RunResult:
    """``body(run_dir)`` with ``run_dir`` created and locked; a failed fresh start is removed again and
    an ``OSError`` becomes a one-line ``InputError``."""
    if run_dir.exists() and not run_dir.is_dir():
        raise InputError(f"{run_dir}: exists and is not a directory; choose another --out")
    fresh = is_empty(run_dir)
    try:
        run_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(f"{run_dir}: cannot create the run directory ({e.strerror or e})") from None
    with locked(run_dir):
        try:
            return body(run_dir)
        except BaseException as e:
            if fresh:
                cleanup_failed_start(run_dir)
            if isinstance(e, OSError):
                raise InputError(f"{run_dir}: cannot write the run directory ({e.strerror or e})") from None
            raise


def _fit_locked(cfg: RunConfig, task: Any, model: torch.nn.Module, config: dict[str, Any], run_dir: Path,
                resume: bool, callbacks, banner: bool = False) -> RunResult:
    if resume and (run_dir / "metrics.json").exists() and not has_checkpoint(run_dir):
        raise InputError(f"{run_dir}: finished run has no checkpoint to resume from")
    prepare_run_dir(run_dir, config, resume)
    write_signal_info(run_dir, task, cfg.signal.source)
    if banner:
        print_banner(cfg, task, model, run_dir)
    if cfg.trainer.ntk_points > 0 and not has_checkpoint(run_dir):
        write_init_ntk(cfg.trainer, task, model, run_dir)
    result = Trainer(cfg.trainer).fit(model, task, run_dir=run_dir, resume=resume, config=config,
                                      callbacks=callbacks)
    with cpu_execution(cfg.trainer.flush_denormals, resolve_device(cfg.trainer.device),
                       cfg.trainer.onednn_linear):
        write_outputs(result, task, model, run_dir)
    return result


def write_init_ntk(trainer: TrainerConfig, task: Any, model: torch.nn.Module, run_dir: Path) -> None:
    """``RUN/ntk.json``: the NTK spectrum of the freshly initialised field (``analysis/ntk_run.py``), computed
    on the training device; the RNG state is left as it was, so the fit is the same without it."""
    from inrkit.analysis.ntk_run import NTK_FILE, init_record

    device = resolve_device(trainer.device)
    with cpu_execution(trainer.flush_denormals, device, trainer.onednn_linear):
        model.to(device)
        write_json(run_dir / NTK_FILE, init_record(model, task.to(device), trainer.ntk_points))


def write_trained_ntk(task: Any, model: torch.nn.Module, run_dir: Path) -> list[str]:
    """Add the trained field's spectrum to ``RUN/ntk.json`` (when it holds one at init) and draw ``plots/ntk.png``."""
    from inrkit.analysis.ntk_run import NTK_FILE, add_trained, plot_ntk

    path = run_dir / NTK_FILE
    if not path.is_file():
        return []
    record = add_trained(read_json(path), model, task)
    write_json(path, record)
    return ["plots/ntk.png"] if plot_ntk(run_dir / "plots" / "ntk.png", record) else []


def write_outputs(result: RunResult, task: Any, model: torch.nn.Module, run_dir: Path) -> None:
    from inrkit.analysis.plots import plot_history
    from inrkit.analysis.views import write_field_views

    save_weights(run_dir / "model.safetensors", model)
    outputs = task.write_outputs(model, run_dir)
    write_text(run_dir / "history.csv", history_csv(result.history))
    plots = plot_history(result.history, run_dir / "plots")
    plots += write_field_views(model, task, run_dir / "plots")
    plots += write_trained_ntk(task, model, run_dir)
    result.metrics["outputs"] = {**outputs, "plots": plots}
    write_json(run_dir / "metrics.json", result.metrics)
