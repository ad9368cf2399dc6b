"""Learning-rate schedules as multiplicative factors of each group's base rate (methods.md §0.5).

* ``constant``: 1.
* ``exp_decay``: ``gamma^{min(t/T, 1)}`` (FINER/WIRE LambdaLR form).
* ``cosine``: ``CosineAnnealingLR(T_max=T, eta_min=lr_min)``: ``lr_min + (lr0 - lr_min)(1 + cos(pi t/T))/2``.
* ``cosine_to_1pct``: ``0.01 + 0.99 (1 + cos(pi min(t/T, 1)))/2`` (SASNet repo experiments).
* ``step``: ``gamma^{floor(t / step_size)}`` (Tancik occupancy: x0.1 every 5000 steps).
* ``bacon_sdf``: ``(0.01 + 0.99 sin(pi/2 min(step, 1))) exp((1 - t/T) ln lr0 + (t/T) ln lr_min) / lr0``
  (BACON/FINER SDF, protocols.md §7.5): 0.01 at step 0 only, then a log-linear decay from ``lr0`` to
  ``lr_min`` (1e-4 in the protocol; constant when ``lr0 = lr_min``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from inrkit.validate import check


@dataclass(frozen=True)
class ScheduleConfig:
    """Learning-rate schedule."""

    #: constant, exp_decay, cosine, cosine_to_1pct, step or bacon_sdf.
    kind: Literal["constant", "exp_decay", "cosine", "cosine_to_1pct", "step", "bacon_sdf"] = "constant"
    #: decay factor of exp_decay / step.
    gamma: float = 0.1
    #: final learning rate of cosine and bacon_sdf (absolute).
    lr_min: float = 0.0
    #: steps between decays of the step schedule.
    step_size: int = 5000

    def __post_init__(self) -> None:
        check(self, "trainer.schedule", gamma=">0", lr_min=">=0", step_size=">=1")


def lr_factor(cfg: ScheduleConfig, step: int, total: int, base_lr: float) -> float:
    """Factor multiplying ``base_lr`` at ``step`` of ``total``."""
    t = min(step / max(total, 1), 1.0)
    if cfg.kind == "constant":
        return 1.0
    if cfg.kind == "exp_decay":
        return cfg.gamma ** t
    if cfg.kind == "cosine":
        if base_lr <= 0:
            return 1.0
        lo = cfg.lr_min / base_lr
        return lo + (1.0 - lo) * 0.5 * (1.0 + math.cos(math.pi * t))
    if cfg.kind == "cosine_to_1pct":
        return 0.01 + 0.99 * 0.5 * (1.0 + math.cos(math.pi * t))
    if cfg.kind == "step":
        return cfg.gamma ** (step // max(cfg.step_size, 1))
    if cfg.kind == "bacon_sdf":
        if base_lr <= 0 or cfg.lr_min <= 0:
            raise ValueError("bacon_sdf needs positive base and final learning rates (schedule.lr_min)")
        warm = 0.01 + 0.99 * math.sin(math.pi / 2 * min(step, 1))
        return warm * math.exp(t * (math.log(cfg.lr_min) - math.log(base_lr)))
    raise ValueError(f"unknown schedule {cfg.kind!r}")
