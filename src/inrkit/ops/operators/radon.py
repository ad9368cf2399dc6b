"""Parallel-beam Radon transform (sparse-view CT, protocols.md §11.4), differentiable in PyTorch.

As WIRE's ``lin_inverse.radon``: for each angle theta the image is rotated about its centre by
theta (bilinear interpolation, zero outside, output size unchanged) and summed along the row axis
(H), giving one projection of length W; the sinogram is ``[n_angles, W, C]``. The rotation maps
output pixel ``(r, c)`` to the input position

    x = cx + cos(theta) (c - cx) + sin(theta) (r - cy),   y = cy - sin(theta) (c - cx) + cos(theta) (r - cy)

with ``(cy, cx) = ((H - 1)/2, (W - 1)/2)``, which is scikit-image's ``radon`` convention (rotation
centre ``N // 2``; equal for odd N) so that ``radon(img, theta).T`` matches this operator on a square
image that is zero outside its inscribed circle (tests/ops/test_operators.py). Resampling is
``grid_sample`` with ``align_corners=True`` (pixel index 0 and N-1 at -1 and +1). A non-square image
loses its corners under rotation: that is part of the reference operator.

Classical baseline: filtered back-projection (scikit-image ``iradon``, ramp filter) of the
sinogram, reconstructed on ``max(H, W)`` squared and cropped to the centre ``H x W``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor

from inrkit.errors import InputError
from inrkit.ops.operators.base import NoiseConfig, Operator
from inrkit.registry import OPERATORS


@dataclass(frozen=True)
class RadonConfig:
    """Parallel-beam geometry."""

    #: number of projection angles (WIRE: 100).
    n_angles: int = 100
    #: angles ``linspace(0, max_angle, n_angles)`` in degrees, both ends included (WIRE).
    max_angle: float = 180.0
    #: FBP baseline filter (scikit-image ``iradon`` filter_name).
    fbp_filter: str = "ramp"


def angles(cfg: RadonConfig) -> np.ndarray:
    return np.linspace(0.0, cfg.max_angle, cfg.n_angles)


def rotation_grids(theta_deg: np.ndarray, h: int, w: int) -> Tensor:
    """``grid_sample`` grids ``[A, H, W, 2]`` (x, y normalised, align_corners=True) of each rotation."""
    th = torch.as_tensor(np.deg2rad(theta_deg), dtype=torch.float64).view(-1, 1, 1)
    r = torch.arange(h, dtype=torch.float64).view(1, -1, 1)
    c = torch.arange(w, dtype=torch.float64).view(1, 1, -1)
    cy, cx = (h - 1) / 2.0, (w - 1) / 2.0
    cos, sin = torch.cos(th), torch.sin(th)
    x = cx + cos * (c - cx) + sin * (r - cy)
    y = cy - sin * (c - cx) + cos * (r - cy)
    gx = 2.0 * x / max(w - 1, 1) - 1.0
    gy = 2.0 * y / max(h - 1, 1) - 1.0
    return torch.stack([gx, gy], dim=-1).float()


@OPERATORS.register("radon", config=RadonConfig)
class Radon(Operator):
    """Parallel-beam Radon transform by rotate-and-sum (WIRE's CT operator)."""

    baselines = ("fbp",)

    def __init__(self, cfg: RadonConfig, shape: tuple[int, ...]):
        super().__init__(shape)
        if len(self.grid_shape) != 2:
            raise InputError(f"the radon operator needs a 2-D image, got a grid of shape {self.grid_shape}")
        if cfg.n_angles < 1:
            raise InputError("radon n_angles must be at least 1")
        self.cfg = cfg
        self.theta = angles(cfg)
        self.grids = rotation_grids(self.theta, *self.grid_shape)  # [A, H, W, 2]

    def forward(self, x: Tensor) -> Tensor:
        a = self.grids.shape[0]
        img = x.movedim(-1, 0).unsqueeze(0).expand(a, -1, -1, -1)  # [A, C, H, W]
        rotated = F.grid_sample(img, self.grids.to(x.dtype), mode="bilinear", padding_mode="zeros",
                                align_corners=True)
        return rotated.sum(dim=2).movedim(1, -1)  # [A, W, C]

    def adjoint(self, y: Tensor) -> Tensor:
        """Back-projection (the exact transpose of ``forward``, through autograd)."""
        x = torch.zeros(self.shape, dtype=y.dtype, device=y.device, requires_grad=True)
        with torch.enable_grad():
            (g,) = torch.autograd.grad(self.forward(x), x, grad_outputs=y)
        return g

    def classical(self, name: str, y: Tensor, noise: NoiseConfig) -> Tensor:
        if name != "fbp":
            return super().classical(name, y, noise)
        from skimage.transform import iradon

        h, w = self.grid_shape
        n = max(h, w)
        sino = y.detach().cpu().double().numpy()  # [A, W, C]
        out = []
        for c in range(sino.shape[-1]):
            rec = iradon(sino[..., c].T, theta=self.theta, filter_name=self.cfg.fbp_filter, circle=True,
                         output_size=n)
            top, left = n // 2 - h // 2, n // 2 - w // 2
            out.append(rec[top:top + h, left:left + w])
        return torch.from_numpy(np.clip(np.stack(out, axis=-1), 0.0, 1.0)).float()

