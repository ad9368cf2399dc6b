"""Float32 Linear layers through oneDNN on CPU: the same products, computed by a faster library.

PyTorch's CPU ``F.linear`` / ``addmm`` call MKL's ``sgemm``. On the project's machines (AMD EPYC,
torch 2.13 CPU build with MKL 2024.2) MKL takes a slower code path than the CPU allows, while oneDNN,
which ships inside the same PyTorch build (``torch.ops.mkldnn``) and dispatches on the instruction
set, runs the same products about twice as fast. Measured, one thread, ``[24576, 128] x [128, 128]``
float32 (the hidden layer of a quick image fit):

=====================  ==========  ===========
product                MKL         oneDNN
=====================  ==========  ===========
forward ``x W^T``       11.5 ms     4.5 ms
input grad ``g W``      11.1 ms     4.7 ms
weight grad ``g^T x``   10.8 ms     9.6 ms
=====================  ==========  ===========

:func:`linear` computes ``x W^T + b`` with ``torch.ops.mkldnn._linear_pointwise`` and its derivatives
with the same call (input gradient ``g W``, weight gradient ``g^T x``, bias gradient ``sum g``), so
double backward (SDF eikonal terms, PINN residuals) and forward-mode AD (``jvp``) work and stay on
the fast path. Results agree with ``F.linear`` to float rounding (both accumulate in float32; the
summation order can differ).

:func:`complex_linear` runs a complex64 Linear (WIRE's hidden layers) as one real product on
interleaved (re, im) pairs. :class:`OneDNNLinear` is a ``TorchFunctionMode`` that sends every eligible
``F.linear`` call (float32 or complex64, CPU, dense, outside ``torch.func`` transforms and
``torch.compile``) to them and leaves every other call alone, so fields stay ordinary modules. The
trainer enables it on CPU (``TrainerConfig.onednn_linear``, ``inrkit.train.numerics.cpu_execution``).
Where oneDNN is not part of the build, the mode does nothing.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor
from torch.overrides import TorchFunctionMode

__all__ = ["OneDNNLinear", "available", "complex_linear", "eligible", "linear"]


def available() -> bool:
    """Whether this PyTorch build can run oneDNN linear products on CPU."""
    return bool(torch.backends.mkldnn.is_available()) and hasattr(torch.ops.mkldnn, "_linear_pointwise")


def _product(x: Tensor, weight: Tensor, bias: Tensor | None) -> Tensor:
    """``x W^T + b`` by oneDNN for ``x`` of any leading shape (one 2-D call)."""
    flat = x.reshape(-1, x.shape[-1])
    out = torch.ops.mkldnn._linear_pointwise(flat, weight, bias, "none", [], "")
    return out.reshape(*x.shape[:-1], weight.shape[0])


class _Linear(torch.autograd.Function):
    @staticmethod
    def forward(x: Tensor, weight: Tensor, bias: Tensor | None) -> Tensor:
        return _product(x, weight, bias)

    @staticmethod
    def setup_context(ctx, inputs, output):
        x, weight, bias = inputs
        ctx.has_bias = bias is not None
        ctx.save_for_backward(x, weight)
        ctx.save_for_forward(x, weight)

    @staticmethod
    def backward(ctx, grad: Tensor):
        x, weight = ctx.saved_tensors
        need_x, need_w, need_b = ctx.needs_input_grad
        g = grad.reshape(-1, grad.shape[-1])  # [M, out]
        gx = gw = gb = None
        if need_x:  # g W = g (W^T)^T
            gx = linear(g, weight.t().contiguous()).reshape(x.shape)
        if need_w:  # g^T x from transposed views; oneDNN copies its first operand to rows, so the narrower
            flat = x.reshape(-1, x.shape[-1])  # one goes first (a first layer's x^T is 2 x M, not H x M)
            gw = linear(g.t(), flat.t()) if g.shape[-1] <= flat.shape[-1] else linear(flat.t(), g.t()).t()
        if need_b and ctx.has_bias:
            gb = g.sum(0)
        return gx, gw, gb

    @staticmethod
    def jvp(ctx, dx: Tensor | None, dw: Tensor | None, db: Tensor | None) -> Tensor:
        x, weight = ctx.saved_tensors
        shape = (*x.shape[:-1], weight.shape[0])
        terms = [t for t in (None if dx is None else linear(dx, weight), None if dw is None else linear(x, dw),
                             None if db is None else db.expand(shape)) if t is not None]
        return sum(terms[1:], terms[0]) if terms else x.new_zeros(shape)


def linear(x: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """``x W^T + b`` (``F.linear``) computed by oneDNN, differentiable to any order."""
    return _Linear.apply(x, weight, bias)


def complex_linear(x: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """Complex ``x W^T + b`` (complex64) as one real oneDNN product on interleaved (re, im) pairs.

    ``[x_re, x_im] [[W_re, -W_im], [W_im, W_re]]^T`` gives ``[y_re, y_im]``: the same 8 m n k real FLOPs
    as a complex GEMM, at the real product's speed. Built from differentiable views and :func:`linear`,
    so autograd's complex gradients (and double backward) follow.
    """
    k, n = x.shape[-1], weight.shape[0]
    wr, wi = weight.real, weight.imag
    block = torch.stack((torch.stack((wr, -wi), -1), torch.stack((wi, wr), -1)), 1).reshape(2 * n, 2 * k)
    pairs = torch.view_as_real(x).reshape(*x.shape[:-1], 2 * k)
    b = None if bias is None else torch.view_as_real(bias).reshape(2 * n)
    return torch.view_as_complex(linear(pairs, block, b).reshape(*x.shape[:-1], n, 2))


_FAST = (torch.float32, torch.complex64)  # float32 products; complex64 as real pairs (WIRE)


def _plain(t: Tensor | None, dtype: torch.dtype = torch.float32) -> bool:
    return t is None or (isinstance(t, Tensor) and t.device.type == "cpu" and t.dtype == dtype
                         and t.layout == torch.strided and not t.is_sparse and not t.is_conj() and not t.is_neg())


def eligible(x: object, weight: object, bias: object = None) -> bool:
    """Whether ``F.linear(x, weight, bias)`` can go to oneDNN (float32 or complex64 CPU, dense, 2-D weight)."""
    if not (isinstance(x, Tensor) and isinstance(weight, Tensor) and x.dtype in _FAST):
        return False
    if not (_plain(x, x.dtype) and _plain(weight, x.dtype) and (bias is None or _plain(bias, x.dtype))):  # type: ignore[arg-type]
        return False
    if weight.dim() != 2 or x.dim() < 1 or x.numel() == 0 or x.shape[-1] != weight.shape[1]:
        return False
    if bias is not None and (bias.dim() != 1 or bias.shape[0] != weight.shape[0]):  # type: ignore[union-attr]
        return False
    return not (torch._C._are_functorch_transforms_active() or torch.compiler.is_compiling())


def _linear_args(input, weight, bias=None):  # noqa: A002  (F.linear's parameter names)
    return input, weight, bias


class OneDNNLinear(TorchFunctionMode):
    """Sends eligible ``F.linear`` calls to :func:`linear` / :func:`complex_linear` (see the module docstring)."""

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        if func is F.linear:
            x, weight, bias = _linear_args(*args, **kwargs)
            if eligible(x, weight, bias):
                return (complex_linear if x.is_complex() else linear)(x, weight, bias)
        return func(*args, **kwargs)
