"""LPIPS v0.1 with the AlexNet trunk (Zhang et al. 2018, arXiv:1801.03924), without torchvision.

Implements metrics.md §3: inputs in [0, 1] mapped to [-1, 1], the LPIPS scaling layer, the five
post-ReLU AlexNet taps, channel-wise unit normalisation, squared differences weighted by the non-negative
v0.1 linear heads, spatial mean, sum over taps.

Two weight files are needed and are never downloaded:

* ``alexnet-owt-7be5be79.pth`` (torchvision ImageNet AlexNet; keys ``features.{0,3,6,8,10}.{weight,bias}``);
* ``alex.pth`` (LPIPS v0.1 linear heads; keys ``lin{0..4}.model.1.weight`` of shape ``[1, C, 1, 1]``).

Lookup order for each file: an explicit directory argument (conventional names), else the environment
variables ``INRKIT_LPIPS_ALEXNET`` / ``INRKIT_LPIPS_LINEAR``, else a local copy (the torch hub checkpoint
cache for the trunk; the file shipped in an installed ``lpips`` wheel for the heads, found through package
metadata without importing ``lpips``). An explicit setting that names a missing file is not overridden by
the fallbacks. When a file is missing LPIPS is skipped: ``lpips`` returns None and warns once per process.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import Tensor, nn

from inrkit.errors import InputError
from inrkit.registry import METRICS

ALEXNET_FILE = "alexnet-owt-7be5be79.pth"
LINEAR_FILE = "alex.pth"
ENV_ALEXNET = "INRKIT_LPIPS_ALEXNET"
ENV_LINEAR = "INRKIT_LPIPS_LINEAR"
SKIP_MESSAGE = (
    "skipped: AlexNet weights not found (set INRKIT_LPIPS_ALEXNET to a local alexnet-owt-7be5be79.pth "
    "and INRKIT_LPIPS_LINEAR to the LPIPS v0.1 alex.pth)"
)

TAP_CHANNELS = (64, 192, 384, 256, 256)
SHIFT = (-0.030, -0.088, -0.188)
SCALE = (0.458, 0.448, 0.450)
MIN_SIZE = 31  # smallest side for which the fifth tap is non-empty (stride 4 conv + two 3/2 max-pools)

ALEXNET_SHAPES: dict[str, tuple[int, ...]] = {
    "features.0.weight": (64, 3, 11, 11),
    "features.0.bias": (64,),
    "features.3.weight": (192, 64, 5, 5),
    "features.3.bias": (192,),
    "features.6.weight": (384, 192, 3, 3),
    "features.6.bias": (384,),
    "features.8.weight": (256, 384, 3, 3),
    "features.8.bias": (256,),
    "features.10.weight": (256, 256, 3, 3),
    "features.10.bias": (256,),
}
LINEAR_SHAPES: dict[str, tuple[int, ...]] = {
    f"lin{i}.model.1.weight": (1, c, 1, 1) for i, c in enumerate(TAP_CHANNELS)
}


class AlexNetTrunk(nn.Module):
    """The convolutional part of torchvision's AlexNet, laid out so that its state-dict keys load as is.

    ``features`` holds the same modules at the same indices as ``torchvision.models.alexnet().features``
    up to the last ReLU (the final max-pool is not needed); the taps follow the ReLUs at 1, 4, 7, 9, 11.
    """

    TAPS = (1, 4, 7, 9, 11)

    def __init__(self) -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 64, kernel_size=11, stride=4, padding=2),  # 0
            nn.ReLU(),
            nn.MaxPool2d(kernel_size=3, stride=2),
            nn.Conv2d(64, 192, kernel_size=5, padding=2),  # 3
            nn.ReLU(),
            nn.MaxPool2d(kernel_size=3, stride=2),
            nn.Conv2d(192, 384, kernel_size=3, padding=1),  # 6
            nn.ReLU(),
            nn.Conv2d(384, 256, kernel_size=3, padding=1),  # 8
            nn.ReLU(),
            nn.Conv2d(256, 256, kernel_size=3, padding=1),  # 10
            nn.ReLU(),
        )

    def forward(self, x: Tensor) -> list[Tensor]:
        """Features after each of the five ReLUs, ``[N, C_l, H_l, W_l]``."""
        taps = []
        for i, layer in enumerate(self.features):
            x = layer(x)
            if i in self.TAPS:
                taps.append(x)
        return taps


class LinearHead(nn.Module):
    """A 1x1 convolution without bias to one channel; ``model.1`` matches the LPIPS key names.

    LPIPS puts a dropout at ``model.0``; it is the identity in evaluation, so it is left out here.
    """

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.model = nn.Sequential(nn.Identity(), nn.Conv2d(channels, 1, kernel_size=1, bias=False))

    def forward(self, x: Tensor) -> Tensor:
        return self.model(x)


def _normalize(x: Tensor, eps: float = 1e-10) -> Tensor:
    """Divide each spatial position's feature vector by its L2 norm over channels (+eps)."""
    return x / (torch.sqrt(torch.sum(x * x, dim=1, keepdim=True)) + eps)


class LPIPS(nn.Module):
    """LPIPS v0.1 (AlexNet). Randomly initialised unless state dicts are given (for tests).

    Args:
        alexnet_state: trunk weights with torchvision keys ``features.*`` (other keys are ignored).
        linear_state: head weights ``lin{0..4}.model.1.weight``.
    """

    def __init__(self, alexnet_state: dict[str, Tensor] | None = None,
                 linear_state: dict[str, Tensor] | None = None) -> None:
        super().__init__()
        self.register_buffer("shift", torch.tensor(SHIFT).view(1, 3, 1, 1))
        self.register_buffer("scale", torch.tensor(SCALE).view(1, 3, 1, 1))
        self.net = AlexNetTrunk()
        self.lins = nn.ModuleList(LinearHead(c) for c in TAP_CHANNELS)
        with torch.no_grad():
            for lin in self.lins:  # random heads must be non-negative like the trained ones
                lin.model[1].weight.abs_()
        if alexnet_state is not None:
            _check_state(alexnet_state, ALEXNET_SHAPES, "AlexNet state dict")
            self.net.load_state_dict({k: alexnet_state[k] for k in ALEXNET_SHAPES})
        if linear_state is not None:
            _check_state(linear_state, LINEAR_SHAPES, "LPIPS linear state dict")
            for i, lin in enumerate(self.lins):
                lin.model[1].weight.data.copy_(linear_state[f"lin{i}.model.1.weight"])
        self.requires_grad_(False)
        self.eval()

    @classmethod
    def from_files(cls, alexnet_path: str | os.PathLike, linear_path: str | os.PathLike) -> LPIPS:
        """Load both weight files (``torch.load(weights_only=True)``), validating key names and shapes."""
        alex = _load_state(alexnet_path, ALEXNET_SHAPES)
        lin = _load_state(linear_path, LINEAR_SHAPES)
        return cls(alex, lin)

    def forward(self, pred: Tensor, gt: Tensor) -> Tensor:
        """LPIPS distance per image.

        Args:
            pred: ``[N, C, H, W]`` with C = 1 (replicated) or 3, values in [0, 1].
            gt: same shape.

        Returns:
            ``[N]`` distances (0 for identical inputs).
        """
        if pred.shape != gt.shape:
            raise ValueError(f"LPIPS inputs differ in shape: {tuple(pred.shape)} vs {tuple(gt.shape)}")
        if pred.ndim != 4 or pred.shape[1] not in (1, 3):
            raise ValueError(f"LPIPS expects [N, 1 or 3, H, W] inputs, got {tuple(pred.shape)}")
        if min(pred.shape[-2:]) < MIN_SIZE:
            raise ValueError(f"LPIPS (AlexNet) needs images of at least {MIN_SIZE}x{MIN_SIZE} pixels, "
                             f"got {pred.shape[-2]}x{pred.shape[-1]}")
        feats = [self.net(self._prepare(x)) for x in (pred, gt)]
        total = pred.new_zeros(pred.shape[0])
        for lin, f0, f1 in zip(self.lins, *feats, strict=True):
            d = (_normalize(f0) - _normalize(f1)) ** 2  # [N, C_l, H_l, W_l]
            total = total + lin(d).mean(dim=(1, 2, 3))
        return total

    def _prepare(self, x: Tensor) -> Tensor:
        if x.shape[1] == 1:
            x = x.expand(-1, 3, -1, -1)
        x = 2.0 * x.contiguous() - 1.0  # one memory layout, so that equal inputs give equal features
        return (x - self.shift.to(x.dtype)) / self.scale.to(x.dtype)


def _check_state(state: Any, shapes: dict[str, tuple[int, ...]], name: str) -> None:
    """One-line ``InputError`` naming ``name`` when a key is missing or has the wrong shape."""
    if not isinstance(state, dict):
        raise InputError(f"{name}: expected a state dict, got {type(state).__name__}")
    for key, shape in shapes.items():
        if key not in state:
            raise InputError(f"{name}: missing key {key!r} (expected keys {', '.join(shapes)})")
        value = state[key]
        if not isinstance(value, Tensor) or tuple(value.shape) != shape:
            got = tuple(value.shape) if isinstance(value, Tensor) else type(value).__name__
            raise InputError(f"{name}: key {key!r} has shape {got}, expected {shape}")


def _load_state(path: str | os.PathLike, shapes: dict[str, tuple[int, ...]]) -> dict[str, Tensor]:
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # unpickling errors come in many types; report them on one line
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(f"{path}: cannot load weights ({first})") from exc
    _check_state(state, shapes, str(path))
    return state


def _lpips_package_linear() -> Path | None:
    """``alex.pth`` shipped in an installed ``lpips`` distribution, found without importing ``lpips``."""
    suffix = ("weights", "v0.1", LINEAR_FILE)
    try:
        dist = importlib.metadata.distribution("lpips")
    except importlib.metadata.PackageNotFoundError:
        dist = None
    if dist is not None:
        for f in dist.files or ():
            if tuple(f.parts[-3:]) == suffix:
                p = Path(dist.locate_file(f))
                if p.is_file():
                    return p
    spec = importlib.util.find_spec("lpips")  # top-level: locates the package without executing it
    if spec is not None and spec.submodule_search_locations:
        for root in spec.submodule_search_locations:
            p = Path(root).joinpath(*suffix)
            if p.is_file():
                return p
    return None


def _hub_alexnet() -> Path | None:
    """The trunk in torch hub's checkpoint cache (where torchvision would have stored it), if present."""
    p = Path(torch.hub.get_dir()) / "checkpoints" / ALEXNET_FILE
    return p if p.is_file() else None


def weight_paths(weights_dir: str | os.PathLike | None = None) -> tuple[Path | None, Path | None]:
    """Paths of the (AlexNet, linear) weight files, each None when not found."""
    if weights_dir is not None:
        alex, lin = Path(weights_dir) / ALEXNET_FILE, Path(weights_dir) / LINEAR_FILE
    else:
        env_alex, env_lin = os.environ.get(ENV_ALEXNET), os.environ.get(ENV_LINEAR)
        alex = Path(env_alex) if env_alex else _hub_alexnet()
        lin = Path(env_lin) if env_lin else _lpips_package_linear()
    return (alex if alex is not None and alex.is_file() else None,
            lin if lin is not None and lin.is_file() else None)


def lpips_status(weights_dir: str | os.PathLike | None = None) -> str | None:
    """None when both weight files are available, else the skip message recorded as ``lpips_status``."""
    alex, lin = weight_paths(weights_dir)
    return None if alex is not None and lin is not None else SKIP_MESSAGE


_MODELS: dict[tuple[Any, ...], LPIPS] = {}
_WARNED = False


def load_lpips(weights_dir: str | os.PathLike | None = None) -> LPIPS | None:
    """The pretrained model in float64 (cached per pair of files), or None when the weights are missing."""
    alex, lin = weight_paths(weights_dir)
    if alex is None or lin is None:
        return None
    key = tuple((p.resolve(), p.stat().st_mtime_ns, p.stat().st_size) for p in (alex, lin))
    if key not in _MODELS:
        _MODELS[key] = LPIPS.from_files(alex, lin).double()
    return _MODELS[key]


def _to_nchw(img: Any) -> Tensor:
    x = img.detach().cpu() if isinstance(img, Tensor) else torch.from_numpy(np.asarray(img, dtype=np.float64))
    x = x.to(torch.float64)
    if x.ndim == 2:
        x = x[..., None]
    if x.ndim != 3 or x.shape[-1] not in (1, 3):
        raise ValueError(f"LPIPS expects an image [H, W], [H, W, 1] or [H, W, 3], got {tuple(x.shape)}")
    return x.permute(2, 0, 1)[None].contiguous()  # [1, C, H, W]


def lpips(pred: Any, gt: Any, weights_dir: str | os.PathLike | None = None) -> float | None:
    """LPIPS (v0.1, AlexNet) between two [0, 1] images; the prediction is clamped to [0, 1].

    Args:
        pred: prediction ``[H, W]`` or ``[H, W, C]`` (C = 1 or 3).
        gt: ground truth of the same shape (never clamped).
        weights_dir: directory holding ``alexnet-owt-7be5be79.pth`` and ``alex.pth``; environment
            variables and local copies are used when None.

    Returns:
        The distance, or None when the weights are missing (a warning is issued once per process).
    """
    global _WARNED
    p, g = _to_nchw(pred), _to_nchw(gt)
    if p.shape != g.shape:
        raise ValueError(f"prediction shape {tuple(p.shape)} differs from ground truth {tuple(g.shape)}")
    model = load_lpips(weights_dir)
    if model is None:
        if not _WARNED:
            _WARNED = True
            warnings.warn(SKIP_MESSAGE, RuntimeWarning, stacklevel=2)
        return None
    with torch.no_grad():
        return float(model(p.clamp(0.0, 1.0), g)[0])


def lpips_metrics(pred: Any, gt: Any) -> dict[str, Any]:
    """``{"lpips": value}``, or ``{"lpips": None, "lpips_status": why}`` when the weights are absent."""
    status = lpips_status()
    if status is not None:
        lpips(pred, gt)  # warns once per process with the same message
        return {"lpips": None, "lpips_status": status}
    return {"lpips": lpips(pred, gt)}



METRICS.add("lpips", lpips, description="LPIPS v0.1 (AlexNet), None when the weights are not available locally")
