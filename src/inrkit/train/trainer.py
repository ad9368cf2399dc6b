"""The one generic trainer: optimiser over named parameter groups, schedule, sampling, periodic
evaluation, progress bar, checkpoints and exact resume.

Exact resume: a checkpoint holds the weights, the optimiser state, the sampling generator's state,
the global torch RNG state, the step and the history; the learning rate is a pure function of the
step. Continuing from a checkpoint therefore replays the same batches and updates as a run that was
never stopped. On ``KeyboardInterrupt`` the trainer writes a checkpoint of the last finished step
before re-raising.

L-BFGS refinement (PINNs, protocols.md §10.4): ``lbfgs_steps = N`` runs the last N steps with
``torch.optim.LBFGS`` (strong-Wolfe line search, lr 1, ``lbfgs_max_iter`` evaluations per step) on the
task's batches; its curvature history is not checkpointed, so a resume inside that phase restarts it.
"""

from __future__ import annotations

import contextlib
import math
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import torch

from inrkit.errors import InputError
from inrkit.train.checkpoint import has_checkpoint, load_checkpoint, save_checkpoint
from inrkit.train.grad_stats import GradStats
from inrkit.train.result import RunResult
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

    def __post_init__(self) -> None:
        check(self, "trainer.optim", lr=">0", eps=">0", weight_decay=">=0", betas=">=0")
        if any(not 0.0 <= b < 1.0 for b in self.betas):
            raise InputError(f"trainer.optim.betas must lie in [0, 1), got {self.betas!r}")
        for name, lr in self.group_lr.items():
            check(type("Lr", (), {name: lr})(), "trainer.optim.group_lr", **{name: ">0"})


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
    #: show a progress bar (on terminals).
    progress: bool = True
    #: auto (GPU when present), cpu, cuda or cuda:N.
    device: str = "auto"
    #: run the last N of ``steps`` with L-BFGS (strong-Wolfe line search, lr 1) instead of ``optim`` (PINN refinement).
    lbfgs_steps: int = 0
    #: function evaluations per L-BFGS step.
    lbfgs_max_iter: int = 20
    #: record the per-layer Mean-Log gradient (MSA Table 4, ``train.grad_stats``) every N steps (0: off).
    grad_stats_every: int = 0

    def __post_init__(self) -> None:
        check(self, "trainer", steps=">=1", eval_every=">=0", log_every=">=1", checkpoint_every=">=0",
              grad_clip=">0", lbfgs_steps=">=0", lbfgs_max_iter=">=1", grad_stats_every=">=0")
        check_seed(self.seed, "trainer.seed")
        if self.lbfgs_steps > self.steps:
            raise InputError(f"trainer.lbfgs_steps must be <= trainer.steps ({self.steps}), got {self.lbfgs_steps}")
        check_device_name(self.device)


def check_device_name(name: str) -> None:
    """``InputError`` unless ``name`` is auto, cpu, cuda, cuda:N or another torch device string."""
    if name == "auto":
        return
    try:
        torch.device(name)
    except (RuntimeError, TypeError):
        raise InputError(f"trainer.device: unknown device {name!r}; use auto, cpu, cuda or cuda:N") from None


def resolve_device(name: str) -> torch.device:
    """``auto`` -> CUDA when available, else CPU."""
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    check_device_name(name)
    dev = torch.device(name)
    if dev.type == "cuda" and not torch.cuda.is_available():
        raise InputError(f"--device {name}: CUDA is not available on this machine")
    return dev


def make_optimizer(cfg: OptimConfig, groups: dict[str, list[torch.nn.Parameter]]) -> torch.optim.Optimizer:
    """Optimiser with one parameter group per named field group."""
    param_groups = []
    for name, params in groups.items():
        if params:
            lr = cfg.group_lr.get(name, cfg.lr)
            param_groups.append({"params": params, "lr": lr, "base_lr": lr, "name": name})
    if cfg.name == "adam":
        return torch.optim.Adam(param_groups, betas=cfg.betas, eps=cfg.eps, weight_decay=cfg.weight_decay,
                                amsgrad=cfg.amsgrad)
    if cfg.name == "adamw":
        return torch.optim.AdamW(param_groups, betas=cfg.betas, eps=cfg.eps, weight_decay=cfg.weight_decay,
                                 amsgrad=cfg.amsgrad)
    return torch.optim.SGD(param_groups, momentum=cfg.betas[0], weight_decay=cfg.weight_decay)


Callback = Callable[[int, dict[str, Any]], None]


@contextlib.contextmanager
def deferred_sigint() -> Iterator[dict[str, bool]]:
    """Turn a first Ctrl-C into a flag checked between steps (a second one interrupts at once).

    A step interrupted half-way (inside the optimiser update, say) could not be resumed exactly;
    deferring the interrupt to the end of the step keeps checkpoints consistent.
    """
    state = {"stop": False}
    if threading.current_thread() is not threading.main_thread():
        yield state
        return

    def handler(signum, frame):
        if state["stop"]:
            raise KeyboardInterrupt
        state["stop"] = True

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield state
    finally:
        signal.signal(signal.SIGINT, previous)


class Trainer:
    """Fits a field to a task; returns a ``RunResult``."""

    def __init__(self, cfg: TrainerConfig):
        self.cfg = cfg

    def fit(self, field: torch.nn.Module, task: Any, run_dir: Path | None = None, resume: bool = False,
            config: dict[str, Any] | None = None, callbacks: tuple[Callback, ...] = ()) -> RunResult:
        cfg = self.cfg
        device = resolve_device(cfg.device)
        field.to(device)
        task.to(device)
        opt = make_optimizer(cfg.optim, field.param_groups())
        gen = torch.Generator().manual_seed(cfg.seed + 1)
        history: list[dict[str, Any]] = []
        start, wall_before, best = 0, 0.0, {"value": -math.inf, "step": -1}
        if resume and run_dir is not None and has_checkpoint(run_dir):
            state = load_checkpoint(run_dir, field)
            field.to(device)
            opt.load_state_dict(state["optimizer"])
            gen.set_state(state["generator"])
            torch.set_rng_state(state["torch_rng"])
            start, wall_before, history = state["step"], state["wall_s"], state["history"]
            best = state["best"]

        gen_at_step: torch.Tensor | None = None  # generator state at the start of an unfinished step

        def checkpoint(step: int) -> None:
            if run_dir is not None:
                save_checkpoint(run_dir, field, {
                    "optimizer": opt.state_dict(),
                    "generator": gen_at_step if gen_at_step is not None else gen.get_state(),
                    "torch_rng": torch.get_rng_state(), "step": step, "history": history,
                    "wall_s": wall_before + (time.perf_counter() - t0), "best": best})

        grad_stats = GradStats(field, cfg.grad_stats_every) if cfg.grad_stats_every > 0 else None
        lbfgs = None  # built on the first L-BFGS step (its state is not checkpointed: resume restarts it)
        bar = self._progress(start)
        t0 = time.perf_counter()
        completed = start
        metric = getattr(task, "primary_metric", "psnr")
        with deferred_sigint() as interrupt:
            try:
                for step in range(start, cfg.steps):
                    for g in opt.param_groups:
                        g["lr"] = g["base_lr"] * lr_factor(cfg.schedule, step, cfg.steps, g["base_lr"])
                    gen_at_step = gen.get_state()
                    batch = task.sample(step, gen)
                    if step >= cfg.steps - cfg.lbfgs_steps:
                        lbfgs = lbfgs or self._lbfgs(field)
                        losses = self._lbfgs_step(lbfgs, field, task, batch)
                    else:
                        losses = task.loss(field, batch)
                        opt.zero_grad(set_to_none=True)
                        losses["loss"].backward()
                        if cfg.grad_clip is not None:
                            torch.nn.utils.clip_grad_norm_(field.parameters(), cfg.grad_clip)
                        opt.step()
                    done = completed = step + 1
                    gen_at_step = None
                    row: dict[str, Any] = {}
                    if grad_stats is not None:
                        grad_stats(done, {})
                    if done % max(cfg.log_every, 1) == 0 or done == cfg.steps or done == 1:
                        row = {k: float(v.detach()) for k, v in losses.items()}
                        row["lr"] = opt.param_groups[0]["lr"]
                        if grad_stats is not None:
                            row.update(grad_stats.last)
                    if cfg.eval_every > 0 and done % cfg.eval_every == 0 and done < cfg.steps:
                        row.update(task.evaluate(field))
                        if row.get(metric, -math.inf) > best["value"]:
                            best = {"value": float(row[metric]), "step": done}
                    if row:
                        if not math.isfinite(row.get("loss", 0.0)):
                            raise FloatingPointError(f"loss became non-finite at step {done}")
                        history.append({"step": done, "wall_s": wall_before + time.perf_counter() - t0, **row})
                        if bar is not None:
                            bar.set_postfix({k: f"{row[k]:.4g}" for k in ("loss", metric) if k in row})
                    if bar is not None:
                        bar.update(1)
                    for cb in callbacks:
                        cb(done, {"losses": losses, "row": row})
                    if cfg.checkpoint_every > 0 and done % cfg.checkpoint_every == 0 and done < cfg.steps:
                        checkpoint(done)
                    if interrupt["stop"] and done < cfg.steps:
                        raise KeyboardInterrupt
            except KeyboardInterrupt:
                checkpoint(completed)
                raise
            finally:
                if bar is not None:
                    bar.close()
        wall = wall_before + time.perf_counter() - t0
        metrics = task.evaluate(field, final=True)
        if metric in metrics and metrics[metric] > best["value"]:
            best = {"value": float(metrics[metric]), "step": cfg.steps}
        if cfg.eval_every > 0:  # the final evaluation is the last point of the evaluation curves
            scalars = {k: v for k, v in metrics.items() if isinstance(v, float)}
            if history and history[-1]["step"] == cfg.steps:
                history[-1].update(scalars)
            else:
                history.append({"step": cfg.steps, "wall_s": wall, **scalars})
        if best["step"] >= 0:
            metrics[f"{metric}_peak"] = best["value"]
            metrics["peak_step"] = best["step"]
        if grad_stats is not None:
            metrics.update(grad_stats.summary())
        metrics.update(field.parameter_counts())
        metrics.update({"steps": cfg.steps, "wall_s": wall, "device": str(device)})
        checkpoint(cfg.steps)
        return RunResult(metrics=metrics, history=history, config=config or {},
                         run_dir=str(run_dir) if run_dir else None, field=field)

    def _lbfgs(self, field: torch.nn.Module) -> torch.optim.LBFGS:
        params = [p for p in field.parameters() if p.requires_grad]
        return torch.optim.LBFGS(params, lr=1.0, max_iter=self.cfg.lbfgs_max_iter, history_size=50,
                                 line_search_fn="strong_wolfe")

    @staticmethod
    def _lbfgs_step(opt: torch.optim.LBFGS, field: torch.nn.Module, task: Any, batch: Any) -> dict[str, Any]:
        """One L-BFGS step; returns the loss terms of its last evaluation."""
        last: dict[str, Any] = {}

        def closure():
            opt.zero_grad(set_to_none=True)
            losses = task.loss(field, batch)
            losses["loss"].backward()
            last.update(losses)
            return losses["loss"]

        opt.step(closure)
        return last

    def _progress(self, start: int):
        if not self.cfg.progress:
            return None
        from tqdm.auto import tqdm

        return tqdm(total=self.cfg.steps, initial=start, desc="fit", unit="step", disable=None,
                    dynamic_ncols=True, leave=False)
