"""Forward operators: reference checks (scikit-image Radon, NumPy FFT, block mean, scipy Gaussian),
exact adjoints, differentiability, noise statistics and the classical reconstructions."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from inrkit.ops.operators import NoiseConfig, add_noise
from inrkit.ops.operators.image import (
    Blur,
    BlurConfig,
    Downsample,
    DownsampleConfig,
    Identity,
    IdentityConfig,
    Mask,
    MaskConfig,
)
from inrkit.ops.operators.mri import KSpace, KSpaceConfig
from inrkit.ops.operators.radon import Radon, RadonConfig, angles
from inrkit.registry import OPERATORS


def disc_phantom(n: int) -> np.ndarray:
    """A small Shepp-Logan phantom that is zero outside the inscribed circle (odd n: centre n // 2)."""
    from skimage.data import shepp_logan_phantom
    from skimage.transform import resize

    img = resize(shepp_logan_phantom(), (n, n), anti_aliasing=True)
    yy, xx = np.mgrid[:n, :n]
    img[(yy - n // 2) ** 2 + (xx - n // 2) ** 2 > (n // 2 - 2) ** 2] = 0.0
    return img


def test_radon_matches_skimage():
    from skimage.transform import radon

    img = disc_phantom(41)
    cfg = RadonConfig(n_angles=12)
    op = Radon(cfg, (41, 41, 1))
    ours = op(torch.from_numpy(img).float()[..., None])[..., 0].numpy()  # [A, W]
    ref = radon(img, angles(cfg), circle=True).T
    assert ours.shape == (12, 41)
    # float32 bilinear resampling against scikit-image's float64 warp: 1e-4 of the largest projection
    assert np.abs(ours - ref).max() <= 1e-4 * np.abs(ref).max()


def test_radon_geometry_non_square():
    op = Radon(RadonConfig(n_angles=5, max_angle=90.0), (6, 9, 2))
    y = op(torch.ones(6, 9, 2))
    assert y.shape == (5, 9, 2)
    assert torch.allclose(y[0], torch.full((9, 2), 6.0))  # angle 0: column sums
    assert float(y[-1].sum()) < 6 * 9 * 2  # 90 degrees: the rotated rectangle loses its corners


def test_kspace_matches_numpy_fft():
    rng = np.random.default_rng(0)
    x = rng.random((16, 12, 2)).astype(np.float32)
    op = KSpace(KSpaceConfig(acceleration=4, center_fraction=0.125, seed=3), x.shape)
    mask = op.mask.numpy()
    ref = np.fft.fftn(x, axes=(0, 1), norm="ortho")[mask]
    assert np.allclose(op(torch.from_numpy(x)).numpy(), ref, atol=1e-5)
    rows = mask[:, 0]
    assert mask.all(axis=1).sum() == rows.sum()  # whole readout lines
    assert rows[0] and rows[1] and rows[-1]  # fully sampled centre (DC and its neighbours)
    assert rows.sum() == 4  # N_pe / R


def test_kspace_full_sampling_is_exact_and_3d():
    x = torch.rand(6, 7, 8, 1)
    op = KSpace(KSpaceConfig(acceleration=1.0), tuple(x.shape))
    assert torch.allclose(op.classical("zero_filled", op(x), NoiseConfig()), x.clamp(0, 1), atol=1e-5)
    sub = KSpace(KSpaceConfig(acceleration=3.0, seed=1), tuple(x.shape))
    assert sub.mask.all(dim=2).sum() == sub.mask[..., 0].sum()  # lines along the last axis
    assert abs(float(sub.mask[..., 0].float().mean()) - 1 / 3) < 0.05


def test_downsample_is_block_mean():
    x = np.random.default_rng(1).random((8, 12, 3)).astype(np.float32)
    op = Downsample(DownsampleConfig(4), x.shape)
    ref = x.reshape(2, 4, 3, 4, 3).mean(axis=(1, 3))
    assert np.allclose(op(torch.from_numpy(x)).numpy(), ref, atol=1e-6)
    assert Downsample.valid_shape(DownsampleConfig(4), (10, 13, 3)) == (8, 12, 3)
    v = torch.rand(4, 6, 2, 1)
    assert torch.allclose(Downsample(DownsampleConfig(2), (4, 6, 2, 1))(v)[1, 2, 0, 0], v[2:4, 4:6, 0:2, 0].mean())


def test_blur_matches_scipy_gaussian():
    from scipy.ndimage import gaussian_filter

    x = np.random.default_rng(2).random((20, 17, 1))
    op = Blur(BlurConfig(sigma=1.5, truncate=3.0), x.shape)
    ours = op(torch.from_numpy(x).float()).numpy()[..., 0]
    ref = gaussian_filter(x[..., 0], sigma=1.5, mode="constant", truncate=3.0)
    assert np.allclose(ours, ref, atol=1e-5)


def test_mask_patterns():
    m = Mask(MaskConfig("random", keep=0.3, seed=0), (50, 40, 3)).mask
    assert abs(float(m.float().mean()) - 0.3) < 0.03
    cols = Mask(MaskConfig("columns", keep=0.5, seed=0), (10, 40, 1)).mask
    assert (cols == cols[:1]).all()
    bayer = Mask(MaskConfig("bayer"), (4, 6, 1)).mask
    assert bayer.sum() == 6 and bayer[0, 0] and not bayer[0, 1] and not bayer[1, 0]
    x = torch.rand(4, 6, 1)
    assert torch.equal(Mask(MaskConfig("bayer"), (4, 6, 1))(x)[:, 0], x[::2, ::2, 0].reshape(-1))


LINEAR = [
    ("identity", IdentityConfig(), (6, 7, 2)),
    ("mask", MaskConfig(keep=0.4), (6, 7, 2)),
    ("downsample", DownsampleConfig(2), (6, 8, 2)),
    ("blur", BlurConfig(sigma=1.0), (9, 7, 2)),
    ("radon", RadonConfig(n_angles=7), (9, 8, 1)),
    ("kspace", KSpaceConfig(acceleration=2.0), (8, 6, 2)),
    ("kspace", KSpaceConfig(acceleration=2.0), (4, 5, 6, 1)),
]


@pytest.mark.parametrize("name,cfg,shape", LINEAR, ids=[f"{n}{len(s) - 1}d" for n, _, s in LINEAR])
def test_adjoint_and_gradients(name, cfg, shape):
    op = OPERATORS.create(cfg, shape)
    gen = torch.Generator().manual_seed(0)
    x = torch.rand(shape, generator=gen, dtype=torch.float64)
    ax = op(x)
    y = torch.randn(ax.shape, generator=gen, dtype=torch.float64)
    if ax.is_complex():
        y = torch.complex(y, torch.randn(ax.shape, generator=gen, dtype=torch.float64))
    lhs = float((ax * y.conj()).real.sum())
    aty = op.adjoint(y)
    rhs = float((x * aty.real).sum())
    assert lhs == pytest.approx(rhs, rel=1e-9, abs=1e-9)  # <A x, y> = <x, A^H y>
    # the adjoint equals the vector-Jacobian product of the forward map
    xg = x.clone().requires_grad_(True)
    out = op(xg)
    (vjp,) = torch.autograd.grad(out, xg, grad_outputs=y)
    assert torch.allclose(vjp, aty.real, atol=1e-10)

    def real_out(z):
        o = op(z)
        return torch.view_as_real(o) if o.is_complex() else o

    small = x[tuple(slice(None) for _ in shape)].clone().requires_grad_(True)
    assert torch.autograd.gradcheck(real_out, (small,), eps=1e-6, atol=1e-5, fast_mode=True)


def test_poisson_noise_statistics():
    gen = torch.Generator().manual_seed(0)
    x = torch.full((200_000,), 0.5)
    y = add_noise(x, NoiseConfig("poisson", tau=30.0, sigma_r=2.0), gen)
    assert float(y.mean()) == pytest.approx(0.5, abs=5e-3)
    assert float(y.var()) == pytest.approx((30 * 0.5 + 4) / 900, rel=0.03)
    assert NoiseConfig("poisson").std_estimate(y) == pytest.approx(float(y.std()), rel=0.03)
    g = add_noise(torch.zeros(100_000, dtype=torch.complex64), NoiseConfig("gaussian", sigma=0.1), gen)
    assert float(g.real.std()) == pytest.approx(0.1, rel=0.03) and float(g.imag.std()) == pytest.approx(0.1, rel=0.03)


def test_classical_reconstructions():
    img = torch.from_numpy(disc_phantom(41)).float()[..., None]
    op = Radon(RadonConfig(n_angles=90, max_angle=179.0), (41, 41, 1))
    fbp = op.classical("fbp", op(img), NoiseConfig())
    assert fbp.shape == img.shape and float(((fbp - img) ** 2).mean()) < 0.01
    low = Downsample(DownsampleConfig(2), (8, 8, 3))
    up = low.classical("bicubic", low(torch.full((8, 8, 3), 0.25)), NoiseConfig())
    assert torch.allclose(up, torch.full((8, 8, 3), 0.25), atol=1e-5)
    noisy = torch.rand(16, 16, 3)
    ident = Identity(IdentityConfig(), (16, 16, 3))
    for name in ("noisy", "tv"):
        assert ident.classical(name, noisy, NoiseConfig("gaussian", sigma=0.1)).shape == noisy.shape
    with pytest.raises(Exception, match="unknown classical"):
        ident.classical("fbp", noisy, NoiseConfig())
