"""Progress output: a tqdm bar on terminals, periodic one-line reports on stderr otherwise.

Off a terminal (a batch job, a pipe, a log file) a line such as::

    fit 400/5000 (8%) loss 1.234e-03 psnr 28.41 | 112.3 it/s, ETA 0:00:41

is printed every ``TrainerConfig.progress_every_s`` seconds (checked on logged steps; 0: every logged
step) and at the last step. The metric shows its latest evaluated value; it/s counts the steps of
this process (a resumed fit starts counting again).
"""

from __future__ import annotations

import datetime
import sys
import time
from typing import Any

from inrkit.train.hooks import AFTER_STEP, AT_END, BEFORE_TRAIN, FitState, Hook


def format_eta(seconds: float) -> str:
    return str(datetime.timedelta(seconds=round(seconds))) if seconds == seconds else "?"


class Progress:
    """Progress of one fit on ``sys.stderr``."""

    name = "progress"

    def __init__(self, metric: str | None, every_s: float = 10.0):
        self.metric, self.every_s = metric, every_s
        self.bar: Any = None
        self.stream: Any = None
        self.shown: dict[str, float] = {}
        self.start_step, self.t_start, self.t_line = 0, 0.0, 0.0

    def hooks(self) -> list[Hook]:
        return [Hook(BEFORE_TRAIN, self.open), Hook(AFTER_STEP, self.update), Hook(AT_END, lambda s: self.close())]

    def open(self, state: FitState) -> None:
        self.stream = sys.stderr
        self.start_step, self.t_start = state.step, time.perf_counter()
        self.t_line = self.t_start
        if self.stream.isatty():
            from tqdm.auto import tqdm

            self.bar = tqdm(total=state.total, initial=state.step, desc="fit", unit="step", dynamic_ncols=True,
                            leave=False, file=self.stream)

    def update(self, state: FitState) -> None:
        self.shown.update({k: float(state.row[k]) for k in ("loss", self.metric) if k in state.row})
        if self.bar is not None:
            if state.row:
                self.bar.set_postfix({k: f"{v:.4g}" for k, v in self.shown.items()})
            self.bar.update(1)
            return
        now = time.perf_counter()
        if state.step == state.total or (state.row and now - self.t_line >= self.every_s):
            self.t_line = now
            print(self.line(state.step, state.total, now), file=self.stream, flush=True)

    def line(self, step: int, total: int, now: float) -> str:
        rate = (step - self.start_step) / max(now - self.t_start, 1e-9)
        eta = (total - step) / rate if rate > 0 else float("nan")
        values = " ".join(f"{k} {v:.4g}" for k, v in self.shown.items())
        done = f"{100 * step / max(total, 1):.0f}%"
        return f"fit {step}/{total} ({done}) {values} | {rate:.1f} it/s, ETA {format_eta(eta)}"

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
