"""Mesh operations: SDF grids, marching cubes, exact inside tests, PLY output (trimesh's exporter).

* ``sdf_grid``: a field evaluated on ``linspace(lo, hi, R)^3`` in chunks of slabs written into one
  preallocated float32 volume, so a 512^3 grid needs ~0.5 GB for the volume plus one chunk of
  activations (protocols.md §7.7).
* ``marching_cubes``: scikit-image's Lewiner marching cubes at level 0 with the exact map
  ``v -> lo + v (hi - lo)/(R - 1)`` (not FINER's ``v/R - 0.5 + 0.5/R``, which shrinks the mesh by
  ~0.2 %); faces oriented so the enclosed volume is positive. An empty level set raises
  ``NoSurfaceError`` (never an empty mesh).
* ``inside_grid``: exact occupancy of a watertight mesh on a regular grid by ray parity along axis 2:
  every triangle is rasterised onto the grid columns it covers, the crossing height is recorded, and the
  parity of crossings below each sample gives inside/outside (protocols.md §7.8). Columns are offset by
  a fixed tiny irrational jitter so no ray passes exactly through an edge or vertex.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
from torch import Tensor

#: fixed sub-resolution offsets of the parity rays (fractions of the domain), avoiding edge hits.
_JITTER = (1.3117e-7, 2.7183e-7)


class NoSurfaceError(ValueError):
    """The level set of the field is empty inside the grid."""


def grid_axis(resolution: int, lo: float = -0.5, hi: float = 0.5) -> np.ndarray:
    return np.linspace(lo, hi, resolution)


def sdf_grid(fn: Callable[[Tensor], Tensor], resolution: int, lo: float = -0.5, hi: float = 0.5,
             chunk: int = 65_536, device: torch.device | str = "cpu") -> np.ndarray:
    """``fn`` on ``linspace(lo, hi, resolution)^3`` (ij order) as a float32 array ``[R, R, R]``.

    Evaluated in pieces of at most ``chunk`` points (whole axis-0 slabs when they fit, else parts of one
    slab), so memory is the output volume plus one chunk of activations; ~65k-point chunks keep the
    allocator's page-fault (system) time low on CPU.
    """
    r = resolution
    axis = torch.linspace(lo, hi, r, dtype=torch.float32)
    out = np.empty((r, r * r), dtype=np.float32)
    plane = torch.stack(torch.meshgrid(axis, axis, indexing="ij"), dim=-1).reshape(-1, 2)  # [R^2, 2] (y, z)
    rows, piece = max(1, chunk // (r * r)), min(chunk, r * r)
    with torch.no_grad():
        for i in range(0, r, rows):
            xs = axis[i:i + rows]
            for a in range(0, r * r, piece):
                part = plane[a:a + piece]
                pts = torch.cat([xs.repeat_interleave(len(part))[:, None], part.repeat(len(xs), 1)], dim=1)
                vals = fn(pts.to(device)).reshape(len(xs), len(part))
                out[i:i + len(xs), a:a + len(part)] = vals.float().cpu().numpy()
    return out.reshape(r, r, r)


def marching_cubes(volume: np.ndarray, lo: float = -0.5, hi: float = 0.5, level: float = 0.0
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Zero level set of ``volume`` on ``linspace(lo, hi, R)^3``: (vertices [V, 3], faces [F, 3])."""
    from skimage import measure

    if not (np.nanmin(volume) < level < np.nanmax(volume)):
        raise NoSurfaceError(f"no surface: the field does not cross {level} on the {volume.shape[0]}^3 grid")
    step = (hi - lo) / (volume.shape[0] - 1)
    verts, faces, _, _ = measure.marching_cubes(volume, level=level, spacing=(step, step, step))
    verts = verts.astype(np.float64) + lo
    faces = faces.astype(np.int64)
    if signed_volume(verts, faces) < 0:
        faces = faces[:, ::-1].copy()
    return verts, faces


def signed_volume(vertices: np.ndarray, faces: np.ndarray) -> float:
    tri = vertices[faces]
    return float(np.einsum("ij,ij->i", tri[:, 0], np.cross(tri[:, 1], tri[:, 2])).sum() / 6.0)


def inside_grid(vertices: np.ndarray, faces: np.ndarray, axes: tuple[np.ndarray, np.ndarray, np.ndarray],
                batch: int = 200_000) -> np.ndarray:
    """Boolean occupancy ``[len(a0), len(a1), len(a2)]`` of a watertight mesh by ray parity along axis 2."""
    a0, a1, a2 = (np.asarray(a, dtype=np.float64) for a in axes)
    n0, n1, n2 = len(a0), len(a1), len(a2)
    counts = np.zeros((n0 * n1, n2 + 1), dtype=np.uint8)
    tri = vertices[faces].astype(np.float64)  # [F, 3, 3]
    x0 = a0 + _JITTER[0]
    x1 = a1 + _JITTER[1]
    for s in range(0, len(tri), batch):
        _rasterise(tri[s:s + batch], x0, x1, a2, counts)
    parity = np.cumsum(counts, axis=1, dtype=np.uint8)[:, :n2] & 1
    return parity.reshape(n0, n1, n2).astype(bool)


def _span(lo: np.ndarray, hi: np.ndarray, axis: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index range [i0, i1) of sorted ``axis`` values inside [lo, hi] per triangle."""
    return np.searchsorted(axis, lo, side="left"), np.searchsorted(axis, hi, side="right")


def _rasterise(tri: np.ndarray, x0: np.ndarray, x1: np.ndarray, a2: np.ndarray, counts: np.ndarray) -> None:
    """Add one crossing per (column, triangle) hit at the first axis-2 sample above the hit."""
    p, q, r = tri[:, 0], tri[:, 1], tri[:, 2]
    i0, i1 = _span(tri[:, :, 0].min(1), tri[:, :, 0].max(1), x0)
    j0, j1 = _span(tri[:, :, 1].min(1), tri[:, :, 1].max(1), x1)
    ni, nj = np.maximum(i1 - i0, 0), np.maximum(j1 - j0, 0)
    cells = ni * nj
    keep = cells > 0
    if not keep.any():
        return
    t = np.repeat(np.nonzero(keep)[0], cells[keep])  # triangle of each candidate
    start = np.repeat(np.cumsum(cells[keep]) - cells[keep], cells[keep])
    local = np.arange(len(t)) - start
    ci = i0[t] + local // nj[t]
    cj = j0[t] + local % nj[t]
    u, v = x0[ci], x1[cj]
    # 2-D edge functions of the projected triangle; inside when all share the sign of the area
    def edge(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return (b[:, 0] - a[:, 0]) * (v - a[:, 1]) - (b[:, 1] - a[:, 1]) * (u - a[:, 0])

    pa, pb, pc = p[t], q[t], r[t]
    w0, w1, w2 = edge(pb, pc), edge(pc, pa), edge(pa, pb)
    area = w0 + w1 + w2
    hit = (area != 0) & (((w0 > 0) & (w1 > 0) & (w2 > 0)) | ((w0 < 0) & (w1 < 0) & (w2 < 0)))
    if not hit.any():
        return
    z = (w0[hit] * pa[hit, 2] + w1[hit] * pb[hit, 2] + w2[hit] * pc[hit, 2]) / area[hit]
    k = np.searchsorted(a2, z, side="right")  # samples at index >= k lie above the crossing
    col = ci[hit] * len(x1) + cj[hit]
    np.add.at(counts, (col, k), 1)


def write_ply(path: str | Path, vertices: np.ndarray, faces: np.ndarray) -> None:
    """Binary PLY through trimesh's exporter (vertices and faces kept as given, no merging)."""
    import trimesh

    mesh = trimesh.Trimesh(np.asarray(vertices, dtype=np.float64), np.asarray(faces), process=False)
    Path(path).write_bytes(mesh.export(file_type="ply", encoding="binary"))
