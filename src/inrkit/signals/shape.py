"""Shapes: watertight meshes and oriented point clouds for SDF and occupancy fitting.

Data preparation of the BACON/FINER SDF protocol (protocols.md §7.1-§7.2, data.md "Shapes"):

* **Meshes** (OBJ, PLY, OFF via trimesh, vertices merged). Components that enclose no volume are
  dropped (the XYZ RGB dragon carries one stray component of two coincident, oppositely wound
  triangles; without it the body is watertight). Degenerate meshes (no faces, zero area, NaNs) raise.
* **Oriented clouds from meshes**: area-weighted surface sampling (face chosen with probability
  proportional to its area, barycentric ``(1 - sqrt r1, sqrt r1 (1 - r2), sqrt r1 r2)``), normal = the
  unit face normal of the sampled triangle. Seeded; ``N = 1,000,000`` by default (the task's setting).
* **``.xyz`` clouds**: six columns ``x y z nx ny nz``; normals re-normalised to unit length (BACON's
  visualisation cloud has norms 0.08-6.3). Files without normals, with non-finite values, zero-length
  normals or a degenerate bounding box raise.
* **Normalisation (BACON)**: subtract the per-axis mean of the *points*, then one global min/max over all
  coordinates maps them to [-0.45, 0.45] (aspect kept; generally not centred). The affine map
  ``v -> scale v + offset`` is kept and applied to the mesh as well (never re-derived from vertices).

``load_shape`` returns a ``Signal`` of kind ``"shape"``: for a mesh ``values`` holds the vertices
``[V, 3]`` and ``meta["faces"]`` the triangles; for a cloud ``values`` holds ``[N, 6]`` points and
normals and ``meta["faces"]`` is None. The task draws the training cloud (count and seed are task
settings).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from inrkit.errors import InputError
from inrkit.signals.base import Signal
from inrkit.signals.loaders import LoadRequest, register_loader

MESH_SUFFIXES = (".obj", ".ply", ".off", ".stl")
CLOUD_SUFFIXES = (".xyz",)
#: half extent of the BACON normalised frame.
BACON_HALF_EXTENT = 0.45


@dataclass(frozen=True)
class Affine:
    """Isotropic map ``v -> scale * v + offset`` into the training frame."""

    scale: float
    offset: tuple[float, float, float]

    def apply(self, v: np.ndarray) -> np.ndarray:
        return v * self.scale + np.asarray(self.offset)

    def invert(self, v: np.ndarray) -> np.ndarray:
        """Training-frame points back in the source mesh's frame."""
        return (v - np.asarray(self.offset)) / self.scale


def _check_finite(arr: np.ndarray, source: str, what: str) -> None:
    if not np.isfinite(arr).all():
        raise InputError(f"{source}: {what} contain NaN or inf")


def drop_volumeless_components(vertices: np.ndarray, faces: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Remove connected components whose enclosed volume is ~0 (e.g. two coincident opposite triangles).

    Returns (vertices, faces, number of components dropped). A mesh whose components all enclose no
    volume (an open sheet) is returned unchanged.
    """
    import trimesh

    mesh = trimesh.Trimesh(vertices, faces, process=False)
    parts = mesh.split(only_watertight=False)
    if len(parts) <= 1:
        return vertices, faces, 0
    extent = float(np.max(mesh.extents)) if len(mesh.vertices) else 0.0
    with np.errstate(invalid="ignore", divide="ignore"):  # trimesh's centre of mass of a volume-less part
        keep = [p for p in parts if abs(p.volume) > 1e-9 * extent**3 and len(p.faces) >= 4]
    if not keep or len(keep) == len(parts):
        return vertices, faces, 0
    merged = trimesh.util.concatenate(keep)
    return np.asarray(merged.vertices), np.asarray(merged.faces), len(parts) - len(keep)


def load_mesh(path: str, source: str | None = None) -> Signal:
    """Load a triangle mesh as a ``"shape"`` signal (vertices in ``values``, faces in ``meta``)."""
    import trimesh

    source = source or path
    try:
        mesh = trimesh.load(path, force="mesh", process=True)
    except Exception as e:  # trimesh raises many exception types for unreadable files
        raise InputError(f"{source}: cannot read mesh ({e})") from None
    vertices = np.asarray(getattr(mesh, "vertices", np.zeros((0, 3))), dtype=np.float64)
    faces = np.asarray(getattr(mesh, "faces", np.zeros((0, 3))), dtype=np.int64)
    if len(faces) == 0 or len(vertices) < 3:
        raise InputError(f"{source}: mesh has no triangles")
    _check_finite(vertices, source, "mesh vertices")
    vertices, faces, dropped = drop_volumeless_components(vertices, faces)
    check = trimesh.Trimesh(vertices, faces, process=False)
    if not np.any(check.area_faces > 0) or np.min(check.extents) <= 0:
        raise InputError(f"{source}: degenerate mesh (zero area or flat bounding box)")
    watertight = bool(check.is_watertight)
    volume = float(check.volume) if watertight else float("nan")
    if watertight and volume < 0:  # inside-out winding: flip so that face normals point outwards
        faces = faces[:, ::-1].copy()
        volume = -volume
    meta = {"source": source, "faces": faces, "watertight": watertight, "components_dropped": dropped,
            "volume": volume, "n_vertices": len(vertices), "n_faces": len(faces)}
    return Signal(values=vertices, kind="shape", value_range=(0.0, 0.0), meta=meta)


def load_xyz(path: str, source: str | None = None) -> Signal:
    """Load an ``x y z nx ny nz`` cloud; normals are re-normalised to unit length."""
    source = source or path
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # "input contained no data" -> the check below
            data = np.loadtxt(path, dtype=np.float64, ndmin=2)
    except (OSError, ValueError) as e:
        raise InputError(f"{source}: cannot read point cloud ({e})") from None
    if data.size == 0:
        raise InputError(f"{source}: empty point cloud")
    if data.shape[1] < 6:
        raise InputError(f"{source}: point cloud has {data.shape[1]} columns; need x y z nx ny nz (normals)")
    data = data[:, :6]
    _check_finite(data, source, "points or normals")
    norms = np.linalg.norm(data[:, 3:], axis=1, keepdims=True)
    if np.any(norms <= 1e-12):
        raise InputError(f"{source}: {int(np.sum(norms <= 1e-12))} points have zero-length normals")
    data[:, 3:] /= norms
    if np.max(np.ptp(data[:, :3], axis=0)) <= 0:
        raise InputError(f"{source}: degenerate point cloud (all points coincide)")
    meta = {"source": source, "faces": None, "watertight": False, "n_points": len(data)}
    return Signal(values=data, kind="shape", value_range=(0.0, 0.0), meta=meta)


def load_shape(path: str, source: str | None = None) -> Signal:
    suffix = Path(path).suffix.lower()
    if suffix in CLOUD_SUFFIXES:
        return load_xyz(path, source)
    return load_mesh(path, source)


def _existing(req: LoadRequest) -> str:
    if not Path(req.path).is_file():
        raise InputError(f"{req.source}: no such file")
    return req.path


@register_loader("mesh", kind="shape", suffixes=MESH_SUFFIXES, description=f"meshes ({' '.join(MESH_SUFFIXES)})")
def _load_mesh(req: LoadRequest) -> Signal:
    return load_mesh(_existing(req), req.source)


@register_loader("point_cloud", kind="shape", suffixes=CLOUD_SUFFIXES,
                 description="oriented point clouds (.xyz: x y z nx ny nz)")
def _load_cloud(req: LoadRequest) -> Signal:
    return load_xyz(_existing(req), req.source)


def sample_surface(vertices: np.ndarray, faces: np.ndarray, n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Area-weighted surface samples ``[n, 3]`` and their unit face normals ``[n, 3]`` (protocols.md §7.1)."""
    if n <= 0:
        raise InputError("number of surface samples must be positive")
    tri = vertices[faces]  # [F, 3 corners, 3]
    cross = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    area2 = np.linalg.norm(cross, axis=1)
    if area2.sum() <= 0:
        raise InputError("mesh has zero surface area")
    rng = np.random.default_rng(seed)
    face = rng.choice(len(faces), size=n, p=area2 / area2.sum())
    r1, r2 = np.sqrt(rng.random(n)), rng.random(n)
    bary = np.stack([1.0 - r1, r1 * (1.0 - r2), r1 * r2], axis=1)  # [n, 3]
    points = np.einsum("nk,nkd->nd", bary, tri[face])
    normals = cross[face] / np.maximum(area2[face], 1e-300)[:, None]
    return points, normals


def bacon_normalisation(points: np.ndarray, half_extent: float = BACON_HALF_EXTENT) -> Affine:
    """BACON's map: subtract the mean, then one global min/max to [-half_extent, half_extent] (§7.2)."""
    mean = points.mean(axis=0)
    centred = points - mean
    lo, hi = float(centred.min()), float(centred.max())
    if hi - lo <= 0:
        raise InputError("degenerate point cloud (zero extent)")
    scale = 2.0 * half_extent / (hi - lo)
    offset = -mean * scale - lo * scale - half_extent
    return Affine(scale=scale, offset=tuple(float(v) for v in offset))


@dataclass(frozen=True)
class OrientedCloud:
    """A normalised oriented cloud with the mesh (if any) in the same frame."""

    points: np.ndarray
    normals: np.ndarray
    affine: Affine
    vertices: np.ndarray | None
    faces: np.ndarray | None
    watertight: bool


def oriented_cloud(signal: Signal, n_points: int, seed: int = 0) -> OrientedCloud:
    """The training cloud of a shape signal in the BACON frame (mesh sampled with ``n_points``)."""
    faces = signal.meta.get("faces")
    if faces is not None:
        points, normals = sample_surface(signal.values, faces, n_points, seed)
    else:
        points, normals = signal.values[:, :3], signal.values[:, 3:6]
    affine = bacon_normalisation(points)
    vertices = affine.apply(signal.values) if faces is not None else None
    return OrientedCloud(points=affine.apply(points).astype(np.float32), normals=normals.astype(np.float32),
                         affine=affine, vertices=vertices, faces=faces,
                         watertight=bool(signal.meta.get("watertight")))
