"""The Python entry points: ``inrkit.fit(signal, ...)`` and ``inrkit.load(run_dir)``.

``inrkit.load`` returns a :class:`FittedField` whose ``query(coords)`` speaks the signal's own units:

=========  ==================================================  ===========================================
kind       coords ``[N, d]``                                   values ``[N, C]``
=========  ==================================================  ===========================================
image      pixel indices ``(row, col)`` of the fitted grid      colour in [0, 1]
video      ``(frame, row, col)`` indices of the fitted grid     colour in [0, 1]
volume     voxel indices ``(z, y, x)`` of the fitted grid       intensity in [0, 1] (as normalised on load)
audio      time in seconds                                      amplitude in [-1, 1]
shape      points in the source mesh's own frame               signed distance in mesh units ``[N, 1]``
=========  ==================================================  ===========================================

Grid indices may be fractional (between samples); for images and volumes ``native=True`` reads them
as indices of the native (not downsampled) grid instead, pixel centres aligned. Other tasks get the
raw field output at the task's coordinates.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np
import torch

from inrkit.ops.coords import chunked


class FittedField:
    """A trained field with its task: ``query(coords)`` in the signal's units (see module docstring).

    Attributes:
        module: the ``torch.nn.Module`` (eval mode, on ``device``).
        task: the task the field was fitted for (holds the signal).
        config: the resolved RunConfig of the run.
    """

    def __init__(self, cfg: Any, task: Any, module: torch.nn.Module):
        self.config, self.task, self.module = cfg, task, module

    @property
    def kind(self) -> str:
        return self.task.signal.kind

    @property
    def device(self) -> torch.device:
        return next(self.module.parameters()).device

    @property
    def grid_shape(self) -> tuple[int, ...]:
        """Shape of the fitted grid (what grid indices refer to)."""
        return tuple(self.task.signal.grid_shape)

    def _grid_positions(self, idx: torch.Tensor, native: bool) -> torch.Tensor:
        """Grid indices -> the task's training coordinates (``ops.coords`` convention)."""
        cfg, shape = self.task.cfg, self.grid_shape
        n = torch.tensor(shape, dtype=torch.float64)
        if native:
            original = self.task.signal.meta.get("original_size")
            if original is None or len(original) != len(shape):
                raise ValueError(f"native=True needs an image or volume run (this is {self.kind})")
            idx = (idx + 0.5) * n / torch.tensor(original, dtype=torch.float64) - 0.5
        lo, hi = cfg.coord_range
        if cfg.coord_convention == "center":
            return lo + (hi - lo) * (idx + 0.5) / n
        return lo + (hi - lo) * idx / torch.clamp(n - 1, min=1)

    @torch.no_grad()
    def query(self, coords: Any, native: bool = False) -> np.ndarray:
        """Field values at ``coords [N, d]`` (array-like) in the signal's units; returns ``[N, C]``."""
        x = torch.as_tensor(np.asarray(coords, dtype=np.float64))
        x = x.reshape(-1, 1) if x.ndim == 1 else x
        sig = self.task.signal
        if sig.kind == "shape":
            affine = self.task.cloud.affine
            p = x * affine.scale + torch.as_tensor(affine.offset, dtype=torch.float64)
            net = lambda q: self.task.net(self.module, q)[:, None]  # noqa: E731
            d = chunked(net, p.float().to(self.device))
            return (d.double().cpu() / affine.scale).numpy()
        if hasattr(self.task, "to_unit") and hasattr(self.task.cfg, "coord_convention"):
            if sig.kind == "audio":
                x = x * float(sig.meta["sample_rate"])
            p = self._grid_positions(x, native).float()
            return self.task.predict(self.module, p).double().numpy()
        return chunked(self.module, x.float().to(self.device)).double().cpu().numpy()

    def __call__(self, coords: Any) -> np.ndarray:
        return self.query(coords)


def load(run_dir: str | Path, device: str = "auto") -> FittedField:
    """The fitted field of a run directory, on ``device`` (auto: GPU when present) and in eval mode."""
    import inrkit  # noqa: F401  (registers everything)
    from inrkit.cli import load_run

    cfg, task, field = load_run(Path(run_dir), device)
    return FittedField(cfg, task, field)


def fit(signal: str | None = None, model: str | None = None, preset: str = "quick", out: str | Path | None = None,
        *, task: str | None = None, steps: int | None = None, seed: int | None = None, device: str = "auto",
        sets: dict[str, Any] | None = None, settings: str = "paper", threads: int | None = None,
        banner: bool = False, resume: bool = False):
    """Fit a signal in one call, as ``inrkit fit`` does; returns the RunResult (``.field`` is the module).

    Args:
        signal: file path or ``builtin:<name>`` (default: the embedded default image).
        model: field or recipe name (default: SASNet where it has a recipe for the signal, else SIREN).
        preset: quick, medium or paper.
        out: run directory to write (None: train in memory, write nothing).
        task, steps, seed, device, settings: as the ``inrkit fit`` options of the same names.
        sets: config overrides ``{"field.hidden_features": 128}`` (``--set``).
        threads: CPU threads (None: leave torch's setting as it is).
        banner: print the start banner on stderr.
        resume: continue the run in ``out`` from its checkpoint.
    """
    import inrkit  # noqa: F401  (registers everything)
    from inrkit.cli import resolve_fit_config
    from inrkit.threads import set_threads
    from inrkit.train.run import fit as run_fit

    if threads is not None:
        set_threads(threads)
    items = [f"{k}={v if isinstance(v, str) else __import__('json').dumps(v)}" for k, v in (sets or {}).items()]
    args = argparse.Namespace(signal=signal, model=model, task=task, preset=preset, steps=steps, seed=seed,
                              device=device, no_progress=False, sets=items, settings=settings)
    cfg, _ = resolve_fit_config(args)
    return run_fit(cfg, Path(out) if out is not None else None, resume=resume, banner=banner)
