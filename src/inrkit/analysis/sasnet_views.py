"""SASNet views: learned masks (one cool-warm image per group and layer) and the FEmb spectrum.

Masks are evaluated on the task's training grid (2-D signals; for 3-D grids the middle slice along
the first axis). The spectrum plot shows the frozen integer frequencies k of the FEmb, coloured by
group (low group, then high bands), as in the SASNet paper's frequency-embedding figure.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from inrkit.analysis.plots import pyplot, save_figure
from inrkit.analysis.views import register_view
from inrkit.fields.sasnet import SASNet
from inrkit.io import write_with
from inrkit.signals.image import save_image


def mask_images(field: SASNet, task) -> dict[str, np.ndarray]:
    """``{"h1": [H, W, K], "h2": [H, W, G], ...}`` evaluated on the task's grid."""
    from inrkit.ops.coords import chunked, grid

    shape = task.signal.grid_shape
    lo, hi = task.cfg.coord_range
    coords = grid(shape, task.cfg.coord_convention, lo, hi)
    if len(shape) == 3:
        coords = coords[shape[0] // 2]
    plane = coords.shape[:-1]
    flat = coords.reshape(-1, coords.shape[-1]).to(next(field.parameters()).device)
    with torch.no_grad():
        all_m = chunked(lambda x: field.all_masks(x), flat, 65536).cpu().numpy()
    return {name: all_m[:, a:b].reshape(*plane, b - a) for name, (a, b) in
            ((f"h{i}", ab) for i, ab in field.mask_split.items())}


@register_view(SASNet)
def write_sasnet_views(field: SASNet, task, out_dir: Path) -> list[str]:
    written: list[str] = []
    if field.n_masks and hasattr(task, "signal") and task.signal.ndim in (2, 3):
        import matplotlib

        cmap = matplotlib.colormaps["coolwarm"]
        (out_dir / "masks").mkdir(parents=True, exist_ok=True)
        plt = pyplot()
        for name, stack in mask_images(field, task).items():
            g = stack.shape[-1]
            for j in range(g):
                rel = f"masks/{name}_g{j}.png"
                rgb = cmap(np.clip(stack[..., j], 0.0, 1.0))[..., :3]
                write_with(out_dir / rel, lambda p, rgb=rgb: save_image(p, rgb))
                written.append(f"plots/{rel}")
            cols = min(g, 4)
            rows = (g + cols - 1) // cols
            fig, axes = plt.subplots(rows, cols, figsize=(2.4 * cols, 2.4 * rows), squeeze=False, dpi=100)
            for j, ax in enumerate(axes.flat):
                ax.axis("off")
                if j < g:
                    im = ax.imshow(stack[..., j], cmap="coolwarm", vmin=0, vmax=1)
                    ax.set_title(f"{name} group {j + (1 if name == 'h1' else 0)}", fontsize=8)
            fig.colorbar(im, ax=axes.ravel().tolist(), shrink=0.7)
            save_figure(fig, out_dir / f"masks_{name}.png")
            written.append(f"plots/masks_{name}.png")
    if field.cfg.use_femb:
        written.append(write_spectrum(field, out_dir / "femb_spectrum.png"))
    return written


def write_spectrum(field: SASNet, path: Path) -> str:
    """Scatter of the FEmb integer frequencies (first two axes), coloured by group."""
    plt = pyplot()
    rows = np.asarray(field.first.frequencies.rows)
    sizes = field.first.group_sizes
    labels = ["low (unmasked)"] + [f"band {j + 1}" for j in range(len(sizes) - 1)]
    fig, ax = plt.subplots(figsize=(4.8, 4.2), dpi=110)
    start = 0
    for size, label in zip(sizes, labels, strict=True):
        part = rows[start:start + size]
        start += size
        if len(part):
            ky = part[:, 1] if rows.shape[1] > 1 else np.zeros(len(part))
            ax.scatter(part[:, 0], ky, s=8, label=f"{label} ({size})")
    ax.set_xlabel("k_1")
    ax.set_ylabel("k_2")
    ax.set_title(f"FEmb frequencies (P = {field.first.period:g}, B = {field.cfg.femb.band_limit})", fontsize=9)
    ax.legend(fontsize=7, loc="upper right")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    save_figure(fig, path)
    return f"plots/{path.name}"
