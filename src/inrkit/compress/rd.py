"""Rate-distortion plot of a ``compress-kodak`` bench directory: bpp vs PSNR.

Each table row (an architecture) gives one curve through its quantisation levels (the mean bpp and
mean PSNR over the images of every level); the reference codecs (JPEG, WebP, AVIF) give one curve
each, averaged over the same images at equal quality settings. Usage::

    python -m inrkit.compress.rd BENCH_DIR [--out rd.png]

writes ``rd.png`` and ``rd.csv`` (every plotted point) into the bench directory.
"""

from __future__ import annotations

import argparse
import csv
import io
from collections import defaultdict
from pathlib import Path

import numpy as np

from inrkit.io import read_json, write_text


def collect(bench_dir: Path) -> tuple[dict[str, list[tuple[float, float, int]]], dict[str, list[tuple[float, float]]]]:
    """(INR curves by row: (bpp, psnr, bits) points; codec curves by codec: (bpp, psnr) points)."""
    with open(bench_dir / "results.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    inr: dict[str, dict[int, list[tuple[float, float]]]] = defaultdict(lambda: defaultdict(list))
    codec_pts: dict[str, dict[float, list[tuple[float, float]]]] = defaultdict(lambda: defaultdict(list))
    seen_signals: set[str] = set()
    for r in rows:
        if r.get("error"):
            continue
        for key, value in r.items():
            if key.startswith("bpp_b") and value not in ("", None):
                b = int(key[len("bpp_b"):])
                psnr = r.get(f"psnr_b{b}")
                if psnr not in ("", None):
                    inr[r["row"]][b].append((float(value), float(psnr)))
        if r["signal"] in seen_signals:
            continue
        seen_signals.add(r["signal"])
        metrics = read_json(Path(r["run_dir"]) / "metrics.json")
        for codec, points in (metrics.get("rd_codecs") or {}).items():
            for p in points:
                codec_pts[codec][p["quality"]].append((p["bpp"], p["psnr"]))
    n_signals = len(seen_signals)
    curves = {row: sorted((float(np.mean([p[0] for p in pts])), float(np.mean([p[1] for p in pts])), b)
                          for b, pts in levels.items()) for row, levels in inr.items()}
    codecs = {c: sorted((float(np.mean([p[0] for p in pts])), float(np.mean([p[1] for p in pts])))
                        for q, pts in by_q.items() if len(pts) == n_signals) for c, by_q in codec_pts.items()}
    return curves, codecs


def plot(bench_dir: Path, out: Path | None = None, max_bpp: float | None = None) -> Path:
    """Draw the RD plot and write ``rd.csv``; returns the PNG path."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    bench_dir = Path(bench_dir)
    curves, codecs = collect(bench_dir)
    top = max_bpp or 1.25 * max((p[0] for pts in curves.values() for p in pts), default=4.0)
    fig, ax = plt.subplots(figsize=(7.5, 5))
    for codec, pts in sorted(codecs.items()):
        pts = [p for p in pts if p[0] <= top]
        ax.plot([p[0] for p in pts], [p[1] for p in pts], "-", lw=2.5, color={"jpeg": "k", "webp": "tab:gray",
                                                                              "avif": "tab:brown"}.get(codec),
                label=codec.upper())
    for row, pts in sorted(curves.items()):
        ax.plot([p[0] for p in pts], [p[1] for p in pts], "o--", ms=4, lw=1, label=row)
    ax.set_xlabel("bits per pixel (whole file)")
    ax.set_ylabel("PSNR (dB)")
    ax.set_xlim(0, top)
    ax.grid(alpha=0.3)
    ax.set_title(f"Rate-distortion, {bench_dir.name} (INR points: 6/8/10/12/16-bit weights)", fontsize=9)
    ax.legend(fontsize=7, ncol=2)
    fig.tight_layout()
    out = Path(out or bench_dir / "rd.png")
    fig.savefig(out, dpi=130)
    plt.close(fig)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["curve", "bits_or_quality", "bpp", "psnr"])
    for row, pts in sorted(curves.items()):
        w.writerows([row, b, f"{x:.4f}", f"{y:.3f}"] for x, y, b in pts)
    for codec, pts in sorted(codecs.items()):
        w.writerows([codec, "", f"{x:.4f}", f"{y:.3f}"] for x, y in pts)
    write_text(out.with_suffix(".csv"), buf.getvalue())
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("bench_dir", type=Path)
    p.add_argument("--out", type=Path)
    p.add_argument("--max-bpp", type=float)
    args = p.parse_args(argv)
    print(f"wrote {plot(args.bench_dir, args.out, args.max_bpp)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
