"""Per-tensor uniform quantisation (protocols.md §12) and its straight-through estimator.

``q = round((w - w_min) / delta)`` with ``delta = (w_max - w_min) / (2^b - 1)``, both stored in float32
(64 bits per tensor); the dequantised weight is ``w_min + q delta`` computed in float32, so the
decoder reproduces the encoder's quantised weights bit for bit. Complex tensors (WIRE) are quantised
as their real view ``[..., 2]`` (real and imaginary parts share one range).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor

BITS = (16, 12, 10, 8, 6)


@dataclass(frozen=True)
class Quantised:
    """One quantised tensor: integer symbols in ``[0, 2^bits - 1]`` and the float32 range."""

    symbols: np.ndarray
    w_min: np.float32
    delta: np.float32
    bits: int


def real_view(t: Tensor) -> Tensor:
    return torch.view_as_real(t) if t.is_complex() else t


def quantise(t: Tensor, bits: int) -> Quantised:
    """Uniform quantisation of a real or complex tensor to ``bits`` bits."""
    if not 1 <= bits <= 16:
        raise ValueError(f"bits must lie in 1..16, got {bits}")
    w = real_view(t.detach()).to(torch.float32).cpu().reshape(-1).numpy()
    lo, hi = np.float32(w.min()), np.float32(w.max())
    levels = (1 << bits) - 1
    delta = np.float32((hi - lo) / np.float32(levels))
    if not delta > 0:
        return Quantised(np.zeros(w.size, np.int32), lo, np.float32(0.0), bits)
    q = np.clip(np.rint((w - lo) / delta), 0, levels).astype(np.int32)
    return Quantised(q, lo, delta, bits)


def dequantise(q: Quantised, like: Tensor) -> Tensor:
    """The float32 weights ``w_min + q delta`` in the shape and dtype of ``like``."""
    w = torch.from_numpy(q.symbols.astype(np.float32)) * torch.tensor(q.delta) + torch.tensor(q.w_min)
    if like.is_complex():
        return torch.view_as_complex(w.reshape(*like.shape, 2).contiguous()).to(like.dtype)
    return w.reshape(like.shape).to(like.dtype)


def fake_quantise(t: Tensor, bits: int) -> Tensor:
    """Straight-through estimator: forward = the quantised tensor, gradient = identity."""
    r = real_view(t)
    lo, hi = r.detach().min(), r.detach().max()
    delta = (hi - lo) / ((1 << bits) - 1)
    if not float(delta) > 0:
        return t
    q = torch.round((r.detach() - lo) / delta) * delta + lo
    out = r + (q - r.detach())
    return torch.view_as_complex(out) if t.is_complex() else out


def entropy_bits(symbols: np.ndarray) -> float:
    """Empirical entropy of a symbol stream in bits: ``-sum_k c_k log2(c_k / n)``."""
    _, counts = np.unique(symbols, return_counts=True)
    n = counts.sum()
    return float(-(counts * np.log2(counts / n)).sum()) if n else 0.0


def ideal_bits(qs: list[Quantised]) -> float:
    """The spec's ideal rate: per-tensor empirical entropies summed, plus 64 header bits per tensor."""
    return sum(entropy_bits(q.symbols) + 64 for q in qs)


def levels(bits: int) -> int:
    return int(math.pow(2, bits))
