"""Executors: where the fits of a benchmark run, behind one interface.

An executor takes a list of ``FitSpec`` (a resolved config as data plus its run directory) and yields
``(spec, result)`` as fits finish, ``result`` being the fit's ``RunResult`` without the field (metrics
and history as the fit returned them, nothing re-read from disk; only a fit finished by an earlier
run is read back from its directory). A fit that fails yields metrics ``{"error": "<one line>"}``
and the others go on. Every fit goes through ``execute_fit``, which writes the run into
``<run_dir>.partial`` and renames it to ``<run_dir>`` only when it is complete, so a killed bench
loses at most the fits in flight (and those resume from their last checkpoint on the next run).

- ``local``: in-process, one fit after another (``workers=1``), or a process pool (``workers>1``).
- ``ray``: one Ray task per fit with CPU/GPU resources and retries; starts a local Ray instance
  unless an address (``auto`` or ``ray://host:port``) is given.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from inrkit.bench.rerun import check_finished
from inrkit.errors import InputError
from inrkit.io import read_json
from inrkit.train.result import RunResult

EXECUTORS = ("local", "ray")


@dataclass(frozen=True)
class FitSpec:
    """One fit as plain data: its resolved config (``to_dict`` form) and final run directory."""

    key: str
    config: dict[str, Any]
    run_dir: str


def partial_dir(run_dir: Path) -> Path:
    return run_dir.with_name(run_dir.name + ".partial")


def is_finished(run_dir: Path) -> bool:
    return (Path(run_dir) / "metrics.json").exists()


def finished_result(run_dir: Path | str) -> RunResult:
    """The RunResult of a fit finished by an earlier run, read back from its run directory."""
    from inrkit.analysis.convergence import read_history

    run_dir = Path(run_dir)
    config = read_json(run_dir / "config.json") if (run_dir / "config.json").exists() else {}
    return RunResult(metrics=read_json(run_dir / "metrics.json"), history=read_history(run_dir / "history.csv"),
                     config=config, run_dir=str(run_dir))


def portable(result: RunResult, run_dir: Path | str) -> RunResult:
    """``result`` without its field (cheap to send between processes), pointing at ``run_dir``."""
    return replace(result, field=None, run_dir=str(run_dir))


def execute_fit(spec: FitSpec) -> RunResult:
    """Run one fit atomically (skip if finished, resume if interrupted); return its RunResult."""
    from inrkit.train.run import fit, run_config_from_dict

    run_dir = Path(spec.run_dir)
    if is_finished(run_dir):
        check_finished(run_dir, spec.config)
        return finished_result(run_dir)
    work = partial_dir(run_dir)
    if run_dir.exists():  # an unfinished run in the final place (older layout, or a lost metrics.json)
        if work.exists():
            shutil.rmtree(work)
        os.replace(run_dir, work)
    resume = (work / "config.json").exists()
    if work.exists() and not resume:  # killed before its config was written: nothing to resume
        shutil.rmtree(work)
    result = fit(run_config_from_dict(spec.config), work, resume=resume)
    os.replace(work, run_dir)
    return portable(result, run_dir)


def failed_result(spec: FitSpec, error: Exception) -> RunResult:
    """A failed fit as a RunResult whose metrics hold only ``error`` (one line)."""
    return RunResult(metrics={"error": f"{type(error).__name__}: {error}".splitlines()[0][:300]}, history=[],
                     config=spec.config, run_dir=spec.run_dir)


def safe_execute_fit(spec: FitSpec) -> RunResult:
    """``execute_fit``, with a failing fit (divergence, bad signal, ...) reported as metrics
    ``{"error": ...}`` instead of stopping the other fits; interrupts still propagate."""
    try:
        return execute_fit(spec)
    except Exception as e:  # noqa: BLE001 - one fit's failure must not lose the others
        return failed_result(spec, e)


def check_spawnable() -> None:
    """``InputError`` when worker processes cannot start: spawned workers re-import the main script, and a
    program read from standard input (``python - <<EOF``) names one (``<stdin>``) that is no file."""
    main_file = getattr(sys.modules.get("__main__"), "__file__", None)
    if main_file is not None and not Path(main_file).is_file():
        raise InputError(f"--workers > 1 starts worker processes, which re-import the main program, but it is "
                         f"not a file ({main_file}); run it from a script file, or use one worker")


class LocalExecutor:
    """Fits in this process (``workers=1``) or in a pool of ``workers`` processes."""

    def __init__(self, workers: int = 1):
        if workers < 1:
            raise InputError("--workers must be at least 1")
        self.workers = workers

    def map(self, specs: list[FitSpec]) -> Iterator[tuple[FitSpec, RunResult]]:
        if self.workers == 1 or len(specs) <= 1:
            for spec in specs:
                yield spec, safe_execute_fit(spec)
            return
        import multiprocessing as mp

        check_spawnable()
        with ProcessPoolExecutor(self.workers, mp_context=mp.get_context("spawn")) as pool:
            futures = {pool.submit(safe_execute_fit, s): s for s in specs}
            for fut in as_completed(futures):
                yield futures[fut], fut.result()


class RayExecutor:
    """One Ray task per fit; a failed task (worker crash, node loss) is retried ``retries`` times."""

    def __init__(self, address: str | None = None, cpus_per_fit: float = 1.0, gpus_per_fit: float | None = None,
                 retries: int = 2, num_cpus: int | None = None):
        try:
            import ray
        except ImportError as e:
            raise InputError("--executor ray needs Ray: pip install 'inrkit[ray]'") from e
        self.ray = ray
        self.address, self.num_cpus = address, num_cpus
        self.cpus_per_fit, self.gpus_per_fit, self.retries = cpus_per_fit, gpus_per_fit, retries

    def _start(self) -> bool:
        """Connect (or start a local instance); True when this executor started Ray and must stop it."""
        if self.ray.is_initialized():
            return False
        kwargs: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False}
        if self.address:
            kwargs["address"] = self.address
        elif self.num_cpus is not None:
            kwargs["num_cpus"] = self.num_cpus
        self.ray.init(**kwargs)
        return True

    def map(self, specs: list[FitSpec]) -> Iterator[tuple[FitSpec, RunResult]]:
        ray = self.ray
        started = self._start()
        try:
            gpus = self.gpus_per_fit
            if gpus is None:  # a GPU per fit when the cluster has GPUs and the fits may use them
                gpus = 1.0 if ray.cluster_resources().get("GPU", 0) > 0 else 0.0
            remote = ray.remote(num_cpus=self.cpus_per_fit, num_gpus=gpus, max_retries=self.retries,
                                retry_exceptions=False)(safe_execute_fit)
            pending = {remote.remote(s): s for s in specs}
            while pending:
                done, _ = ray.wait(list(pending), num_returns=1)
                ref = done[0]
                yield pending.pop(ref), ray.get(ref)
        finally:
            if started:
                ray.shutdown()


def make_executor(name: str, workers: int = 1, address: str | None = None, **kwargs: Any):
    if name == "local":
        return LocalExecutor(workers)
    if name == "ray":
        return RayExecutor(address=address, **kwargs)
    raise InputError(f"unknown executor {name!r}; choose one of: {', '.join(EXECUTORS)}")
