"""The start banner of ``inrkit fit``: what is about to run and roughly how long it takes.

One short block on stderr: recipe and protocol, signal (native and fitted size), field and parameter
count, steps, device and threads, an estimated time from a 3-step probe, and the output folder. The
probe trains deep copies of the field and task with the global RNG states restored afterwards, so
the fit itself is unchanged (its metrics equal a run without the banner). Estimates over an hour on
a CPU get a warning line.
"""

from __future__ import annotations

import copy
import random
import sys
import time
from pathlib import Path
from typing import Any, TextIO

import numpy as np
import torch

from inrkit.config import type_name

PROBE_STEPS = 3
WARN_CPU_S = 3600.0


def _size(shape: Any) -> str:
    return "x".join(str(int(s)) for s in shape)


def describe_signal(task: Any) -> str:
    """``source (kind, native N -> fitted M)`` in the signal's own terms."""
    sig = task.signal
    source = sig.meta.get("source", "?")
    if sig.kind == "shape":
        faces = sig.meta.get("faces")
        what = f"{len(sig.values)} vertices, {len(faces)} faces" if faces is not None else f"{len(sig.values)} points"
        return f"{source} (shape: {what})"
    fitted = tuple(getattr(sig, "grid_shape", sig.values.shape[:-1]))
    native = sig.meta.get("original_size") or sig.meta.get("original_shape")
    text = f"{source} ({sig.kind}, fitted {_size(fitted)}"
    if native is not None and tuple(native)[: len(fitted)] != fitted:
        text += f", native {_size(native)}"
    if sig.kind == "audio" and "sample_rate" in sig.meta:
        text += f" at {sig.meta['sample_rate']:g} Hz"
    return text + ")"


def _probe(cfg: Any, task: Any, field: torch.nn.Module, device: torch.device) -> float | None:
    """Seconds per step from timing steps 2..PROBE_STEPS on copies (None when the probe fails)."""
    from inrkit.train.numerics import cpu_execution

    states = (torch.get_rng_state(), np.random.get_state(), random.getstate(),
              torch.cuda.get_rng_state_all() if torch.cuda.is_available() else None)
    try:
        with cpu_execution(cfg.trainer.flush_denormals, device, cfg.trainer.onednn_linear):  # as the fit runs
            return _probe_steps(cfg, task, field, device)
    except Exception:  # an estimate is a courtesy: never fail the fit over it
        return None
    finally:
        torch.set_rng_state(states[0])
        np.random.set_state(states[1])
        random.setstate(states[2])
        if states[3] is not None:
            torch.cuda.set_rng_state_all(states[3])


def _probe_steps(cfg: Any, task: Any, field: torch.nn.Module, device: torch.device) -> float:
    """The probe's timed steps (and one evaluation), on copies of the field and the task."""
    from inrkit.train.trainer import make_optimizer

    f, t = copy.deepcopy(field).to(device), copy.deepcopy(task)
    t.to(device)
    opt = make_optimizer(cfg.trainer.optim, f.param_groups())
    gen = torch.Generator().manual_seed(cfg.trainer.seed + 12345)
    times = []
    for step in range(PROBE_STEPS):
        t0 = time.perf_counter()
        losses = t.loss(f, t.sample(step, gen))
        opt.zero_grad(set_to_none=True)
        losses["loss"].backward()
        opt.step()
        if device.type == "cuda":
            torch.cuda.synchronize(device)
        times.append(time.perf_counter() - t0)
    eval_s = 0.0
    if cfg.trainer.eval_every > 0 and cfg.trainer.steps > cfg.trainer.eval_every:
        t0 = time.perf_counter()
        t.evaluate(f)
        eval_s = (time.perf_counter() - t0) * (cfg.trainer.steps // cfg.trainer.eval_every)
    per_step = float(np.median(times[1:] or times))
    return per_step * cfg.trainer.steps + eval_s


def _duration(s: float) -> str:
    if s < 90:
        return f"{s:.0f} s"
    if s < 5400:
        return f"{s / 60:.0f} min"
    return f"{s / 3600:.1f} h"


def banner_lines(cfg: Any, task: Any, field: torch.nn.Module, run_dir: Path | None, probe: bool = True) -> list[str]:
    """The banner's lines (without printing)."""
    from inrkit.registry import RECIPES
    from inrkit.train.trainer import resolve_device

    device = resolve_device(cfg.trainer.device)
    protocol = getattr(RECIPES.get(cfg.recipe), "protocol", "") if cfg.recipe in RECIPES else ""
    counts, threads = field.parameter_counts(), torch.get_num_threads()
    params = f"{counts.get('params', 0):,} parameters"
    if counts.get("params_frozen"):
        params += f" (+{counts['params_frozen']:,} frozen)"
    lines = [
        f"recipe   {cfg.recipe or '-'} (preset {cfg.preset or '-'}, protocol {protocol or '-'})",
        f"signal   {describe_signal(task)}",
        f"field    {type_name(cfg.field)}, {params}",
        f"train    {cfg.trainer.steps} steps on {device}, {threads} thread{'s' if threads != 1 else ''}",
    ]
    est = _probe(cfg, task, field, device) if probe else None
    if est is not None:
        lines.append(f"estimate ~{_duration(est)} (from a {PROBE_STEPS}-step probe)")
        if device.type == "cpu" and est > WARN_CPU_S:
            lines.append(f"warning: this fit would take about {_duration(est)} on a CPU; use a GPU, "
                         "--preset quick, or fewer --steps")
    lines.append(f"output   {run_dir if run_dir is not None else '(in memory)'}")
    return lines


def print_banner(cfg: Any, task: Any, field: torch.nn.Module, run_dir: Path | None,
                 stream: TextIO | None = None) -> None:
    """Write the banner block to ``stream`` (stderr by default)."""
    stream = stream or sys.stderr
    print("\n".join(f"inrkit: {line}" for line in banner_lines(cfg, task, field, run_dir)), file=stream, flush=True)
