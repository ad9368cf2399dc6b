"""Run a benchmark table with the local executor and write ``results.csv`` and ``summary.md``.

Each fit gets its own run directory ``DIR/runs/<row>/<signal>/seed<k>``. Reruns skip fits whose
``metrics.json`` exists and resume fits that were interrupted (their checkpoint is continued).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from inrkit.bench.summary import results_csv, summary_md
from inrkit.bench.tables import SCALES, Row, TableSpec
from inrkit.config import override
from inrkit.errors import InputError
from inrkit.io import read_json, write_text
from inrkit.registry import RECIPES, TABLES
from inrkit.train.run import RunConfig, fit


def slug(text: str) -> str:
    """File-system friendly name of a row label or signal source."""
    stem = text.rsplit("/", 1)[-1].rsplit(".", 1)[0] if "/" in text or "." in text else text
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", stem.replace("builtin:", "")).strip("-") or "x"


@dataclass(frozen=True)
class Job:
    """One fit of a table: (row, signal, seed)."""

    table: str
    row: Row
    signal: str
    seed: int
    scale: str
    run_dir: Path

    def config(self, device: str = "auto", extra: tuple[str, ...] = ()) -> RunConfig:
        cfg = RECIPES.get(self.row.recipe).config(self.scale, self.signal)
        for key, value in self.row.overrides.items():
            cfg = override(cfg, key, value)
        cfg = override(cfg, "trainer.seed", self.seed)
        cfg = override(cfg, "trainer.device", device)
        cfg = override(cfg, "trainer.progress", False)
        for item in extra:
            key, _, value = item.partition("=")
            cfg = override(cfg, key, value)
        return cfg


def plan(table: TableSpec, scale: str, seeds: int | None, out: Path,
         rows: tuple[str, ...] | None = None) -> list[Job]:
    """Every (row, signal, seed) fit of a table at a scale; ``rows`` keeps only the named row labels."""
    if scale not in SCALES:
        raise InputError(f"unknown scale {scale!r}; choose one of: {', '.join(SCALES)}")
    n_seeds = seeds if seeds is not None else table.seeds.get(scale, 1)
    if n_seeds < 1:
        raise InputError("--seeds must be at least 1")
    labels = [r.label for r in table.rows]
    unknown = [r for r in rows or () if r not in labels]
    if unknown:
        raise InputError(f"unknown row(s) {', '.join(unknown)} of table {table.name}; rows: {', '.join(labels)}")
    jobs = []
    for row in table.rows:
        if rows and row.label not in rows:
            continue
        for sig in table.signals[scale]:
            for seed in range(n_seeds):
                jobs.append(Job(table.name, row, sig, seed, scale,
                                out / "runs" / slug(row.label) / slug(sig) / f"seed{seed}"))
    return jobs


def result_row(job: Job, metrics: dict[str, Any]) -> dict[str, Any]:
    return {"table": job.table, "row": job.row.label, "recipe": job.row.recipe, "signal": slug(job.signal),
            "seed": job.seed, "scale": job.scale,
            **{k: v for k, v in metrics.items() if not isinstance(v, (dict, list))},
            "run_dir": str(job.run_dir)}


def run_job(job: Job, device: str = "auto", extra: tuple[str, ...] = ()) -> dict[str, Any]:
    """Run (or skip, or resume) one fit and return its results row."""
    done = job.run_dir / "metrics.json"
    if not done.exists():
        resume = (job.run_dir / "config.json").exists()
        fit(job.config(device, extra), job.run_dir, resume=resume)
    return result_row(job, read_json(done))


def run_table(name: str, scale: str = "quick", out: Path | None = None, seeds: int | None = None,
              device: str = "auto", extra: tuple[str, ...] = (), progress: bool = True,
              rows: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
    """Run every fit of a table (skipping finished ones) and write results.csv and summary.md."""
    table: TableSpec = TABLES.get(name)
    out = Path(out or f"bench/{name}-{scale}")
    jobs = plan(table, scale, seeds, out, rows)
    out.mkdir(parents=True, exist_ok=True)
    results: list[dict[str, Any]] = []
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(jobs), desc=name, unit="fit", disable=None)
    try:
        for job in jobs:
            if bar is not None:
                bar.set_postfix_str(f"{job.row.label} {slug(job.signal)} seed{job.seed}")
            results.append(run_job(job, device, extra))
            write_text(out / "results.csv", results_csv(results))
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    write_text(out / "summary.md", summary_md(table, results, scale))
    return results
