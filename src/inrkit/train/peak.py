"""Peak tracking: the best value of the primary metric over all evaluations, and its step.

Reported as ``<metric>_peak`` and ``peak_step`` beside the final metrics (ties go to the earlier
step). The ensemble trainer registers one tracker per member, reading the member's ``m<e>/`` keys.
"""

from __future__ import annotations

import math
from typing import Any

from inrkit.train.hooks import AFTER_EVAL, AT_END, FitState, Hook


class PeakTracker:
    """Best ``prefix + metric`` of every evaluation (periodic and final)."""

    def __init__(self, metric: str, prefix: str = ""):
        self.metric, self.prefix = metric, prefix
        self.name = f"peak{':' + prefix if prefix else ''}"
        self.best: dict[str, Any] = {"value": -math.inf, "step": -1}

    def hooks(self) -> list[Hook]:
        return [Hook(AFTER_EVAL, self.update), Hook(AT_END, self.report)]

    def update(self, state: FitState) -> None:
        value = state.evaluation.get(self.prefix + self.metric)
        if value is not None and value > self.best["value"]:
            self.best = {"value": float(value), "step": state.step}

    def report(self, state: FitState) -> None:
        if self.best["step"] >= 0:
            state.metrics[f"{self.prefix}{self.metric}_peak"] = self.best["value"]
            state.metrics[f"{self.prefix}peak_step"] = self.best["step"]

    def state_dict(self) -> dict[str, Any]:
        return dict(self.best)

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.best = dict(state)
