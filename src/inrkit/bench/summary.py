"""Bench outputs: ``results.csv`` (one row per recipe x signal x seed) and ``summary.md``."""

from __future__ import annotations

import csv
import io
import math
from collections import defaultdict
from typing import Any

import numpy as np

from inrkit.bench.tables import TableSpec

ID_COLUMNS = ("table", "row", "recipe", "signal", "seed", "scale")


def results_csv(rows: list[dict[str, Any]]) -> str:
    keys = list(ID_COLUMNS)
    for r in rows:
        keys.extend(k for k in r if k not in keys and not isinstance(r[k], (dict, list)))
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=keys, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def _fmt(metric: str, value: float) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if metric in ("params", "params_frozen", "steps"):
        return f"{int(round(value)):,}"
    if metric == "wall_s":
        return f"{value:.1f}"
    if metric.startswith("ssim"):
        return f"{value:.4f}"
    if abs(value) < 1e-2 and value != 0:
        return f"{value:.3e}"
    return f"{value:.2f}" if metric.startswith("psnr") else f"{value:.3f}"


def aggregate(rows: list[dict[str, Any]], metric: str) -> dict[str, tuple[float, float, int]]:
    """Per table row: mean over signals of the per-signal seed means, population std, count."""
    per: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        v = r.get(metric)
        if isinstance(v, (int, float)) and math.isfinite(v):
            per[r["row"]][r["signal"]].append(float(v))
    out = {}
    for label, sigs in per.items():
        vals = [float(np.mean(v)) for v in sigs.values()]
        out[label] = (float(np.mean(vals)), float(np.std(vals)), len(vals))
    return out


def _settings_lines(rows: list[dict[str, Any]], scale: str) -> list[str]:
    """Which settings column the fits used; for tuned settings, the trial budget and search space."""
    used = sorted({r.get("settings", "paper") for r in rows})
    if used in ([], ["paper"]):
        return ["Settings: paper (each method as its paper or official code states it).", ""]
    from inrkit.recipes.tuned import load_tuned, recipe_protocol
    from inrkit.registry import RECIPES

    lines = [f"Settings: {', '.join(used)}."]
    for family in sorted({RECIPES.get(r["recipe"]).kind for r in rows if r.get("recipe") in RECIPES}):
        data = load_tuned(family, scale)
        protocols = sorted({recipe_protocol(r["recipe"]) for r in rows if r.get("recipe") in data["recipes"]})
        budgets = {p: data["budgets"][p] for p in protocols if p in data["budgets"]} or \
            ({family: data["budget"]} if data["budget"] else {})
        for name, b in budgets.items():
            lines.append(f"Tuned ({name}): {b.get('trials')} trials x {b.get('steps')} steps per method, "
                         f"{b.get('sampler')} sampler, {b.get('pruner')} pruner, on {', '.join(b.get('signals', []))}.")
        for recipe in sorted({r["recipe"] for r in rows} & set(data["recipes"])):
            space = ", ".join(f"{k} {tuple(v.get('log', v.get('choices', ())))}"
                              for k, v in data["recipes"][recipe].get("space", {}).items())
            lines.append(f"- {recipe}: {space}")
    return [*lines, ""]


def summary_md(table: TableSpec, rows: list[dict[str, Any]], scale: str) -> str:
    """The table as in the paper: mean ± std per row, paper numbers beside ours."""
    metrics = table.metrics
    aggs = {m: aggregate(rows, m) for m in metrics}
    signals = sorted({r["signal"] for r in rows})
    seeds = sorted({r["seed"] for r in rows})
    has_paper = any(m in row.paper for row in table.all_rows() for m in metrics)
    lines = [f"# {table.name} ({scale} scale)", "", table.description, ""]
    if table.reference:
        lines += [f"Protocol: {table.reference}", ""]
    lines += _settings_lines(rows, scale)
    lines += [f"Signals ({len(signals)}): {', '.join(signals)}; seeds: {', '.join(map(str, seeds))}. "
              "Values are means over signals (each the mean over seeds) ± population std over signals.", ""]
    head = ["Method"]
    for m in metrics:
        head.append(m)
        if has_paper and any(m in row.paper for row in table.all_rows()):
            head.append(f"{m} (paper)")
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in table.all_rows():
        cells = [row.label]
        for m in metrics:
            mean_std_n = aggs[m].get(row.label)
            if mean_std_n is None:
                cells.append("–")
            else:
                mean, std, n = mean_std_n
                cell = _fmt(m, mean)
                if n > 1 and m not in ("params", "params_frozen", "steps"):
                    cell += f" ± {_fmt(m, std)}"
                cells.append(cell)
            if has_paper and any(m in r.paper for r in table.all_rows()):
                cells.append(_fmt(m, row.paper[m]) if m in row.paper else "–")
        lines.append("| " + " | ".join(cells) + " |")
    if table.paper_label and has_paper:
        lines += ["", f"Paper numbers: {table.paper_label}."]
    if scale == "quick":
        lines += ["", "Quick scale: downsampled signals, smaller networks and fewer steps than the papers"
                  + ("; compare orderings, not absolute values, with the paper column." if has_paper else ".")]
    primary = metrics[0]
    lines += ["", f"## Per signal ({primary})", "", "| Method | " + " | ".join(signals) + " |",
              "|" + "---|" * (len(signals) + 1)]
    for row in table.all_rows():
        cells = [row.label]
        for s in signals:
            vals = [r[primary] for r in rows if r["row"] == row.label and r["signal"] == s
                    and isinstance(r.get(primary), (int, float))]
            cell = _fmt(primary, float(np.mean(vals))) if vals else "–"
            if f"{primary}@{s}" in row.paper:  # per-signal paper numbers, keyed "<metric>@<signal slug>"
                cell += f" (paper {_fmt(primary, row.paper[f'{primary}@{s}'])})"
            cells.append(cell)
        lines.append("| " + " | ".join(cells) + " |")
    lines += time_to_quality_md(table, rows)
    return "\n".join(lines) + "\n"


def time_to_quality_md(table: TableSpec, rows: list[dict[str, Any]]) -> list[str]:
    """Mean wall time to first reach each quality level, over the fits that reached it (k/n)."""
    from inrkit.analysis.convergence import level_name

    levels = table.quality_levels
    if not levels:
        return []
    metric = table.quality_metric
    lines = ["", f"## Time to quality ({metric})", "",
             "Wall seconds to the first evaluation at or above each level: mean over the fits that reached it "
             "(reached/all); resolution = the evaluation interval.", "",
             "| Method | " + " | ".join(f"≥ {lv:g}" for lv in levels) + " |", "|" + "---|" * (len(levels) + 1)]
    for row in table.all_rows():
        fits = [r for r in rows if r["row"] == row.label]
        if not fits:
            continue
        cells = [row.label]
        for lv in levels:
            key = f"time_to_{level_name(metric, lv)}"
            hit = [float(r[key]) for r in fits if isinstance(r.get(key), (int, float)) and math.isfinite(r[key])]
            cells.append(f"{np.mean(hit):.1f} s ({len(hit)}/{len(fits)})" if hit else f"– (0/{len(fits)})")
        lines.append("| " + " | ".join(cells) + " |")
    return lines
