"""The empirical NTK spectrum of a run: at initialisation and after training (``RUN/ntk.json``, ``plots/ntk.png``).

Jacot, Gabriel & Hongler, "Neural Tangent Kernel" (NeurIPS 2018, arXiv:1806.07572): gradient descent on
the MSE moves the fit along the kernel's eigenvectors at rates proportional to its eigenvalues, so the
spectrum ``lambda_1 >= lambda_2 >= ...`` of ``Theta(x_i, x_j)`` (``analysis/ntk.py``) at initialisation
tells which fields learn many directions at once (a flat spectrum) and which are dominated by a few
(a fast decay; spectral bias). The MSA paper's Fig. 2b reports the ratios ``lambda_k / sum(lambda)``.

Points: an even stride through the task's training coordinates (``Task.ntk_coords``; no random numbers),
``n = min(max_points, N, JACOBIAN_BUDGET // (outputs x params))`` of them, so the ``[n, O, P]`` Jacobian
stays below ``JACOBIAN_BUDGET`` numbers (a 3.1M-parameter field gets a handful of points). The torch RNG
state is restored afterwards, so a fit's numbers are identical with and without this analysis.

``ntk.json`` holds ``{"points": n, "init": [eigenvalues, descending, clamped at 0], "summary_init":
{ratios, lambda_max, trace}, "init_wall_s": s}`` and, after training, ``"trained"`` / ``"summary_trained"``;
a field that ``torch.func`` cannot transform (custom autograd functions, ...) or a task without
coordinates gets ``{"skipped": "<reason>"}`` instead; the fit itself never fails on it.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import Tensor

from inrkit.analysis.ntk import eigen_ratios, empirical_ntk, ntk_eigenvalues
from inrkit.analysis.plots import pyplot, save_figure

#: at most this many Jacobian entries (points x outputs x parameters): 3e7 float64 numbers = 240 MB.
JACOBIAN_BUDGET = 30_000_000
#: fewer points than this give no useful spectrum: skipped instead.
MIN_POINTS = 4
NTK_FILE = "ntk.json"


def trainable_numel(field: torch.nn.Module) -> int:
    """Real trainable parameters (a complex parameter counts its real and imaginary parts)."""
    return sum(p.numel() * (2 if p.is_complex() else 1) for p in field.parameters() if p.requires_grad)


def point_count(n_coords: int, n_outputs: int, n_params: int, max_points: int) -> int:
    """How many points the NTK uses: ``max_points``, the coordinates there are and the Jacobian budget."""
    return int(min(max_points, n_coords, JACOBIAN_BUDGET // max(n_outputs * n_params, 1)))


def strided(coords: Tensor, n: int) -> Tensor:
    """``n`` rows of ``coords`` evenly strided (indices ``floor(i N / n)``), without random numbers."""
    idx = torch.div(torch.arange(n) * coords.shape[0], n, rounding_mode="floor")
    return coords[idx.to(coords.device)]


def field_dtype_device(field: torch.nn.Module) -> tuple[torch.dtype, torch.device]:
    """The dtype of the field's first real floating parameter (float32 otherwise) and its device."""
    p = next((p for p in field.parameters() if p.is_floating_point()), None)
    dev = next((p.device for p in field.parameters()), torch.device("cpu"))
    return (p.dtype if p is not None else torch.float32), dev


def spectrum(field: torch.nn.Module, points: Tensor) -> tuple[list[float], dict[str, float]]:
    """Descending NTK eigenvalues (clamped at 0) and their ``ntk_summary``-style ratios at ``points``.

    The torch RNG state (CPU and the field's CUDA device) is restored afterwards.
    """
    dtype, device = field_dtype_device(field)
    devices = [device] if device.type == "cuda" else []
    with torch.random.fork_rng(devices=devices):
        ev = ntk_eigenvalues(empirical_ntk(field, points.to(device=device, dtype=dtype))).clamp_min(0.0)
    summary = {**eigen_ratios(ev), "lambda_max": float(ev[0]), "trace": float(ev.sum())}
    return [float(v) for v in ev.cpu()], summary


def ntk_points(field: torch.nn.Module, task: Any, max_points: int) -> tuple[Tensor | None, str]:
    """The NTK points of ``task`` for ``field``, or ``(None, reason)`` when there are none to use."""
    coords = task.ntk_coords() if hasattr(task, "ntk_coords") else None
    if coords is None or coords.shape[0] == 0:
        return None, f"the {getattr(task, 'name', type(task).__name__)} task exposes no training coordinates"
    n_out = int(getattr(task, "out_features", 1))
    n = point_count(coords.shape[0], n_out, trainable_numel(field), max_points)
    if n < min(MIN_POINTS, coords.shape[0]):
        return None, (f"the Jacobian of {trainable_numel(field)} parameters x {n_out} outputs exceeds "
                      f"{JACOBIAN_BUDGET:.0e} numbers at {MIN_POINTS} points")
    return strided(coords, n), ""


def init_record(field: torch.nn.Module, task: Any, max_points: int) -> dict[str, Any]:
    """``ntk.json`` at initialisation: points, eigenvalues and summary, or ``{"skipped": reason}``."""
    points, reason = ntk_points(field, task, max_points)
    if points is None:
        return {"skipped": reason}
    t0 = time.perf_counter()
    try:
        ev, summary = spectrum(field, points)
    except Exception as e:  # noqa: BLE001 - any torch.func failure becomes a recorded reason, never a failed fit
        return {"skipped": one_line(e)}
    return {"points": int(points.shape[0]), "init": ev, "summary_init": summary,
            "init_wall_s": time.perf_counter() - t0}


def add_trained(record: dict[str, Any], field: torch.nn.Module, task: Any) -> dict[str, Any]:
    """``record`` with the trained field's ``"trained"`` spectrum on the same points (unchanged if skipped)."""
    if "init" not in record or "trained" in record:
        return record
    coords = task.ntk_coords()
    try:
        ev, summary = spectrum(field, strided(coords, int(record["points"])))
    except Exception as e:  # noqa: BLE001
        return {**record, "trained_skipped": one_line(e)}
    return {**record, "trained": ev, "summary_trained": summary}


def one_line(e: BaseException) -> str:
    """``Type: first line of the message`` (at most 200 characters)."""
    first = (str(e).strip().splitlines() or [""])[0]
    return f"{type(e).__name__}: {first}"[:200]


def normalised(eigenvalues: list[float]) -> np.ndarray:
    """``lambda_k / lambda_1`` (zeros when ``lambda_1`` is 0)."""
    ev = np.asarray(eigenvalues, dtype=np.float64)
    return ev / ev[0] if ev.size and ev[0] > 0 else np.zeros_like(ev)


def draw_spectra(ax: Any, curves: list[tuple[list[float], str, dict[str, Any]]], title: str) -> None:
    """Draw ``lambda_k / lambda_1`` against ``k`` (log y, floored at 1e-18) for each ``(eigenvalues, label,
    line style)``; shared by a run's ``plots/ntk.png`` and a bench report's overlay of its rows."""
    for eigenvalues, label, style in curves:
        ev = normalised(eigenvalues)
        ax.semilogy(np.arange(1, ev.size + 1), np.maximum(ev, 1e-18), label=label, **style)
    ax.set_xlabel("eigenvalue index k")
    ax.set_ylabel("lambda_k / lambda_1")
    ax.set_title(title, fontsize=10)
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8)


def plot_ntk(path: Path, record: dict[str, Any]) -> bool:
    """``lambda_k / lambda_1`` against ``k`` (log y) at init and after training; False when nothing to draw."""
    curves = [(key, label) for key, label in (("init", "initialisation"), ("trained", "trained"))
              if record.get(key)]
    if not curves:
        return False
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6, 3.8), dpi=110)
    draw_spectra(ax, [(record[key], label, {"lw": 1.4}) for key, label in curves],
                 f"empirical NTK spectrum on {record['points']} training points")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    save_figure(fig, path)
    return True
