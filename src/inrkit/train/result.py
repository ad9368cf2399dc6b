"""RunResult: what every fit returns (benchmarks and tests never parse logs)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class RunResult:
    """Outcome of one training run.

    Attributes:
        metrics: final metrics (flat keys, floats) including params, steps, wall_s, device.
        history: one dict per logged step (step, wall_s, loss, lr and periodic evaluation metrics).
        config: the fully resolved run config as data.
        run_dir: where the outputs were written (None for in-memory runs).
        field: the trained field (not serialised).
    """

    metrics: dict[str, Any]
    history: list[dict[str, Any]]
    config: dict[str, Any]
    run_dir: str | None = None
    field: Any = field(default=None, repr=False)

    @property
    def wall_s(self) -> float:
        return float(self.metrics.get("wall_s", float("nan")))

    @property
    def params(self) -> int:
        return int(self.metrics.get("params", 0))
