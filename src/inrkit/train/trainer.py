"""The one generic trainer: optimiser over named parameter groups, schedule, sampling, periodic
evaluation, checkpoints and exact resume; everything else is a hook (``train/hooks.py``).

A fit is ``step`` (sample, update, log row), ``evaluate`` (periodic), ``checkpoint`` and ``finish``
(final evaluation, metrics, RunResult), with named hook points between them. The built-in
components are the non-finite guard (``train/guard.py``), L-BFGS refinement (``train/lbfgs.py``),
gradient statistics (``train/grad_stats.py``), peak tracking (``train/peak.py``), progress output
(``train/progress.py``) and the streamed ``history.csv`` (``train/history.py``).

Exact resume: a checkpoint holds the weights, the optimiser state, the sampling generator's state,
the global torch RNG state, the step, the history and the state of every stateful hook; the learning
rate is a pure function of the step. Continuing from a checkpoint therefore replays the same batches
and updates as a run that was never stopped. On ``KeyboardInterrupt`` (or a hook's stop request) the
trainer writes a checkpoint of the last finished step before re-raising.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import torch

from inrkit.errors import InputError
from inrkit.train.checkpoint import has_checkpoint, load_checkpoint, save_checkpoint
from inrkit.train.grad_stats import GradStats
from inrkit.train.guard import NonFiniteGuard
from inrkit.train.history import HistoryFile
from inrkit.train.hooks import (
    AFTER_EVAL,
    AFTER_STEP,
    AFTER_UPDATE,
    AT_END,
    BEFORE_STEP,
    BEFORE_TRAIN,
    ON_CHECKPOINT,
    FitState,
    HookList,
)
from inrkit.train.lbfgs import LBFGSRefinement
from inrkit.train.numerics import cpu_execution
from inrkit.train.peak import PeakTracker
from inrkit.train.progress import Progress
from inrkit.train.result import RunResult
from inrkit.train.runtime import check_device_name, deferred_sigint, resolve_device
from inrkit.train.schedules import ScheduleConfig, lr_factor
from inrkit.validate import check, check_seed


@dataclass(frozen=True)
class OptimConfig:
    """Optimiser settings."""

    #: adam, adamw or sgd.
    name: Literal["adam", "adamw", "sgd"] = "adam"
    #: learning rate of every group not named in group_lr.
    lr: float = 1e-4
    #: Adam betas.
    betas: tuple[float, float] = (0.9, 0.999)
    #: Adam epsilon.
    eps: float = 1e-8
    #: weight decay (L2 for adam/sgd, decoupled for adamw).
    weight_decay: float = 0.0
    #: AMSGrad variant of Adam.
    amsgrad: bool = False
    #: learning rates per parameter group of the field (``Field.param_groups()`` names).
    group_lr: dict[str, float] = field(default_factory=dict)
    #: weight decay per parameter group (groups not named use ``weight_decay``; Instant-NGP: none on the grid).
    group_weight_decay: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        check(self, "trainer.optim", lr=">0", eps=">0", weight_decay=">=0", betas=">=0")
        if any(not 0.0 <= b < 1.0 for b in self.betas):
            raise InputError(f"trainer.optim.betas must lie in [0, 1), got {self.betas!r}")
        for name, lr in self.group_lr.items():
            check(type("Lr", (), {name: lr})(), "trainer.optim.group_lr", **{name: ">0"})
        for name, wd in self.group_weight_decay.items():
            check(type("Wd", (), {name: wd})(), "trainer.optim.group_weight_decay", **{name: ">=0"})


@dataclass(frozen=True)
class TrainerConfig:
    """Training loop settings."""

    #: number of optimiser steps.
    steps: int = 5000
    #: optimiser.
    optim: OptimConfig = field(default_factory=OptimConfig)
    #: learning-rate schedule (stepped once per optimiser step).
    schedule: ScheduleConfig = field(default_factory=ScheduleConfig)
    #: evaluate every N steps (0: only at the end).
    eval_every: int = 500
    #: record the loss in the history every N steps.
    log_every: int = 10
    #: write a resumable checkpoint every N steps (0: only at the end or on interrupt).
    checkpoint_every: int = 1000
    #: seed of the field's initialisation and of batch sampling.
    seed: int = 0
    #: clip the global gradient norm to this value (None: no clipping).
    grad_clip: float | None = None
    #: show progress: a bar on terminals, a periodic line on stderr otherwise.
    progress: bool = True
    #: auto (GPU when present), cpu, cuda or cuda:N.
    device: str = "auto"
    #: run the last N of ``steps`` with L-BFGS (strong-Wolfe line search, lr 1) instead of ``optim`` (PINN refinement).
    lbfgs_steps: int = 0
    #: function evaluations per L-BFGS step.
    lbfgs_max_iter: int = 20
    #: record the per-layer Mean-Log gradient (MSA Table 4, ``train.grad_stats``) every N steps (0: off).
    grad_stats_every: int = 0
    #: flush subnormal floats to zero on CPU during training and evaluation (``train.numerics``; off: keep them).
    flush_denormals: bool = True
    #: float32 ``F.linear`` on CPU by oneDNN (``inrkit.nn.onednn``; off: torch's MKL path, bit-parity with older runs).
    onednn_linear: bool = True
    #: seconds between progress lines when stderr is not a terminal (0: a line every logged step).
    progress_every_s: float = 10.0
    #: extra loggers: "tensorboard" (``train.tensorboard``: event files in RUN/tensorboard).
    log: tuple[str, ...] = ()
    #: empirical NTK eigenvalues at init and after training on at most N training points (RUN/ntk.json; 0: off).
    ntk_points: int = 256

    def __post_init__(self) -> None:
        check(self, "trainer", steps=">=1", eval_every=">=0", log_every=">=1", checkpoint_every=">=0",
              grad_clip=">0", lbfgs_steps=">=0", lbfgs_max_iter=">=1", grad_stats_every=">=0", progress_every_s=">=0",
              ntk_points=">=0")
        check_seed(self.seed, "trainer.seed")
        if self.lbfgs_steps > self.steps:
            raise InputError(f"trainer.lbfgs_steps must be <= trainer.steps ({self.steps}), got {self.lbfgs_steps}")
        check_device_name(self.device)
        unknown = sorted(set(self.log) - set(LOGGERS))
        if unknown:
            raise InputError(f"trainer.log: unknown logger {unknown[0]!r}; choose from: {', '.join(LOGGERS)}")


#: the loggers ``TrainerConfig.log`` may name.
LOGGERS = ("tensorboard",)


def make_optimizer(cfg: OptimConfig, groups: dict[str, list[torch.nn.Parameter]]) -> torch.optim.Optimizer:
    """Optimiser with one parameter group per named field group."""
    param_groups = []
    for name, params in groups.items():
        if params:
            lr = cfg.group_lr.get(name, cfg.lr)
            param_groups.append({"params": params, "lr": lr, "base_lr": lr, "name": name,
                                 "weight_decay": cfg.group_weight_decay.get(name, cfg.weight_decay)})
    if cfg.name == "adam":
        return torch.optim.Adam(param_groups, betas=cfg.betas, eps=cfg.eps, weight_decay=cfg.weight_decay,
                                amsgrad=cfg.amsgrad)
    if cfg.name == "adamw":
        return torch.optim.AdamW(param_groups, betas=cfg.betas, eps=cfg.eps, weight_decay=cfg.weight_decay,
                                 amsgrad=cfg.amsgrad)
    return torch.optim.SGD(param_groups, momentum=cfg.betas[0], weight_decay=cfg.weight_decay)


#: the older callback form (``cb(step, info)``); see ``train/hooks.py`` for hooks.
Callback = Callable[[int, dict[str, Any]], None]


class Trainer:
    """Fits a field to a task; returns a ``RunResult``."""

    def __init__(self, cfg: TrainerConfig):
        self.cfg = cfg

    def fit(self, field: torch.nn.Module, task: Any, run_dir: Path | None = None, resume: bool = False,
            config: dict[str, Any] | None = None, callbacks: tuple[Any, ...] = ()) -> RunResult:
        """Train ``field`` on ``task``.

        Args:
            field: the field (moved to the configured device).
            task: the task (sample / loss / evaluate).
            run_dir: where checkpoints (and the streamed ``history.csv``) go; None: nothing is written.
            resume: continue from the checkpoint in ``run_dir`` when there is one.
            config: the resolved run config, returned in the RunResult.
            callbacks: extra hooks: ``Hook`` objects, components (``hooks()``) or ``cb(step, info)``.
        """
        state = self.setup(field, task, run_dir)
        hooks = HookList([*self.default_hooks(state), *callbacks])
        if resume and run_dir is not None and has_checkpoint(run_dir):
            self.restore(state, hooks)
        try:
            with cpu_execution(self.cfg.flush_denormals, state.device, self.cfg.onednn_linear):  # train.numerics
                hooks.run(BEFORE_TRAIN, state)
                self.train(state, hooks)
                return self.finish(state, hooks, config)
        finally:
            hooks.close()

    def train(self, state: FitState, hooks: HookList) -> None:
        """The step loop; Ctrl-C or a hook's stop request checkpoints the finished steps and re-raises."""
        state.t0 = time.perf_counter()
        with deferred_sigint() as interrupt:
            try:
                while state.step < self.cfg.steps:
                    self.step(state, hooks)
                    if (state.stop or interrupt["stop"]) and state.step < self.cfg.steps:
                        raise KeyboardInterrupt
            except KeyboardInterrupt:
                self.checkpoint(state, hooks)
                raise

    def setup(self, field: torch.nn.Module, task: Any, run_dir: Path | None) -> FitState:
        device = resolve_device(self.cfg.device)
        field.to(device)
        task.to(device)
        opt = make_optimizer(self.cfg.optim, field.param_groups())
        gen = torch.Generator().manual_seed(self.cfg.seed + 1)
        return FitState(cfg=self.cfg, field=field, task=task, optimizer=opt, generator=gen, device=device,
                        run_dir=run_dir, step_fn=self.update)

    def default_hooks(self, state: FitState) -> list[Any]:
        """The built-in components of a fit with this config."""
        cfg, metric = self.cfg, getattr(state.task, "primary_metric", "psnr")
        hooks: list[Any] = [NonFiniteGuard()]
        # components a field needs every step (e.g. SAPE's progressive masks), from ``Field.training_hooks``
        hooks.extend(getattr(state.field, "training_hooks", list)())
        if cfg.lbfgs_steps > 0:
            hooks.append(LBFGSRefinement(cfg.lbfgs_steps, cfg.lbfgs_max_iter))
        if cfg.grad_stats_every > 0:
            hooks.append(GradStats(state.field, cfg.grad_stats_every))
        if metric:
            hooks.append(PeakTracker(metric))
        if cfg.progress:
            hooks.append(Progress(metric, cfg.progress_every_s))
        if state.run_dir is not None:
            hooks.append(HistoryFile(Path(state.run_dir) / "history.csv"))
        if "tensorboard" in cfg.log:
            if state.run_dir is None:
                raise InputError("trainer.log tensorboard writes into the run directory; give one (--out)")
            from inrkit.train.tensorboard import TensorBoardLog

            hooks.append(TensorBoardLog(Path(state.run_dir) / "tensorboard"))
        return hooks

    def restore(self, state: FitState, hooks: HookList) -> None:
        """Continue from the checkpoint in ``state.run_dir``."""
        saved = load_checkpoint(state.run_dir, state.field)
        state.field.to(state.device)
        state.optimizer.load_state_dict(saved["optimizer"])
        state.generator.set_state(saved["generator"])
        torch.set_rng_state(saved["torch_rng"])
        state.step, state.wall_before, state.history = saved["step"], saved["wall_s"], saved["history"]
        state.checkpoint_step = state.step
        hooks.load_state_dict(saved.get("hooks", {"peak": saved.get("best")}))

    def step(self, state: FitState, hooks: HookList) -> None:
        """One optimiser step with its log row, periodic evaluation and periodic checkpoint."""
        cfg, step = self.cfg, state.step
        hooks.run(BEFORE_STEP, state)
        for g in state.optimizer.param_groups:
            g["lr"] = g["base_lr"] * lr_factor(cfg.schedule, step, cfg.steps, g["base_lr"])
        state.gen_at_step = state.generator.get_state()
        state.batch = batch = state.task.sample(step, state.generator)
        state.losses = state.step_fn(state, batch)
        state.step = done = step + 1
        state.gen_at_step = None
        state.row = {}
        if done % max(cfg.log_every, 1) == 0 or done == cfg.steps or done == 1:
            state.row = {k: float(v.detach()) for k, v in state.losses.items()}
            state.row["lr"] = state.optimizer.param_groups[0]["lr"]
        hooks.run(AFTER_UPDATE, state)
        if cfg.eval_every > 0 and done % cfg.eval_every == 0 and done < cfg.steps:
            self.evaluate(state, hooks)
        if state.row:
            state.history.append({"step": done, "wall_s": state.wall_s(), **state.row})
        hooks.run(AFTER_STEP, state)
        if cfg.checkpoint_every > 0 and done % cfg.checkpoint_every == 0 and done < cfg.steps:
            self.checkpoint(state, hooks)

    def update(self, state: FitState, batch: Any) -> dict[str, Any]:
        """The first-order update: loss, backward, optional clipping, optimiser step."""
        losses = state.task.loss(state.field, batch)
        state.optimizer.zero_grad(set_to_none=True)
        losses["loss"].backward()
        if self.cfg.grad_clip is not None:
            torch.nn.utils.clip_grad_norm_(state.field.parameters(), self.cfg.grad_clip)
        state.optimizer.step()
        return losses

    def evaluate(self, state: FitState, hooks: HookList, final: bool = False) -> dict[str, Any]:
        """Evaluate the task (periodic evaluations go into the step's history row)."""
        state.evaluation = state.task.evaluate(state.field, **({"final": True} if final else {}))
        if not final:
            state.row.update(state.evaluation)
        hooks.run(AFTER_EVAL, state)
        return state.evaluation

    def checkpoint(self, state: FitState, hooks: HookList) -> None:
        """Write a resumable checkpoint of the completed steps (nothing without a run directory)."""
        if state.run_dir is None:
            return
        hooks.run(ON_CHECKPOINT, state)
        gen = state.gen_at_step if state.gen_at_step is not None else state.generator.get_state()
        save_checkpoint(state.run_dir, state.field, {
            "optimizer": state.optimizer.state_dict(), "generator": gen, "torch_rng": torch.get_rng_state(),
            "step": state.step, "history": state.history, "wall_s": state.wall_s(), "hooks": hooks.state_dict()})
        state.checkpoint_step = state.step

    def finish(self, state: FitState, hooks: HookList, config: dict[str, Any] | None) -> RunResult:
        """Final evaluation, metrics (hooks add theirs), last checkpoint and the RunResult."""
        cfg, wall = self.cfg, state.wall_s()
        state.metrics = metrics = self.evaluate(state, hooks, final=True)
        if cfg.eval_every > 0:  # the final evaluation is the last point of the evaluation curves
            scalars = {k: v for k, v in metrics.items() if isinstance(v, float)}
            if state.history and state.history[-1]["step"] == cfg.steps:
                state.history[-1].update(scalars)
            else:
                state.history.append({"step": cfg.steps, "wall_s": wall, **scalars})
        hooks.run(AT_END, state)
        metrics.update(state.field.parameter_counts())
        metrics.update({"steps": cfg.steps, "wall_s": wall, "device": str(state.device)})
        self.checkpoint(state, hooks)
        return RunResult(metrics=metrics, history=state.history, config=config or {},
                         run_dir=str(state.run_dir) if state.run_dir else None, field=state.field)
