"""Training-curve plots (matplotlib, Agg backend): loss and PSNR against step and wall time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from inrkit.io import write_with


def pyplot():
    """matplotlib.pyplot on the non-interactive Agg backend (no display needed)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt


def save_figure(fig: Any, path: Path, **savefig: Any) -> None:
    """Write ``fig`` as a PNG to ``path`` atomically (``io.write_with``: no half-written file) and close it."""
    write_with(Path(path), lambda p: fig.savefig(p, **{"format": "png", **savefig}))
    pyplot().close(fig)


def plot_curve(path: Path, history: list[dict[str, Any]], key: str, ylabel: str, log: bool = False) -> bool:
    """Plot ``key`` against step (and wall time on a twin axis); False when the key is absent."""
    rows = [r for r in history if r.get(key) is not None]
    if not rows:
        return False
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6, 3.6), dpi=110)
    ax.plot([r["step"] for r in rows], [r[key] for r in rows], color="tab:blue", lw=1.4)
    ax.set_xlabel("step")
    ax.set_ylabel(ylabel)
    if log:
        ax.set_yscale("log")
    ax.grid(alpha=0.3)
    top = ax.secondary_xaxis("top")
    if len(rows) > 1 and rows[-1]["step"] > rows[0]["step"]:
        s0, s1 = rows[0]["step"], rows[-1]["step"]
        w0, w1 = rows[0]["wall_s"], rows[-1]["wall_s"]
        rate = (w1 - w0) / (s1 - s0) if s1 > s0 else 0.0
        if rate > 0:
            top.set_xlabel("wall time (s, approx.)", fontsize=8)
            top.set_xticks(ax.get_xticks())
            top.set_xticklabels([f"{w0 + (t - s0) * rate:.0f}" for t in ax.get_xticks()], fontsize=7)
    fig.tight_layout()
    save_figure(fig, path)
    return True


def plot_history(history: list[dict[str, Any]], out_dir: Path) -> list[str]:
    """Write ``loss.png``, ``psnr.png`` and (shapes) ``iou.png`` into ``out_dir``; returns the written file names."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    if plot_curve(out_dir / "loss.png", history, "loss", "training loss", log=True):
        written.append("plots/loss.png")
    if plot_curve(out_dir / "psnr.png", history, "psnr", "PSNR (dB)"):
        written.append("plots/psnr.png")
    if plot_curve(out_dir / "iou.png", history, "iou", "IoU"):
        written.append("plots/iou.png")
    return written
