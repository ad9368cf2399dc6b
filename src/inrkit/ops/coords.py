"""Coordinate grids: the one place where inrkit's coordinate convention is defined.

Convention (protocols.md §0.1):

* **Range.** Each axis spans ``[lo, hi]`` (default ``[-1, 1]``; recipes may choose e.g. ``[0, 1]``).
* **Axis order.** Signals are stored ``[N_0, N_1, ..., C]`` (images ``[H, W, C]``) and coordinates
  use matrix (``ij``) indexing: the coordinate vector of pixel ``(i, j)`` is ``(y_i, x_j)`` — row first,
  column second.
* **Sample positions.** ``"center"`` (default): pixel centres ``lo + (hi - lo)(j + 1/2)/N``, pixel
  pitch ``(hi - lo)/N``. ``"endpoint"``: ``linspace(lo, hi, N)``, pitch ``(hi - lo)/(N - 1)``
  (FINER/SIREN/WIRE convention).
* **Shifted queries.** ``shift=s`` moves every sample by ``s`` pixel pitches along every axis.
* **Upsampled queries.** ``scale=k`` samples ``k`` points per pixel and axis. Centre grids give the
  pixel-centre grid of ``k N`` samples (the sub-pixel centres; SASNet's x16 zoom, protocols.md §2);
  endpoint grids give ``linspace(lo, hi, k (N - 1) + 1)``, which contains the original samples.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal

import torch
from torch import Tensor

Convention = Literal["center", "endpoint"]


def axis_samples(n: int, convention: Convention = "center", lo: float = -1.0, hi: float = 1.0,
                 shift: float = 0.0, scale: int = 1, dtype: torch.dtype = torch.float32) -> Tensor:
    """Sample positions along one axis of ``n`` pixels (see the module docstring)."""
    if n < 1 or scale < 1:
        raise ValueError("axis length and scale must be >= 1")
    if convention == "center":
        m = n * scale
        j = torch.arange(m, dtype=torch.float64)
        pos = lo + (hi - lo) * (j + 0.5) / m
        pitch = (hi - lo) / n
    elif convention == "endpoint":
        if n == 1:
            pos, pitch = torch.full((scale,), (lo + hi) / 2, dtype=torch.float64), hi - lo
        else:
            pos = torch.linspace(lo, hi, scale * (n - 1) + 1, dtype=torch.float64)
            pitch = (hi - lo) / (n - 1)
    else:
        raise ValueError(f"unknown grid convention {convention!r}")
    return (pos + shift * pitch).to(dtype)


def pixel_pitch(n: int, convention: Convention = "center", lo: float = -1.0, hi: float = 1.0) -> float:
    """Distance between neighbouring samples of the training grid along an axis of ``n`` pixels."""
    if convention == "center":
        return (hi - lo) / n
    return (hi - lo) / max(n - 1, 1)


def grid(shape: Sequence[int], convention: Convention = "center", lo: float = -1.0, hi: float = 1.0,
         shift: float = 0.0, scale: int = 1, dtype: torch.dtype = torch.float32) -> Tensor:
    """Coordinates ``[*shape', d]`` of a grid signal of the given shape (``ij`` order)."""
    axes = [axis_samples(n, convention, lo, hi, shift, scale, dtype) for n in shape]
    mesh = torch.meshgrid(*axes, indexing="ij")
    return torch.stack(mesh, dim=-1)


def chunked(fn: Callable[[Tensor], Tensor], x: Tensor, chunk: int = 65536) -> Tensor:
    """Apply ``fn`` to ``x [N, d]`` in chunks along the first axis and concatenate the results."""
    if x.shape[0] <= chunk:
        return fn(x)
    return torch.cat([fn(x[i:i + chunk]) for i in range(0, x.shape[0], chunk)], dim=0)
