"""``history.csv``: the training history as CSV, streamed to the run directory while training.

The columns are the keys of all rows in order of first appearance. While a fit runs, each logged row
is appended; a row with a new column (the first evaluation, say) rewrites the file with the wider
header. A resumed fit rewrites it from the checkpoint's history (dropping rows logged after that
checkpoint), and the end of the fit writes the final file atomically, equal to ``history_csv`` of the
returned history.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from inrkit.io import write_text
from inrkit.train.hooks import AFTER_STEP, AT_END, BEFORE_TRAIN, FitState, Hook


def history_columns(history: list[dict[str, Any]]) -> list[str]:
    keys: list[str] = []
    for row in history:
        keys.extend(k for k in row if k not in keys)
    return keys


def history_csv(history: list[dict[str, Any]], keys: list[str] | None = None, header: bool = True) -> str:
    """The rows as CSV text (columns: ``keys``, default all keys in order of first appearance)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=keys or history_columns(history), lineterminator="\n")
    if header:
        writer.writeheader()
    writer.writerows(history)
    return buf.getvalue()


class HistoryFile:
    """Keeps ``path`` equal to the history logged so far."""

    name = "history_file"

    def __init__(self, path: Path):
        self.path = Path(path)
        self.keys: list[str] = []

    def hooks(self) -> list[Hook]:
        return [Hook(BEFORE_TRAIN, self.rewrite), Hook(AFTER_STEP, self.append), Hook(AT_END, self.rewrite)]

    def rewrite(self, state: FitState) -> None:
        self.keys = history_columns(state.history)
        if state.history:
            write_text(self.path, history_csv(state.history, self.keys))
        else:
            self.path.unlink(missing_ok=True)

    def append(self, state: FitState) -> None:
        if not state.row:
            return
        row = state.history[-1]
        if not self.keys or any(k not in self.keys for k in row):
            self.rewrite(state)
            return
        with open(self.path, "a", newline="") as f:
            f.write(history_csv([row], self.keys, header=False))
