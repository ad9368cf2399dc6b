"""Plots of a bench directory: convergence curves per row, quality against parameter count and the rows'
empirical NTK spectra at initialisation (``analysis/ntk_run.py``; Jacot et al. 2018, MSA Fig. 2b)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from inrkit.analysis.convergence import read_history
from inrkit.analysis.plots import pyplot, save_figure
from inrkit.io import read_json


def _colors(labels: list[str]) -> dict[str, Any]:
    plt = pyplot()
    cmap = plt.get_cmap("tab10")
    return {label: cmap(i % 10) for i, label in enumerate(labels)}


def seed_band(histories: list[list[dict[str, Any]]], key: str, x: str) -> list[tuple[float, float, float]]:
    """``(x, mean, std)`` over seeds at the steps every seed evaluated (nothing interpolated)."""
    per_seed = [{r["step"]: r for r in h if isinstance(r.get(key), float) and math.isfinite(r[key]) and x in r}
                for h in histories]
    steps = sorted(set.intersection(*(set(d) for d in per_seed))) if per_seed else []
    out = []
    for s in steps:
        xs = [d[s][x] for d in per_seed]
        ys = [d[s][key] for d in per_seed]
        mean = sum(ys) / len(ys)
        out.append((sum(xs) / len(xs), mean, math.sqrt(sum((y - mean) ** 2 for y in ys) / len(ys))))
    return out


def convergence_plot(path: Path, results: list[dict[str, Any]], metric: str) -> bool:
    """Loss and ``metric`` against step and wall time: per row and signal, the mean over seeds with a
    +/- one standard deviation band, a marker at every evaluation, one labelled line per row."""
    groups: dict[tuple[str, str], list] = {}
    for r in results:
        h = read_history(Path(r["run_dir"]) / "history.csv") if r.get("run_dir") else []
        if h:
            groups.setdefault((r["row"], str(r.get("signal", ""))), []).append(h)
    if not groups:
        return False
    labels = list(dict.fromkeys(row for row, _ in groups))
    colors = _colors(labels)
    plt = pyplot()
    fig, axes = plt.subplots(2, 2, figsize=(12, 8), dpi=100)
    panels = [("loss", "step", axes[0, 0]), ("loss", "wall_s", axes[0, 1]),
              (metric, "step", axes[1, 0]), (metric, "wall_s", axes[1, 1])]
    for key, x, ax in panels:
        seen = set()
        for (label, _signal), hs in groups.items():
            band = seed_band(hs, key, x)
            if not band:
                continue
            xs, mean, std = zip(*band, strict=True)
            name = f"{label} (mean of {len(hs)} seed{'s' if len(hs) > 1 else ''})"
            ax.plot(xs, mean, "-o", ms=2.5, color=colors[label], lw=1.2, label=name if label not in seen else None)
            if len(hs) > 1:
                ax.fill_between(xs, [m - s for m, s in zip(mean, std, strict=True)],
                                [m + s for m, s in zip(mean, std, strict=True)], color=colors[label], alpha=0.2)
            seen.add(label)
        ax.set_xlabel("step" if x == "step" else "wall time (s)")
        ax.set_ylabel(key)
        if key == "loss":
            ax.set_yscale("log")
        ax.grid(alpha=0.3)
        if seen:
            ax.legend(fontsize=7)
    fig.suptitle(f"Convergence: loss and {metric} against step and wall time (mean +/- std over seeds)")
    fig.tight_layout()
    save_figure(fig, path)
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
    save_figure(fig, path)
    return True


def init_spectra(results: list[dict[str, Any]]) -> dict[str, tuple[list[float], str]]:
    """Per row, the init NTK eigenvalues of its first signal's lowest seed (``RUN/ntk.json``) and that signal."""
    first_signal: dict[str, str] = {}
    for r in results:
        first_signal.setdefault(r["row"], str(r.get("signal", "")))
    out: dict[str, tuple[list[float], str]] = {}
    for r in sorted(results, key=lambda r: r.get("seed", 0)):
        row, path = r["row"], Path(r.get("run_dir", "")) / "ntk.json"
        if row in out or str(r.get("signal", "")) != first_signal[row] or not r.get("run_dir") or not path.is_file():
            continue
        ev = read_json(path).get("init")
        if ev and ev[0] > 0:
            out[row] = (ev, first_signal[row])
    return out


def ntk_plot(path: Path, results: list[dict[str, Any]]) -> bool:
    """Every row's normalised init NTK spectrum ``lambda_k / lambda_1`` against ``k`` (log y), one line per row."""
    from inrkit.analysis.ntk_run import draw_spectra

    spectra = init_spectra(results)
    if not spectra:
        return False
    colors = _colors(list(spectra))
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(7, 4.5), dpi=100)
    signals = sorted({s for _, s in spectra.values()})
    draw_spectra(ax, [(ev, f"{row} ({len(ev)} points)", {"color": colors[row], "lw": 1.3})
                      for row, (ev, _signal) in spectra.items()],
                 f"Empirical NTK spectrum at initialisation ({', '.join(signals)})")
    fig.tight_layout()
    save_figure(fig, path)
    return True
