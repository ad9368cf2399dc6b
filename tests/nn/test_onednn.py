"""oneDNN Linears (``inrkit.nn.onednn``): values and derivatives of every order against ``F.linear``
(float64 as the reference, so both float32 paths are held to float rounding), what the mode routes
and what it leaves alone, and the trainer setting."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F
from torch.autograd import forward_ad

from inrkit.config import override
from inrkit.nn.onednn import OneDNNLinear, available, complex_linear, eligible, linear
from inrkit.registry import RECIPES
from inrkit.train.numerics import cpu_execution
from inrkit.train.run import fit

pytestmark = pytest.mark.skipif(not available(), reason="this PyTorch build has no oneDNN")


def _operands(dtype, lead=(6, 5), k=7, n=4, bias=True, seed=0):
    gen = torch.Generator().manual_seed(seed)
    def rand(*shape):
        return torch.randn(*shape, generator=gen, dtype=torch.float64).to(dtype)
    x = rand(*lead, k) if not dtype.is_complex else torch.randn(*lead, k, generator=gen, dtype=dtype)
    w = rand(n, k) if not dtype.is_complex else torch.randn(n, k, generator=gen, dtype=dtype)
    b = (rand(n) if not dtype.is_complex else torch.randn(n, generator=gen, dtype=dtype)) if bias else None
    return x, w, b


def _up(t):
    return None if t is None else t.detach().to(torch.complex128 if t.is_complex() else torch.float64)


def _derivatives(fn, x, w, b):
    """Output, first derivatives of a nonlinear loss, and the derivatives of their squared norm."""
    leaves = [t.detach().clone().requires_grad_() for t in (x, w, b) if t is not None]
    y = fn(*leaves, *([None] if b is None else []))
    loss = (y.abs() ** 2).sum() + torch.sin(torch.view_as_real(y) if y.is_complex() else y).sum()
    first = torch.autograd.grad(loss, leaves, create_graph=True)
    second = torch.autograd.grad(sum((g.abs() ** 2).sum() for g in first), leaves)
    return [y, *first, *second]


@pytest.mark.parametrize("dtype", [torch.float32, torch.complex64])
@pytest.mark.parametrize("bias", [True, False])
def test_values_and_derivatives_to_second_order_match_float64(dtype, bias):
    x, w, b = _operands(dtype, bias=bias)
    fast = complex_linear if dtype.is_complex else linear
    ref = _derivatives(F.linear, _up(x), _up(w), _up(b))
    torch_f32 = _derivatives(F.linear, x, w, b)
    ours = _derivatives(fast, x, w, b)
    for r, t, o in zip(ref, torch_f32, ours, strict=True):
        scale = r.abs().max().item()
        err_torch, err_ours = (t.to(r.dtype) - r).abs().max().item(), (o.to(r.dtype) - r).abs().max().item()
        assert err_ours <= max(4 * err_torch, 1e-6 * scale), (err_ours, err_torch, scale)


def test_forward_mode_tangent_matches():
    x, w, b = _operands(torch.float32)
    dx, dw = torch.randn_like(x), torch.randn_like(w)
    tangents = []
    for fn in (F.linear, linear):
        with forward_ad.dual_level():
            out = fn(forward_ad.make_dual(x, dx), forward_ad.make_dual(w, dw), b)
            tangents.append(forward_ad.unpack_dual(out).tangent)
    torch.testing.assert_close(tangents[1], tangents[0], rtol=1e-5, atol=1e-5)


def test_the_mode_routes_float32_and_complex64_cpu_linears_only():
    x, w, b = _operands(torch.float32)
    w.requires_grad_()
    with OneDNNLinear():
        assert "_Linear" in type(F.linear(x, w, b).grad_fn).__name__
        assert "_Linear" in type(torch.nn.Linear(7, 3)(x).grad_fn).__name__  # modules call F.linear
        xc, wc, _ = _operands(torch.complex64)
        assert F.linear(xc, wc.requires_grad_()).dtype == torch.complex64
        x64 = x.double()
        assert "_Linear" not in type(F.linear(x64, w.double()).grad_fn).__name__  # float64: torch's path
        # torch.func transforms keep torch's kernels (their batching rules), with the same values
        ws = torch.stack([w.detach(), 2 * w.detach()])
        batched = torch.func.vmap(lambda wi: F.linear(x, wi, b))(ws)
    torch.testing.assert_close(batched[1], F.linear(x, 2 * w.detach(), b))
    assert not eligible(x, w.double()) and not eligible(x[..., :3], w) and not eligible(x[:0], w)
    xc, wc, _ = _operands(torch.complex64)
    assert eligible(xc, wc) and not eligible(xc.conj(), wc)  # lazily conjugated views keep torch's path
    with OneDNNLinear():
        torch.testing.assert_close(F.linear(xc.conj(), wc), F.linear(xc.conj().resolve_conj(), wc))


def test_cpu_execution_switch():
    x, w, _ = _operands(torch.float32)
    w.requires_grad_()
    with cpu_execution(onednn=True):
        assert "_Linear" in type(F.linear(x, w).grad_fn).__name__
    with cpu_execution(onednn=False):
        assert "_Linear" not in type(F.linear(x, w).grad_fn).__name__
    with cpu_execution(onednn=True, device="cuda"):  # other devices: nothing is routed
        assert "_Linear" not in type(F.linear(x, w).grad_fn).__name__
    assert "_Linear" not in type(F.linear(x, w).grad_fn).__name__  # restored on exit


def test_wire_field_gradients_hold_float32_accuracy():
    """WIRE (complex hidden layers) end to end: both float32 paths against the same field in float64."""
    import copy

    from inrkit.registry import FIELDS

    torch.manual_seed(0)
    field = FIELDS.create("wire", in_features=2, out_features=3, hidden_features=32, hidden_layers=2)
    wide = copy.deepcopy(field)
    for module in wide.modules():
        for name, p in list(module.named_parameters(recurse=False)):
            setattr(module, name, torch.nn.Parameter(_up(p)))
    x, y = torch.rand(200, 2) * 2 - 1, torch.rand(200, 3)

    def grads(f, dtype):
        return torch.autograd.grad(((f(x.to(dtype)) - y.to(dtype)) ** 2).mean(), list(f.parameters()))

    ref, plain = grads(wide, torch.float64), grads(field, torch.float32)
    with OneDNNLinear():
        ours = grads(field, torch.float32)
    for r, t, o in zip(ref, plain, ours, strict=True):
        scale = r.abs().max().item()
        assert (o.to(r.dtype) - r).abs().max().item() <= max(4 * (t.to(r.dtype) - r).abs().max().item(), 1e-6 * scale)


@pytest.mark.parametrize("recipe", ["siren-image", "gauss-image"])
def test_a_fit_with_and_without_onednn_agrees_to_float_noise(tiny_png, recipe):
    psnr, seen = {}, {}
    probe = torch.ones(2, 2, requires_grad=True)
    for on in (True, False):
        cfg = RECIPES.get(recipe).config("quick", str(tiny_png))
        for key, value in {"trainer.steps": 5, "trainer.eval_every": 0, "trainer.progress": False,
                           "trainer.device": "cpu", "trainer.onednn_linear": on, "trainer.ntk_points": 0}.items():
            cfg = override(cfg, key, value)
        seen[on] = []
        result = fit(cfg, callbacks=(lambda step, info, on=on: seen[on].append(
            "_Linear" in type(F.linear(probe, probe).grad_fn).__name__),))
        psnr[on] = result.metrics["psnr"]
    assert seen == {True: [True] * 5, False: [False] * 5}
    assert math.isfinite(psnr[True]) and abs(psnr[True] - psnr[False]) < 1e-3
