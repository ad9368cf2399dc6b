"""Bench fits as ensembles: group a table's pending fits that differ only in seed and signal into
batched ensembles of up to E members (``train/ensemble.py``); everything else runs one by one.

Members are written to ``<run_dir>.partial`` and renamed when the whole ensemble has finished.
A fit that has an interrupted partial directory with a checkpoint resumes alone (ensembles keep no
checkpoints), and a group that cannot be batched (task without ensemble support, different sample
shapes) falls back to single fits.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

from inrkit.bench.executors import FitSpec, is_finished, partial_dir, portable, safe_execute_fit
from inrkit.train.checkpoint import has_checkpoint
from inrkit.train.ensemble import EnsembleError, compat_key, fit_ensemble
from inrkit.train.result import RunResult
from inrkit.train.run import run_config_from_dict


def groups(specs: list[FitSpec], size: int) -> list[list[FitSpec]]:
    """Chunks of at most ``size`` compatible specs, in plan order of their first member."""
    by_key: dict[str, list[FitSpec]] = {}
    for s in specs:
        by_key.setdefault(compat_key(run_config_from_dict(s.config)), []).append(s)
    out = []
    for members in by_key.values():
        out += [members[i:i + size] for i in range(0, len(members), size)]
    return out


def _resumable(spec: FitSpec) -> bool:
    work = partial_dir(Path(spec.run_dir))
    return has_checkpoint(work) or has_checkpoint(Path(spec.run_dir))


def run_ensembles(specs: list[FitSpec], size: int, compile: bool = False) -> Iterator[tuple[FitSpec, RunResult]]:
    """Yield ``(spec, result)`` for every spec, fitting compatible groups as ensembles."""
    for group in groups(specs, size):
        fresh = [s for s in group if not is_finished(Path(s.run_dir)) and not _resumable(s)]
        for s in group:
            if s not in fresh:
                yield s, safe_execute_fit(s)
        if len(fresh) < 2:
            for s in fresh:
                yield s, safe_execute_fit(s)
            continue
        works = [partial_dir(Path(s.run_dir)) for s in fresh]
        for w, s in zip(works, fresh, strict=False):
            for d in (w, Path(s.run_dir)):  # leftovers of a killed ensemble (no checkpoint: nothing to keep)
                if d.exists():
                    shutil.rmtree(d)
        try:
            results = fit_ensemble([run_config_from_dict(s.config) for s in fresh], works, compile=compile)
        except Exception as e:  # not batchable, or one member failed: fit them one by one
            if not isinstance(e, EnsembleError):
                print(f"inrkit: warning: ensemble failed ({type(e).__name__}: {e}); fitting its members one by one",
                      file=sys.stderr)
            for w in works:
                if w.exists():
                    shutil.rmtree(w)
            for s in fresh:
                yield s, safe_execute_fit(s)
            continue
        for w, s, r in zip(works, fresh, results, strict=True):
            os.replace(w, s.run_dir)
            yield s, portable(r, s.run_dir)
