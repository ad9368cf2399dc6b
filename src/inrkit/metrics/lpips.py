"""LPIPS (Zhang et al. 2018, arXiv:1801.03924) through the maintained ``lpips`` package, never downloaded.

The ``lpips`` package ships its v0.1 linear heads but builds its AlexNet trunk with torchvision, whose
ImageNet weights (``alexnet-owt-7be5be79.pth``) come from the torch hub cache
(``torch.hub.get_dir()/checkpoints``, honouring ``TORCH_HOME``). The metric is computed only when the
package and torchvision import and that file is already in the cache; otherwise ``lpips`` returns None,
``lpips_metrics`` reports ``{"lpips": None, "lpips_status": why}`` and one note goes to stderr once per
process (a plain line, no warning with a source line). Install with ``pip install lpips torchvision``
and place the AlexNet checkpoint in the hub cache to enable it.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import numpy as np
import torch

from inrkit.registry import METRICS

ALEXNET_FILE = "alexnet-owt-7be5be79.pth"
MIN_SIZE = 31  # smallest side for which AlexNet's fifth tap is non-empty
_MODEL: Any = None
_NOTED = False


def alexnet_checkpoint() -> Path:
    """Where torchvision looks for the AlexNet weights in the local torch hub cache."""
    return Path(torch.hub.get_dir()) / "checkpoints" / ALEXNET_FILE


def lpips_status() -> str | None:
    """None when LPIPS can be computed locally, else why it is skipped."""
    missing = [m for m in ("lpips", "torchvision") if importlib.util.find_spec(m) is None]
    if missing:
        return f"skipped: {' and '.join(missing)} not installed (pip install lpips torchvision)"
    if not alexnet_checkpoint().is_file():
        return (f"skipped: AlexNet weights not found at {alexnet_checkpoint()} "
                "(the torch hub cache; nothing is downloaded at run time)")
    return None


def note_once(status: str) -> None:
    """Print ``inrkit: note: LPIPS <status>`` to stderr, once per process."""
    global _NOTED
    if not _NOTED:
        _NOTED = True
        print(f"inrkit: note: LPIPS {status}", file=sys.stderr)


def load_lpips() -> Any:
    """The ``lpips.LPIPS`` AlexNet model in eval mode (cached), or None when unavailable."""
    global _MODEL
    if _MODEL is None and lpips_status() is None:
        import lpips as lpips_package

        _MODEL = lpips_package.LPIPS(net="alex", pretrained=True, verbose=False).eval()
    return _MODEL


def _to_nchw(img: Any) -> torch.Tensor:
    """``[H, W]`` / ``[H, W, C]`` in [0, 1] as ``[1, 3, H, W]`` in [-1, 1] (grey repeated to RGB)."""
    a = torch.as_tensor(np.asarray(img, dtype=np.float32))
    a = a[..., None] if a.ndim == 2 else a
    if a.shape[-1] == 1:
        a = a.expand(*a.shape[:2], 3)
    return a.permute(2, 0, 1)[None] * 2.0 - 1.0


def lpips(pred: Any, gt: Any) -> float | None:
    """LPIPS (v0.1, AlexNet) between two [0, 1] images (the prediction clamped); None when unavailable."""
    p, g = _to_nchw(np.clip(pred, 0.0, 1.0)), _to_nchw(gt)
    if p.shape != g.shape:
        raise ValueError(f"prediction shape {tuple(p.shape)} differs from ground truth {tuple(g.shape)}")
    model = load_lpips()
    if model is None:
        note_once(lpips_status() or "unavailable")
        return None
    with torch.no_grad():
        return float(model(p, g).reshape(-1)[0])


def lpips_metrics(pred: Any, gt: Any) -> dict[str, Any]:
    """``{"lpips": value}``, or ``{"lpips": None, "lpips_status": why}`` when it cannot run locally."""
    status = lpips_status()
    if status is not None:
        note_once(status)
        return {"lpips": None, "lpips_status": status}
    return {"lpips": lpips(pred, gt)}


METRICS.add("lpips", lpips, description="LPIPS v0.1 (AlexNet, the lpips package), None when its weights are not local")
