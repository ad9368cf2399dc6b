"""Grid-domain operators: identity (denoising), sampling mask (inpainting), area downsampling
(super-resolution) and Gaussian blur (deblurring) — protocols.md §11.1-11.3.

Every operator works on any grid dimension (images ``[H, W, C]``, volumes ``[D, H, W, C]``) and is
linear; the adjoints are exact (the mask scatters back, downsampling spreads each block mean over its
block divided by its size, the zero-padded blur with a symmetric kernel is self-adjoint).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor

from inrkit.errors import InputError
from inrkit.ops.operators.base import NoiseConfig, Operator
from inrkit.registry import OPERATORS


@dataclass(frozen=True)
class IdentityConfig:
    """Identity: measurements are the (noisy) signal itself."""


@OPERATORS.register("identity", config=IdentityConfig)
class Identity(Operator):
    """Identity (denoising: the noise of the task's NoiseConfig is all there is)."""

    baselines = ("noisy", "tv", "bm3d")

    def __init__(self, cfg: IdentityConfig, shape: tuple[int, ...]):
        super().__init__(shape)
        self.cfg = cfg

    def forward(self, x: Tensor) -> Tensor:
        return x

    def adjoint(self, y: Tensor) -> Tensor:
        return y

    def classical(self, name: str, y: Tensor, noise: NoiseConfig) -> Tensor:
        """``noisy``: the measurements; ``tv``: Chambolle TV with weight = the noise std (scikit-image);
        ``bm3d``: BM3D (the ``bm3d`` package; ``bm3d_rgb`` for colour) at the noise std."""
        img = np.clip(y.detach().cpu().double().numpy(), 0.0, 1.0)
        sigma = max(noise.std_estimate(y), 1e-3)
        if name == "noisy":
            out = img
        elif name == "tv":
            from skimage.restoration import denoise_tv_chambolle

            out = denoise_tv_chambolle(img, weight=sigma, channel_axis=-1)
        elif name == "bm3d":
            out = bm3d_denoise(img, sigma)
        else:
            return super().classical(name, y, noise)
        return torch.from_numpy(np.asarray(out, np.float64)).float()


def bm3d_denoise(img: np.ndarray, sigma: float) -> np.ndarray:
    """BM3D of a ``[H, W, C]`` image (per slice for volumes) with noise std ``sigma``."""
    import bm3d

    if img.ndim == 4:
        return np.stack([bm3d_denoise(s, sigma) for s in img])
    if img.shape[-1] == 3:
        return bm3d.bm3d_rgb(img, sigma)
    return np.stack([bm3d.bm3d(img[..., c], sigma) for c in range(img.shape[-1])], axis=-1)


@dataclass(frozen=True)
class MaskConfig:
    """Sampling mask over the grid (shared by the channels)."""

    #: random (i.i.d. Bernoulli per sample, WIRE random2d), columns (whole lines along the last axis
    #: kept at random, WIRE random1d) or bayer (every second sample along every axis, [::2, ::2]).
    pattern: Literal["random", "columns", "bayer"] = "random"
    #: keep fraction p (random and columns).
    keep: float = 0.2
    #: seed of the mask.
    seed: int = 0


@OPERATORS.register("mask", config=MaskConfig)
class Mask(Operator):
    """Sampling mask (inpainting): the observed samples ``x[mask]`` as ``[M, C]``."""

    baselines = ("biharmonic", "linear")

    def __init__(self, cfg: MaskConfig, shape: tuple[int, ...]):
        super().__init__(shape)
        self.cfg = cfg
        self.mask = make_mask(cfg, self.grid_shape)

    def forward(self, x: Tensor) -> Tensor:
        return x[self.mask]  # [M, C]

    def adjoint(self, y: Tensor) -> Tensor:
        out = torch.zeros(self.shape, dtype=y.dtype, device=y.device)
        out[self.mask] = y
        return out

    def regions(self) -> dict[str, Tensor]:
        return {"missing": ~self.mask, "observed": self.mask}

    def classical(self, name: str, y: Tensor, noise: NoiseConfig) -> Tensor:
        """``biharmonic``: scikit-image biharmonic inpainting; ``linear``: piecewise-linear interpolation
        of the observed samples (scipy ``griddata``, nearest neighbour outside their hull)."""
        mask = self.mask.cpu().numpy()
        filled = self.adjoint(y.detach().cpu()).double().numpy()
        if name == "biharmonic":
            from skimage.restoration import inpaint_biharmonic

            out = inpaint_biharmonic(filled, ~mask, channel_axis=-1)
        elif name == "linear":
            from scipy.interpolate import griddata

            pts = np.argwhere(mask)
            every = np.argwhere(np.ones_like(mask))
            vals = filled[mask]
            out = griddata(pts, vals, every, method="linear")
            near = griddata(pts, vals, every, method="nearest")
            out = np.where(np.isfinite(out), out, near).reshape(self.shape)
        else:
            return super().classical(name, y, noise)
        return torch.from_numpy(np.clip(out, 0.0, 1.0)).float()


def make_mask(cfg: MaskConfig, grid_shape: tuple[int, ...]) -> Tensor:
    """Boolean mask of ``grid_shape`` (True = observed)."""
    if not 0.0 < cfg.keep <= 1.0:
        raise InputError(f"mask keep fraction must lie in (0, 1], got {cfg.keep}")
    rng = np.random.default_rng(cfg.seed)
    if cfg.pattern == "random":
        mask = rng.random(grid_shape) < cfg.keep
    elif cfg.pattern == "columns":
        cols = rng.random(grid_shape[-1]) < cfg.keep
        mask = np.broadcast_to(cols, grid_shape).copy()
    elif cfg.pattern == "bayer":
        mask = np.zeros(grid_shape, bool)
        mask[tuple(slice(None, None, 2) for _ in grid_shape)] = True
    else:
        raise InputError(f"unknown mask pattern {cfg.pattern!r}")
    if not mask.any():
        raise InputError("the sampling mask keeps no sample; raise keep")
    return torch.from_numpy(mask)


@dataclass(frozen=True)
class DownsampleConfig:
    """Area (block-mean) downsampling."""

    #: factor s along every axis (the signal is cropped to a multiple of s).
    factor: int = 4


@OPERATORS.register("downsample", config=DownsampleConfig)
class Downsample(Operator):
    """Area downsampling by s (super-resolution; the field is evaluated on the high-resolution grid)."""

    baselines = ("bicubic", "bilinear")

    def __init__(self, cfg: DownsampleConfig, shape: tuple[int, ...]):
        super().__init__(shape)
        self.cfg = cfg
        s = cfg.factor
        if s < 1 or any(n % s for n in self.grid_shape):
            raise InputError(f"downsample factor {s} must divide the grid {self.grid_shape}")
        self.low_shape = tuple(n // s for n in self.grid_shape)

    @staticmethod
    def valid_shape(cfg: DownsampleConfig, shape: tuple[int, ...]) -> tuple[int, ...]:
        s = max(cfg.factor, 1)
        return (*[n - n % s for n in shape[:-1]], shape[-1])

    def _blocks(self, x: Tensor) -> Tensor:
        s = self.cfg.factor
        split = [d for n in self.low_shape for d in (n, s)]
        return x.reshape(*split, self.shape[-1])  # [n0, s, n1, s, ..., C]

    def forward(self, x: Tensor) -> Tensor:
        d = len(self.low_shape)
        return self._blocks(x).mean(dim=tuple(2 * i + 1 for i in range(d)))

    def adjoint(self, y: Tensor) -> Tensor:
        s, d = self.cfg.factor, len(self.low_shape)
        out = y / s ** d
        for axis in range(d):
            out = out.repeat_interleave(s, dim=axis)
        return out

    def classical(self, name: str, y: Tensor, noise: NoiseConfig) -> Tensor:
        """``bicubic`` / ``bilinear`` upsampling of the low-resolution image to the high-resolution grid
        (Pillow's kernels for images, pixel centres aligned; scipy ``zoom`` splines for volumes)."""
        if name not in self.baselines:
            return super().classical(name, y, noise)
        low = y.detach().cpu().float().numpy()
        if len(self.low_shape) == 2:
            from PIL import Image

            method = Image.Resampling.BICUBIC if name == "bicubic" else Image.Resampling.BILINEAR
            h, w = self.grid_shape
            out = np.stack([np.asarray(Image.fromarray(low[..., c], mode="F").resize((w, h), method))
                            for c in range(low.shape[-1])], axis=-1)
        else:
            from scipy import ndimage

            zoom = (*[self.cfg.factor] * len(self.low_shape), 1)
            out = ndimage.zoom(low, zoom, order=3 if name == "bicubic" else 1, grid_mode=True, mode="nearest")
        return torch.from_numpy(np.clip(out, 0.0, 1.0)).float()


@dataclass(frozen=True)
class BlurConfig:
    """Gaussian blur with zero padding (separable, same-size output)."""

    #: kernel standard deviation in samples.
    sigma: float = 2.0
    #: kernel radius in standard deviations (kernel size 2 ceil(truncate sigma) + 1).
    truncate: float = 3.0
    #: Wiener baseline: regularisation balance (scikit-image ``restoration.wiener``).
    wiener_balance: float = 0.01


def gaussian_kernel(sigma: float, truncate: float) -> Tensor:
    radius = max(int(math.ceil(truncate * sigma)), 1)
    t = torch.arange(-radius, radius + 1, dtype=torch.float64)
    k = torch.exp(-0.5 * (t / sigma) ** 2)
    return (k / k.sum()).float()


@OPERATORS.register("blur", config=BlurConfig)
class Blur(Operator):
    """Gaussian blur (deblurring), separable along every grid axis, zero padding."""

    baselines = ("blurred", "wiener")

    def __init__(self, cfg: BlurConfig, shape: tuple[int, ...]):
        super().__init__(shape)
        if cfg.sigma <= 0:
            raise InputError(f"blur sigma must be positive, got {cfg.sigma}")
        self.cfg = cfg
        self.kernel = gaussian_kernel(cfg.sigma, cfg.truncate)

    def forward(self, x: Tensor) -> Tensor:
        k = self.kernel.to(x.dtype).view(1, 1, -1)
        out = x
        for axis in range(len(self.grid_shape)):
            moved = out.movedim(axis, -1)  # [..., n]
            flat = moved.reshape(-1, 1, moved.shape[-1])
            conv = F.conv1d(flat, k, padding=k.shape[-1] // 2)
            out = conv.reshape(moved.shape).movedim(-1, axis)
        return out

    def adjoint(self, y: Tensor) -> Tensor:
        return self.forward(y)  # symmetric kernel, zero padding: self-adjoint

    def psf(self) -> np.ndarray:
        k = self.kernel.double().numpy()
        out = k
        for _ in range(len(self.grid_shape) - 1):
            out = np.multiply.outer(out, k)
        return out

    def classical(self, name: str, y: Tensor, noise: NoiseConfig) -> Tensor:
        """``blurred``: the measurements; ``wiener``: scikit-image Wiener deconvolution per channel."""
        img = y.detach().cpu().double().numpy()
        if name == "blurred":
            out = img
        elif name == "wiener":
            from skimage.restoration import wiener

            out = np.stack([wiener(img[..., c], self.psf(), self.cfg.wiener_balance, clip=False)
                            for c in range(img.shape[-1])], axis=-1)
        else:
            return super().classical(name, y, noise)
        return torch.from_numpy(np.clip(out, 0.0, 1.0)).float()
