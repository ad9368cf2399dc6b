"""Plots of a bench directory: convergence curves per row and quality against parameter count."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from inrkit.analysis.convergence import read_history
from inrkit.analysis.plots import pyplot
from inrkit.io import write_with


def _colors(labels: list[str]) -> dict[str, Any]:
    plt = pyplot()
    cmap = plt.get_cmap("tab10")
    return {label: cmap(i % 10) for i, label in enumerate(labels)}


def convergence_plot(path: Path, results: list[dict[str, Any]], metric: str) -> bool:
    """Loss and ``metric`` against step and against wall time; one thin line per fit, coloured by row."""
    histories = [(r["row"], read_history(Path(r["run_dir"]) / "history.csv")) for r in results if r.get("run_dir")]
    histories = [(label, h) for label, h in histories if h]
    if not histories:
        return False
    labels = list(dict.fromkeys(label for label, _ in histories))
    colors = _colors(labels)
    plt = pyplot()
    fig, axes = plt.subplots(2, 2, figsize=(11, 7), dpi=100)
    panels = [("loss", "step", axes[0, 0]), ("loss", "wall_s", axes[0, 1]),
              (metric, "step", axes[1, 0]), (metric, "wall_s", axes[1, 1])]
    for key, x, ax in panels:
        seen = set()
        for label, h in histories:
            pts = [(r[x], r[key]) for r in h if isinstance(r.get(key), float) and math.isfinite(r[key]) and x in r]
            if not pts:
                continue
            ax.plot(*zip(*pts, strict=True), color=colors[label], lw=1.0, alpha=0.8,
                    label=label if label not in seen else None)
            seen.add(label)
        ax.set_xlabel("step" if x == "step" else "wall time (s)")
        ax.set_ylabel(key)
        if key == "loss":
            ax.set_yscale("log")
        ax.grid(alpha=0.3)
    axes[0, 0].legend(fontsize=8)
    fig.suptitle(f"Convergence: loss and {metric} against step and wall time")
    fig.tight_layout()
    write_with(path, lambda p: fig.savefig(p, format="png"))
    plt.close(fig)
    return True


def scaling_plot(path: Path, results: list[dict[str, Any]], metric: str) -> bool:
    """``metric`` against trainable parameter count (log scale).

    Fits of one recipe at several sizes (a width sweep) are joined by a line through the per-size means;
    other rows are single markers (one per fit).
    """
    pts = [(str(r.get("recipe", r["row"])), r["row"], float(r["params"]), float(r[metric])) for r in results
           if isinstance(r.get("params"), (int, float)) and isinstance(r.get(metric), (int, float))
           and math.isfinite(r[metric]) and r["params"] > 0]
    if not pts:
        return False
    recipes = list(dict.fromkeys(p[0] for p in pts))
    colors = _colors(recipes)
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(7, 4.5), dpi=100)
    for recipe in recipes:
        mine = [p for p in pts if p[0] == recipe]
        sizes = sorted({p[2] for p in mine})
        ax.scatter([p[2] for p in mine], [p[3] for p in mine], color=colors[recipe], s=14, alpha=0.5)
        if len(sizes) > 1:
            means = [sum(p[3] for p in mine if p[2] == s) / sum(1 for p in mine if p[2] == s) for s in sizes]
            ax.plot(sizes, means, "-o", color=colors[recipe], ms=4, label=recipe)
        else:
            ax.scatter([], [], color=colors[recipe], label=", ".join(dict.fromkeys(p[1] for p in mine)))
    ax.set_xscale("log")
    ax.set_xlabel("trainable parameters")
    ax.set_ylabel(metric)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    ax.set_title(f"{metric} against model size")
    fig.tight_layout()
    write_with(path, lambda p: fig.savefig(p, format="png"))
    plt.close(fig)
    return True
