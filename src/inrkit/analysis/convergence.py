"""Convergence summaries of a run's history: time and steps to reach quality levels.

``time_to_quality(history, "psnr", (30, 35))`` gives, per level L, the wall time (``time_to_psnr_30``)
and the step (``steps_to_psnr_30``) of the first evaluation whose value is at least L; NaN when the
run never reaches it. The resolution is the run's evaluation interval (``trainer.eval_every``), and
the wall time is the trainer's clock at that evaluation (training plus the earlier evaluations).
"""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import Any


def read_history(path: str | Path) -> list[dict[str, Any]]:
    """``history.csv`` as a list of dicts of floats (empty cells dropped)."""
    path = Path(path)
    if not path.exists():
        return []
    rows = []
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            out = {}
            for k, v in row.items():
                if v not in ("", None):
                    try:
                        out[k] = float(v)
                    except ValueError:
                        out[k] = v
            rows.append(out)
    return rows


def level_name(metric: str, level: float) -> str:
    return f"{metric}_{level:g}".replace(".", "p")


def time_to_quality(history: list[dict[str, Any]], metric: str, levels: tuple[float, ...]) -> dict[str, float]:
    """Wall time and step of the first evaluation reaching each level (NaN when never reached)."""
    evals = sorted((h for h in history if isinstance(h.get(metric), float) and math.isfinite(h[metric])),
                   key=lambda h: h["step"])
    out: dict[str, float] = {}
    for level in levels:
        hit = next((h for h in evals if h[metric] >= level), None)
        name = level_name(metric, level)
        out[f"time_to_{name}"] = float(hit["wall_s"]) if hit else math.nan
        out[f"steps_to_{name}"] = float(hit["step"]) if hit else math.nan
    return out
