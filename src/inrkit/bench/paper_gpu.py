"""The paper-scale GPU run: one prepared command (``make paper-gpu``) sized for about 8 minutes on an H200.

It fits, at ``--scale paper`` (published protocols, one seed):

* ``sasnet-table1``: SIREN, FINER, WIRE and SASNet on the first 4 DIV2K 512^2 crops, 5000 full-batch steps;
* ``msa-image``: SIREN, WIRE, FINER and MSA on 3 Kodak images (768 x 512), 1500 steps;
* ``scone-image``: SIREN and SCONE on the same 3 Kodak images, 10,000 steps (the table's other rows
  do not fit the budget);

each row's 4 (or 3) images batched as one vmapped ensemble (``--ensemble``), float32 matmuls at
"high" precision (TF32 on NVIDIA GPUs; the estimate below shows strict FP32 does not fit), and writes
``results.csv``, ``summary.md`` per table and ``environment.json`` (GPU, torch, CUDA) under ``--out``.

``--estimate`` (and any run without CUDA) prints the plan's FLOP count, measured per point and step
with ``torch.utils.flop_counter`` on the CPU (a complex matmul counted as 4 real ones), and the time at
an assumed sustained rate (``--tflops``), then exits 2 when no GPU is present.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
from pathlib import Path

import torch

#: (table, row labels, number of signals)
PLAN = (
    ("sasnet-table1", ("SIREN", "FINER", "WIRE", "SASNet"), 4),
    ("msa-image", ("SIREN", "WIRE", "FINER", "MSA"), 3),
    ("scone-image", ("SIREN", "SCONE"), 3),
)


def flops_per_point_step(recipe: str, points: int = 2048) -> float:
    """Forward + backward FLOPs per point and step of a recipe's paper-scale field (CPU measurement)."""
    from torch.utils.flop_counter import FlopCounterMode

    from inrkit.registry import FIELDS, RECIPES

    field = FIELDS.create(RECIPES.get(recipe).config("paper").field)
    x = torch.rand(points, field.in_features) * 2 - 1
    with FlopCounterMode(display=False) as counter:
        field(x).square().mean().backward()
    complex_factor = 4.0 if any(p.is_complex() for p in field.parameters()) else 1.0
    return counter.get_total_flops() * complex_factor / points


def estimate(tflops: float) -> tuple[list[dict], float]:
    """Per-row FLOPs of the plan and the total seconds at ``tflops`` sustained."""
    from inrkit.registry import RECIPES, TABLES
    from inrkit.signals import load_signal

    rows = []
    for table, labels, n in PLAN:
        spec = TABLES.get(table)
        for row in (r for r in spec.all_rows() if r.label in labels):
            cfg = RECIPES.get(row.recipe).config("paper", spec.signals["paper"][0])
            sig = load_signal(cfg.signal.source, cfg.signal.max_side, cfg.signal.crop, cfg.signal.stride)
            points = int(sig.values[..., 0].size)
            total = flops_per_point_step(row.recipe) * points * cfg.trainer.steps * n
            rows.append({"table": table, "row": row.label, "points": points, "steps": cfg.trainer.steps,
                         "signals": n, "flops": total})
    return rows, sum(r["flops"] for r in rows) / (tflops * 1e12)


def environment() -> dict:
    info = {"torch": torch.__version__, "cuda": torch.version.cuda, "python": platform.python_version(),
            "matmul_precision": torch.get_float32_matmul_precision()}
    if torch.cuda.is_available():
        info["gpu"] = torch.cuda.get_device_name(0)
        info["cudnn"] = torch.backends.cudnn.version()
    return info


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m inrkit.bench.paper_gpu", description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, default=Path("results/paper-gpu"))
    p.add_argument("--estimate", action="store_true", help="print the FLOP estimate only")
    p.add_argument("--tflops", type=float, default=150.0,
                   help="assumed sustained TFLOP/s for the estimate (H200: ~495 TF32 / ~67 FP32 dense peak)")
    p.add_argument("--ensemble", type=int, default=4)
    args = p.parse_args(argv)
    import inrkit  # noqa: F401  (registers tables)

    rows, seconds = estimate(args.tflops)
    for r in rows:
        print(f"{r['table']:14s} {r['row']:7s} {r['signals']} x {r['points']:,} points x {r['steps']:,} steps: "
              f"{r['flops']:.2e} FLOP")
    total = sum(r["flops"] for r in rows)
    print(f"total {total:.2e} FLOP: {seconds:.0f} s at {args.tflops:g} TFLOP/s sustained "
          f"({total / 67e12:.0f} s at the H200's FP32 dense peak)")
    if args.estimate:
        return 0
    if not torch.cuda.is_available():
        print("paper_gpu: no CUDA device here; the estimate above is all this machine can do", file=sys.stderr)
        return 2
    from inrkit.bench.runner import run_table

    torch.set_float32_matmul_precision("high")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "environment.json").write_text(json.dumps(environment(), indent=1) + "\n")
    for table, labels, n in PLAN:
        run_table(table, "paper", args.out / table, seeds=1, device="cuda", rows=labels, n_signals=n,
                  ensemble=args.ensemble, progress=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
