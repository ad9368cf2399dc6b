"""Run a benchmark table on an executor and write ``results.csv`` and ``summary.md``.

Each fit gets its own run directory ``DIR/runs/<row>/<signal>/seed<k>``, written atomically (built in
``seed<k>.partial`` and renamed when complete, see ``bench/executors.py``). Reruns skip finished fits
and resume the interrupted ones from their checkpoints; ``results.csv`` is rewritten after every fit,
in plan order, so a killed bench leaves a consistent file of what finished. Rows are built from the
``RunResult`` each executor returns (metrics and history in memory); only fits finished by an earlier
run are read back from their directories. ``--set`` items are parsed once per bench, not per job.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from inrkit.analysis.convergence import time_to_quality
from inrkit.bench.executors import FitSpec, execute_fit, finished_result, is_finished, make_executor
from inrkit.bench.rerun import check_finished
from inrkit.bench.summary import results_csv, summary_md
from inrkit.bench.tables import SCALES, Row, TableSpec
from inrkit.config import override, parse_value, to_dict
from inrkit.errors import InputError
from inrkit.io import json_safe, write_json, write_text
from inrkit.recipes.tuned import apply_settings
from inrkit.registry import RECIPES, TABLES
from inrkit.train.result import RunResult
from inrkit.train.run import RunConfig

#: ``--set`` items parsed once: (dotted key, value) pairs
Sets = tuple[tuple[str, Any], ...]
#: evaluations per bench fit at least (the report's convergence curves plot only evaluated steps).
MIN_EVALS = 20


def slug(text: str) -> str:
    """File-system friendly name of a row label or signal source."""
    stem = text.rsplit("/", 1)[-1].rsplit(".", 1)[0] if "/" in text or "." in text else text
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", stem.replace("builtin:", "")).strip("-") or "x"


def parse_sets(items: tuple[str, ...]) -> Sets:
    """``KEY=VALUE`` items as (key, value) pairs, each value parsed once.

    A value that parses to text is kept as written, so that ``override`` reads it exactly as
    ``inrkit fit --set`` does.
    """
    out = []
    for item in items:
        key, sep, text = item.partition("=")
        if not sep or not key.strip():
            raise InputError(f"--set expects KEY=VALUE, got {item!r}")
        value = parse_value(text)
        out.append((key.strip(), text if isinstance(value, str) else value))
    return tuple(out)


@dataclass(frozen=True)
class Job:
    """One fit of a table: (row, signal, seed)."""

    table: str
    row: Row
    signal: str
    seed: int
    scale: str
    run_dir: Path
    #: settings column: "paper" (the recipe as stated) or "tuned" (``inrkit.recipes.tuned``).
    settings: str = "paper"

    def config(self, device: str = "auto", sets: Sets = ()) -> RunConfig:
        cfg = RECIPES.get(self.row.recipe).config(self.scale, self.signal)
        cfg = apply_settings(cfg, self.row.recipe, self.scale, self.settings)
        for key, value in self.row.overrides.items():
            cfg = override(cfg, key, value)
        cfg = override(cfg, "trainer.seed", self.seed)
        cfg = override(cfg, "trainer.device", device)
        cfg = override(cfg, "trainer.progress", False)
        if isinstance(cfg, RunConfig):  # (a classical baseline, ``train.baseline``, trains and evaluates nothing)
            steps, every = cfg.trainer.steps, cfg.trainer.eval_every
            if every > 0 and steps // every < MIN_EVALS:  # convergence curves of at least MIN_EVALS points
                cfg = override(cfg, "trainer.eval_every", max(1, steps // MIN_EVALS))
        for key, value in sets:
            cfg = override(cfg, key, value)
        return cfg


def plan(table: TableSpec, scale: str, seeds: int | None, out: Path,
         rows: tuple[str, ...] | None = None, settings: str = "paper", n_signals: int | None = None) -> list[Job]:
    """Every (row, signal, seed) fit of a table at a scale; ``rows`` keeps only the named row labels and
    ``n_signals`` the first signals of the scale."""
    if scale not in SCALES:
        raise InputError(f"unknown scale {scale!r}; choose one of: {', '.join(SCALES)}")
    if scale not in table.signals:
        raise InputError(f"table {table.name} has no {scale} scale; it has: {', '.join(table.signals)}")
    n_seeds = seeds if seeds is not None else table.seeds.get(scale, 1)
    if n_seeds < 1:
        raise InputError("--seeds must be at least 1")
    labels = [r.label for r in table.all_rows()]
    unknown = [r for r in rows or () if r not in labels]
    if unknown:
        raise InputError(f"unknown row(s) {', '.join(unknown)} of table {table.name}; rows: {', '.join(labels)}")
    jobs = []
    for row in table.all_rows():
        if rows and row.label not in rows:
            continue
        for sig in table.signals[scale][:n_signals]:
            for seed in range(n_seeds):
                jobs.append(Job(table.name, row, sig, seed, scale,
                                out / "runs" / slug(row.label) / slug(sig) / f"seed{seed}", settings))
    return jobs


def result_row(job: Job, result: RunResult) -> dict[str, Any]:
    """One results.csv row: ids, the fit's scalar metrics (as metrics.json holds them), time-to-quality
    (from the fit's history), run directory."""
    table: TableSpec = TABLES.get(job.table)
    levels = table.quality_levels
    metrics = json_safe(result.metrics)
    quality = time_to_quality(result.history, table.quality_metric, levels) if levels else {}
    return {"table": job.table, "row": job.row.label, "recipe": job.row.recipe, "signal": slug(job.signal),
            "seed": job.seed, "scale": job.scale, "settings": job.settings,
            **{k: v for k, v in metrics.items() if not isinstance(v, (dict, list))}, **quality,
            "run_dir": str(job.run_dir)}


def fit_spec(job: Job, device: str = "auto", sets: Sets = ()) -> FitSpec:
    """The job as self-contained data for an executor (absolute run directory)."""
    return FitSpec(key=str(job.run_dir), config=to_dict(job.config(device, sets)),
                   run_dir=str(job.run_dir.resolve()))


def run_job(job: Job, device: str = "auto", sets: Sets = ()) -> dict[str, Any]:
    """Run (or skip, or resume) one fit in this process and return its results row."""
    return result_row(job, execute_fit(fit_spec(job, device, sets)))


def run_table(name: str, scale: str = "quick", out: Path | None = None, seeds: int | None = None,
              device: str = "auto", extra: tuple[str, ...] = (), progress: bool = True,
              rows: tuple[str, ...] | None = None, executor: str = "local", workers: int = 1,
              address: str | None = None, ensemble: int = 0, compile: bool = False,
              settings: str = "paper", n_signals: int | None = None) -> list[dict[str, Any]]:
    """Run every fit of a table (skipping finished ones) and write results.csv and summary.md.

    ``ensemble=E`` (E >= 2, local executor) fits up to E compatible jobs of a row as one batched model
    (``train/ensemble.py``; ``compile`` compiles its batched step); jobs that cannot be batched run alone.
    """
    table: TableSpec = TABLES.get(name)
    out = Path(out or f"bench/{name}-{scale}" + ("" if settings == "paper" else f"-{settings}"))
    sets = parse_sets(extra)
    jobs = plan(table, scale, seeds, out, rows, settings, n_signals)
    # every job's config is built once, here: a bad --set or a missing tuned entry fails before any fit
    specs = {str(j.run_dir): fit_spec(j, device, sets) for j in jobs}
    out.mkdir(parents=True, exist_ok=True)
    # what this invocation asked for beyond the table (the report prints it beside the results)
    write_json(out / "bench.json", {"table": name, "scale": scale, "settings": settings, "sets": list(extra),
                                    "seeds": seeds, "rows": list(rows) if rows else None, "n_signals": n_signals})
    finished: dict[str, dict[str, Any]] = {}
    todo: list[FitSpec] = []
    for job in jobs:
        spec = specs[str(job.run_dir)]
        if is_finished(job.run_dir):  # reused only when made with the same settings
            check_finished(job.run_dir, spec.config)
            finished[str(job.run_dir)] = result_row(job, finished_result(job.run_dir))
        else:
            todo.append(spec)
    by_key = {str(j.run_dir): j for j in jobs}

    def ordered() -> list[dict[str, Any]]:
        return [finished[str(j.run_dir)] for j in jobs if str(j.run_dir) in finished]

    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(jobs), initial=len(finished), desc=name, unit="fit", disable=None)
    try:
        if ensemble >= 2 and executor == "local":
            from inrkit.bench.ensembles import run_ensembles

            stream = run_ensembles(todo, ensemble, compile)
        else:
            stream = make_executor(executor, workers, address).map(todo)
        for spec, result in stream:
            job = by_key[spec.key]
            finished[spec.key] = result_row(job, result)
            write_text(out / "results.csv", results_csv(ordered()))
            if bar is not None:
                bar.set_postfix_str(f"{job.row.label} {slug(job.signal)} seed{job.seed}")
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    results = ordered()
    write_text(out / "results.csv", results_csv(results))
    write_text(out / "summary.md", summary_md(table, results, scale))
    for r in results:
        if r.get("error"):
            print(f"inrkit: warning: fit failed ({r['row']}, {r['signal']}, seed {r['seed']}): {r['error']}; "
                  "rerun the bench to retry it", file=sys.stderr)
    return results
