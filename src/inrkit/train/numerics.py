"""Floating-point settings of training and evaluation: flushing subnormal (denormal) floats.

Gaussian-type activations (Gauss ``exp(-(s z)^2)``, WIRE's Gabor wavelet) produce many values far
below the smallest normal float32 (about 1.2e-38). x86 CPUs handle such subnormal operands and
results in slow microcode, which made a Gauss training step about 3x and a WIRE step about 2.6x
slower than necessary. Flushing them to zero (the FTZ/DAZ bits of the MXCSR register, set by
``torch.set_flush_denormal``) removes that cost. A flushed value is below 1.2e-38, so it changes a
sum only where every term is that small; metrics agree with an unflushed run to float noise.

``TrainerConfig.flush_denormals`` (default on) applies it around training and evaluation on CPU;
off keeps subnormals and restores bit-parity with runs that keep them. The setting is per thread
(new threads inherit it from the thread that creates them), so intra-op worker threads started
before it was switched on keep subnormals; with one thread, as in the benchmarks, it covers all
the work. GPUs are unaffected (CUDA kernels flush or not on their own; nothing is changed there).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import torch

__all__ = ["denormals_flushed", "flush_denormals", "set_flush_denormals"]


def denormals_flushed() -> bool:
    """Whether this thread currently flushes subnormal float32 results to zero."""
    tiny = torch.tensor([1e-30], dtype=torch.float32)
    return bool((tiny * 1e-10).item() == 0.0)  # 1e-40 is subnormal in float32


def set_flush_denormals(enabled: bool, device: torch.device | str | None = None) -> bool:
    """Switch flushing on or off for CPU work (no-op for other devices); returns the previous state."""
    previous = denormals_flushed()
    if device is None or torch.device(device).type == "cpu":
        torch.set_flush_denormal(bool(enabled))
    return previous


@contextlib.contextmanager
def flush_denormals(enabled: bool = True, device: torch.device | str | None = None) -> Iterator[None]:
    """Flush subnormal floats to zero inside the block (CPU only); restores the previous setting."""
    if device is not None and torch.device(device).type != "cpu":
        yield
        return
    previous = set_flush_denormals(enabled)
    try:
        yield
    finally:
        torch.set_flush_denormal(previous)
