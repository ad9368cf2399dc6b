"""The scale ladder: a table's ordering at every scale side by side (``inrkit ladder TABLE``).

Reads ``DIR/<table>-<scale>[-tuned]/results.csv`` for every scale and settings column that ran, and
writes ``DIR/<table>-ladder.md``: per row the mean of the table's first metric at each scale (with
its rank), the paper's number and rank where the table has them, and Kendall's tau between each
scale's ordering and the paper's (and between neighbouring scales), so it is plain where a paper's
ordering holds and where it does not. Rows are compared over the rows present at both ends.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

from inrkit.bench.tables import SCALES
from inrkit.errors import InputError
from inrkit.io import write_text
from inrkit.registry import TABLES

#: metrics where lower is better (everything else: higher is better)
LOWER_IS_BETTER = {"chamfer", "chamfer_l1", "rel_l2", "mse", "mse_heldout", "noisiness", "lpips", "wall_s"}


def _means(path: Path, metric: str) -> dict[str, float]:
    """Mean of ``metric`` per row label over the finished fits of a results.csv."""
    sums: dict[str, list[float]] = {}
    with path.open(newline="") as fh:
        for r in csv.DictReader(fh):
            try:
                value = float(r.get(metric, "nan"))
            except ValueError:
                continue
            if math.isfinite(value) and not r.get("error"):
                sums.setdefault(r["row"], []).append(value)
    return {row: sum(v) / len(v) for row, v in sums.items()}


def _best(values: dict[str, float], metric: str) -> str:
    """The row with the best value of ``metric``."""
    return (min if metric in LOWER_IS_BETTER else max)(values, key=values.get)


def _ranks(values: dict[str, float], metric: str) -> dict[str, int]:
    order = sorted(values, key=lambda k: values[k], reverse=metric not in LOWER_IS_BETTER)
    return {row: i + 1 for i, row in enumerate(order)}


def _tau(a: dict[str, float], b: dict[str, float]) -> tuple[float, int]:
    from scipy.stats import kendalltau

    common = sorted(set(a) & set(b))
    if len(common) < 2:
        return math.nan, len(common)
    tau = kendalltau([a[r] for r in common], [b[r] for r in common]).statistic
    return float(tau), len(common)


def ladder(table_name: str, root: Path) -> tuple[Path, str]:
    """Write ``root/<table>-ladder.md`` from the bench directories under ``root``; returns (path, text)."""
    table = TABLES.get(table_name)
    metric = table.metrics[0]
    paper = {r.label: r.paper[metric] for r in table.all_rows() if metric in r.paper}
    runs = {}
    for settings in ("paper", "tuned"):
        for scale in SCALES:
            path = root / (f"{table_name}-{scale}" + ("" if settings == "paper" else "-tuned")) / "results.csv"
            if path.exists():
                runs[(settings, scale)] = _means(path, metric)
    if not runs:
        raise InputError(f"no results of {table_name} under {root} (expected {table_name}-<scale>/results.csv)")
    better = "lower" if metric in LOWER_IS_BETTER else "higher"
    lines = [f"# {table_name}: ordering by scale", "", f"Metric: {metric} ({better} is better); rank in brackets.",
             ""]
    labels = [r.label for r in table.all_rows() if any(r.label in v for v in runs.values())]
    cols = list(runs)
    head = ["Method", *(["paper numbers"] if paper else []), *(f"{s} ({st})" for st, s in cols)]
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    ranks = {c: _ranks(runs[c], metric) for c in cols}
    paper_rank = _ranks({k: v for k, v in paper.items() if k in labels}, metric) if paper else {}
    for label in labels:
        cells = [label]
        if paper:
            cells.append(f"{paper[label]:.4g} ({paper_rank[label]})" if label in paper else "–")
        for c in cols:
            v = runs[c].get(label)
            cells.append(f"{v:.4g} ({ranks[c][label]})" if v is not None else "–")
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", *_verdicts(table_name, runs, paper, metric)]
    text = "\n".join(lines) + "\n"
    out = root / f"{table_name}-ladder.md"
    write_text(out, text)
    return out, text


def _verdicts(name: str, runs: dict[tuple[str, str], dict[str, float]], paper: dict[str, float],
              metric: str) -> list[str]:
    out = []
    for (settings, scale), values in runs.items():
        top = _best(values, metric)
        line = f"- {scale} scale, {settings} settings: best {top} ({values[top]:.4g})"
        if paper:
            tau, n = _tau(paper, values)
            ptop = _best(paper, metric)
            verdict = "holds" if top == ptop and tau > 0.6 else ("partly holds" if tau > 0 else "does not hold")
            line += (f"; the paper's ordering {verdict} (Kendall tau {tau:.2f} over {n} rows; the paper's best is "
                     f"{ptop})")
        out.append(line + ".")
    keys = list(runs)
    for a, b in zip(keys, keys[1:], strict=False):
        tau, n = _tau(runs[a], runs[b])
        out.append(f"- {a[1]}/{a[0]} vs {b[1]}/{b[0]}: Kendall tau {tau:.2f} over {n} rows.")
    return out

