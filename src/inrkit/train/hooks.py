"""Named hook points of the training loop, in the manner of nerfstudio's ``TrainingCallback``.

A ``Hook`` is *where* (a named point of the loop) + *function* (called with the ``FitState``) +
*every N* (completed steps; points outside the step loop ignore it). Larger pieces (the NaN guard,
gradient statistics, L-BFGS refinement, peak tracking, progress output, the streamed history file)
are *components*: objects with ``hooks() -> list[Hook]``, optionally ``state_dict()`` /
``load_state_dict()`` (saved in checkpoints under their ``name``, so resume stays exact) and
``close()`` (called when the fit ends, also on errors).

Points, in the order they occur::

    before_train    once, after a resume restored the state
    before_step     before the batch is sampled (state.step = steps completed so far)
    after_update    after the optimiser update; state.losses holds the loss terms, state.row the
                    history row being built (empty on steps that are not logged): hooks may add columns
    after_eval      after an evaluation (periodic or final); state.evaluation holds its metrics
    after_step      the step is complete (its row, if any, is the last entry of state.history)
    on_checkpoint   before a checkpoint is written (raise to refuse writing it)
    at_end          after the final evaluation; hooks may add to state.metrics

A hook may set ``state.stop = True``: the trainer then writes a checkpoint after the current step and
raises ``KeyboardInterrupt``, exactly as on Ctrl-C. Plain callables ``cb(step, info)`` (the older
callback form, ``info = {"losses": ..., "row": ...}``) run at ``after_step``; a ``KeyboardInterrupt``
raised by one is such a stop request.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

BEFORE_TRAIN = "before_train"
BEFORE_STEP = "before_step"
AFTER_UPDATE = "after_update"
AFTER_EVAL = "after_eval"
AFTER_STEP = "after_step"
ON_CHECKPOINT = "on_checkpoint"
AT_END = "at_end"
POINTS = (BEFORE_TRAIN, BEFORE_STEP, AFTER_UPDATE, AFTER_EVAL, AFTER_STEP, ON_CHECKPOINT, AT_END)
#: points inside the step loop, where ``every`` applies
STEP_POINTS = (BEFORE_STEP, AFTER_UPDATE, AFTER_EVAL, AFTER_STEP)


@dataclass
class FitState:
    """Everything a hook can see and change during one ``Trainer.fit``."""

    cfg: Any
    field: torch.nn.Module
    task: Any
    optimizer: torch.optim.Optimizer
    generator: torch.Generator
    device: torch.device
    run_dir: Path | None = None
    #: completed steps.
    step: int = 0
    #: loss terms of the last step (tensors).
    losses: dict[str, Any] = field(default_factory=dict)
    #: history row of the current step while it is built (empty on steps that are not logged).
    row: dict[str, Any] = field(default_factory=dict)
    #: metrics of the latest evaluation.
    evaluation: dict[str, Any] = field(default_factory=dict)
    #: final metrics (filled at the end).
    metrics: dict[str, Any] = field(default_factory=dict)
    history: list[dict[str, Any]] = field(default_factory=list)
    #: a hook asks to stop after this step (checkpoint, then ``KeyboardInterrupt``).
    stop: bool = False
    #: step of the last checkpoint written or resumed from (-1: none).
    checkpoint_step: int = -1
    #: ``step_fn(state, batch) -> losses``: one optimiser update (L-BFGS refinement swaps it).
    step_fn: Callable[[FitState, Any], dict[str, Any]] | None = None
    #: generator state at the start of an unfinished step (what a checkpoint must replay).
    gen_at_step: torch.Tensor | None = None
    wall_before: float = 0.0
    t0: float = field(default_factory=time.perf_counter)

    @property
    def total(self) -> int:
        """Number of steps of the whole fit."""
        return self.cfg.steps

    def wall_s(self) -> float:
        """Training wall time so far, including the time before a resume."""
        return self.wall_before + time.perf_counter() - self.t0


@dataclass(frozen=True)
class Hook:
    """Call ``func(state)`` at the point ``where``, on steps divisible by ``every``."""

    where: str
    func: Callable[[FitState], None]
    every: int = 1

    def __post_init__(self):
        if self.where not in POINTS:
            raise ValueError(f"unknown hook point {self.where!r}; points: {', '.join(POINTS)}")
        if self.every < 1:
            raise ValueError("Hook.every must be >= 1")

    def due(self, where: str, step: int) -> bool:
        return self.where == where and (where not in STEP_POINTS or step % self.every == 0)


class LegacyCallback:
    """Adapter of a plain ``cb(step, info)`` callable: runs at ``after_step``."""

    def __init__(self, cb: Callable[[int, dict[str, Any]], None]):
        self.cb = cb

    def __call__(self, state: FitState) -> None:
        try:
            self.cb(state.step, {"losses": state.losses, "row": state.row})
        except KeyboardInterrupt:
            state.stop = True


class HookList:
    """The hooks of one fit: plain ``Hook`` objects, components and legacy callables, in order."""

    def __init__(self, items: Iterable[Any]):
        self.hooks: list[Hook] = []
        self.components: list[Any] = []
        for item in items:
            if isinstance(item, Hook):
                self.hooks.append(item)
            elif hasattr(item, "hooks"):
                self.components.append(item)
                self.hooks.extend(item.hooks())
            elif callable(item):
                self.hooks.append(Hook(AFTER_STEP, LegacyCallback(item)))
            else:
                raise TypeError(f"not a hook, component or callable: {item!r}")

    def run(self, where: str, state: FitState) -> None:
        for hook in self.hooks:
            if hook.due(where, state.step):
                hook.func(state)

    def state_dict(self) -> dict[str, Any]:
        return {c.name: c.state_dict() for c in self.components if hasattr(c, "state_dict")}

    def load_state_dict(self, states: dict[str, Any]) -> None:
        for c in self.components:
            if hasattr(c, "load_state_dict") and c.name in states:
                c.load_state_dict(states[c.name])

    def close(self) -> None:
        for c in self.components:
            if hasattr(c, "close"):
                c.close()
