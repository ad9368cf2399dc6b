"""The fast Gauss / Gabor kernels equal the plain expressions and keep every derivative path working."""

from __future__ import annotations

import pytest
import torch
from torch.func import hessian, jacrev, jvp, vmap

from inrkit.nn.fused import exp_neg, gabor_wavelet, gaussian

W0, S0, S = 20.0, 10.0, 30.0


def plain_gauss(z):
    return torch.exp(-((S * z) ** 2))


def plain_gabor(z):
    return torch.exp(1j * W0 * z - (S0 * z).abs().square())


def fast_gauss(z):
    return gaussian(z, S)


def fast_gabor(z):
    return gabor_wavelet(z, W0, S0)


def _inputs(dtype):
    g = torch.Generator().manual_seed(0)
    if dtype.is_complex:
        real = torch.float64 if dtype == torch.complex128 else torch.float32
        parts = torch.randn(2, 6, 5, generator=g, dtype=real)
        return torch.complex(parts[0], parts[1]) * 0.1
    return torch.randn(6, 5, generator=g, dtype=dtype) * 0.1


def test_exp_neg_caps_only_where_the_result_underflows():
    u = torch.tensor([0.0, 1.0, 80.0, 87.0, 88.0, 200.0, 1e30])
    out = exp_neg(u)
    assert torch.equal(out[:4], torch.exp(-u[:4]))
    assert (out[4:] > 0).all() and (out[4:] < 1.3e-38).all()  # normal, not subnormal
    assert (out[4:] >= torch.finfo(torch.float32).tiny).all()


@pytest.mark.parametrize("fast,plain,dtype", [(fast_gauss, plain_gauss, torch.float32),
                                              (fast_gabor, plain_gabor, torch.float32),
                                              (fast_gabor, plain_gabor, torch.complex64)])
def test_values_and_gradients_match_the_plain_expressions(fast, plain, dtype):
    z = (_inputs(dtype) * 3).requires_grad_()
    a, b = fast(z), plain(z)
    # float32 exponents up to ~100: a few ulp of the exponent are ~1e-5 relative in the result
    torch.testing.assert_close(a, b, rtol=3e-5, atol=1e-30)
    g = torch.randn_like(a)
    (ga,) = torch.autograd.grad(a, z, g)
    (gb,) = torch.autograd.grad(b, z, g)
    torch.testing.assert_close(ga, gb, rtol=1e-5, atol=1e-6)


@pytest.mark.filterwarnings("ignore:`torch.jit.script` is deprecated:DeprecationWarning")
@pytest.mark.parametrize("fast,dtype", [(fast_gauss, torch.float64), (fast_gabor, torch.float64),
                                        (fast_gabor, torch.complex128)])
def test_gradcheck_gradgradcheck_and_forward_mode(fast, dtype):
    z = _inputs(dtype).requires_grad_()

    def f(x):
        y = fast(x)
        return torch.view_as_real(y) if y.is_complex() else y

    assert torch.autograd.gradcheck(f, (z,))
    assert torch.autograd.gradgradcheck(f, (z,))
    assert torch.autograd.gradcheck(f, (z,), check_forward_ad=True, check_backward_ad=False)


# torch's forward-AD decompositions (used by hessian) still call torch.jit.script on first use
@pytest.mark.filterwarnings("ignore:`torch.jit.script` is deprecated:DeprecationWarning")
@pytest.mark.parametrize("fast,plain", [(fast_gauss, plain_gauss), (fast_gabor, plain_gabor)])
def test_torch_func_transforms(fast, plain):
    x = _inputs(torch.float64)

    def scalar(f):
        return lambda v: f(v).real.sum()

    torch.testing.assert_close(vmap(jacrev(scalar(fast)))(x), vmap(jacrev(scalar(plain)))(x))
    torch.testing.assert_close(hessian(scalar(fast))(x[0]), hessian(scalar(plain))(x[0]))
    t = torch.ones_like(x)
    torch.testing.assert_close(jvp(fast, (x,), (t,))[1], jvp(plain, (x,), (t,))[1])
