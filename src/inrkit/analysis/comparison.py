"""Readable run figures: ground truth | fit | error panels and shaded mesh renders (matplotlib, Agg).

``save_comparison`` draws one row per view (an image, a video frame, a volume slice): ground truth,
fit and the absolute error on one fixed scale for every row, with a colour bar and each row's
PSNR/SSIM in its label. ``save_mesh_render`` draws a mesh as Lambert-shaded triangles (matplotlib's
``Poly3DCollection``), front and side views.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from inrkit.analysis.plots import pyplot, save_figure
from inrkit.metrics import image as im

#: the error colour scale is fixed: 0 to ``ERROR_MAX`` (absolute error of values in [0, 1]).
ERROR_MAX = 0.1
#: width of one panel in inches; figures are 3 panels plus a colour bar wide at 100 dpi.
PANEL_IN = 3.6


def view_label(title: str, gt: np.ndarray, pred: np.ndarray) -> str:
    """``title`` with the view's PSNR and (when at least 11 x 11) SSIM."""
    parts = [title, f"PSNR {im.psnr(pred, gt):.2f} dB"]
    if min(gt.shape[:2]) >= 11:
        parts.append(f"SSIM {im.ssim(pred, gt):.4f}")
    return "  ".join(p for p in parts if p)


def save_comparison(path: Path, views: Sequence[tuple[str, np.ndarray, np.ndarray]],
                    error_max: float = ERROR_MAX) -> None:
    """Write a ground truth | fit | error figure, one row per ``(title, gt, pred)`` view.

    Args:
        path: the PNG to write.
        views: ``(title, gt, pred)`` with ``[H, W]`` or ``[H, W, C]`` arrays in [0, 1].
        error_max: top of the fixed error colour scale (mean absolute error over channels).
    """
    plt = pyplot()
    h, w = views[0][1].shape[:2]
    panel_h = PANEL_IN * h / w
    fig, axes = plt.subplots(len(views), 3, squeeze=False, dpi=100, layout="constrained",
                             figsize=(3 * PANEL_IN + 1.0, len(views) * (panel_h + 0.6) + 0.2))
    err_im = None
    for row, (title, gt, pred) in zip(axes, views, strict=True):
        gt, pred = np.clip(gt, 0.0, 1.0), np.clip(pred, 0.0, 1.0)
        grey = gt.ndim == 2 or gt.shape[-1] == 1
        show = (lambda a: a.reshape(a.shape[:2])) if grey else (lambda a: a)
        kw = {"cmap": "gray", "vmin": 0.0, "vmax": 1.0} if grey else {}
        row[0].imshow(show(gt), **kw)
        row[1].imshow(show(pred), **kw)
        err = np.abs(pred - gt).reshape(*gt.shape[:2], -1).mean(axis=-1)
        err_im = row[2].imshow(err, cmap="magma", vmin=0.0, vmax=error_max)
        for ax, name in zip(row, ("ground truth", "fit", "|fit - truth|"), strict=True):
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_title(name, fontsize=9)
        row[1].set_xlabel(view_label(title, gt, pred), fontsize=9)
    bar = fig.colorbar(err_im, ax=axes[:, 2].tolist(), fraction=0.05, pad=0.02)
    bar.set_label(f"absolute error (fixed scale 0-{error_max:g})", fontsize=8)
    save_figure(fig, path)


def save_mesh_render(path: Path, vertices: np.ndarray, faces: np.ndarray, max_faces: int = 60_000) -> None:
    """Write front and side Lambert-shaded renders of a triangle mesh (axis 1 up).

    Meshes with more than ``max_faces`` triangles are drawn from an even subset of them.
    """
    from mpl_toolkits.mplot3d.art3d import Poly3DCollection

    plt = pyplot()
    faces = np.asarray(faces)
    if len(faces) > max_faces:
        faces = faces[np.linspace(0, len(faces) - 1, max_faces).astype(np.int64)]
    tri = np.asarray(vertices, dtype=np.float64)[faces][..., [0, 2, 1]]  # matplotlib z is up
    normals = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    normals /= np.linalg.norm(normals, axis=1, keepdims=True) + 1e-12
    lo, hi = tri.reshape(-1, 3).min(0), tri.reshape(-1, 3).max(0)
    centre, half = (lo + hi) / 2, float(np.max(hi - lo)) / 2 * 1.02 + 1e-12
    fig = plt.figure(figsize=(9, 4.6), dpi=100)
    for i, (name, azim) in enumerate((("front", -90.0), ("side", 0.0))):
        ax = fig.add_subplot(1, 2, i + 1, projection="3d")
        view = np.array([np.cos(np.radians(azim)), np.sin(np.radians(azim)), 0.6])
        light = view / np.linalg.norm(view) + np.array([-0.3, 0.0, 0.4])
        shade = 0.2 + 0.8 * np.abs(normals @ (light / np.linalg.norm(light)))
        colours = shade[:, None] * np.array([0.62, 0.7, 0.9])
        ax.add_collection3d(Poly3DCollection(tri, facecolors=colours, edgecolors="none"))
        for setter, c in zip((ax.set_xlim, ax.set_ylim, ax.set_zlim), centre, strict=True):
            setter(c - half, c + half)
        ax.set_box_aspect((1, 1, 1))
        ax.view_init(elev=15, azim=azim)
        ax.set_axis_off()
        ax.set_title(f"{name} ({len(faces)} faces drawn)", fontsize=9)
    fig.tight_layout()
    save_figure(fig, path)
