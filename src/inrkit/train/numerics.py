"""CPU settings of training and evaluation: flushing subnormal floats, oneDNN Linears, reusing freed memory.

Gaussian-type activations (Gauss ``exp(-(s z)^2)``, WIRE's Gabor wavelet) produce many values far
below the smallest normal float32 (about 1.2e-38). x86 CPUs handle such subnormal operands and
results in slow microcode, which made a Gauss training step about 3x and a WIRE step about 2.6x
slower than necessary. Flushing them to zero (the FTZ/DAZ bits of the MXCSR register, set by
``torch.set_flush_denormal``) removes that cost. A flushed value is below 1.2e-38, so it changes a
sum only where every term is that small: one step's numbers agree with an unflushed step to float noise,
but over a long fit the trajectories drift apart (Gauss quick on kodim05, 500 steps: 27.32 dB flushed,
27.47 dB kept; 3-step fits of every recipe agree to 1e-6).

``TrainerConfig.flush_denormals`` (default on) applies it around training and evaluation on CPU;
off keeps subnormals and restores bit-parity with runs that keep them. The setting is per thread
(new threads inherit it from the thread that creates them), so intra-op worker threads started
before it was switched on keep subnormals; with one thread, as in the benchmarks, it covers all
the work. GPUs are unaffected (CUDA kernels flush or not on their own; nothing is changed there).

oneDNN Linears (float rounding only). ``TrainerConfig.onednn_linear`` (default on) sends float32
``F.linear`` calls on CPU to oneDNN (``inrkit.nn.onednn``: about twice MKL's speed for the products of
an INR on AMD EPYC); off keeps torch's default (MKL) path and bit-parity with runs made before it.

Freed memory (no numeric effect). glibc's ``malloc`` serves blocks above its mmap threshold
(128 KiB to 32 MiB) with fresh ``mmap`` calls and unmaps them on ``free``, so every activation-sized
tensor of a training step is page-faulted in again: an elementwise op on a [16384, 96] float32 tensor
took 4.8 ms instead of 0.7 ms, and a whole step 10-25% longer. :func:`reuse_freed_memory` (applied
once per process by :func:`cpu_execution`) makes glibc serve large blocks from the heap and keep
freed memory for reuse (``M_MMAP_MAX = 0``, no trimming); the process then keeps its peak memory
until it exits. ``INRKIT_MALLOC_REUSE=0`` leaves the allocator alone; other C libraries are left
alone too.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import platform
from collections.abc import Iterator

import torch

from inrkit.nn.onednn import OneDNNLinear
from inrkit.nn.onednn import available as onednn_available

__all__ = ["apply_cpu_execution", "cpu_execution", "denormals_flushed", "flush_denormals", "onednn_linears",
           "reuse_freed_memory", "set_flush_denormals"]

_M_TRIM_THRESHOLD, _M_MMAP_MAX = -1, -4  # mallopt parameters (malloc.h)
_malloc_reuse: bool | None = None  # None: not tried yet in this process


def _on_cpu(device: torch.device | str | None) -> bool:
    """Whether work on ``device`` (None: the default, CPU) runs on the CPU."""
    return device is None or torch.device(device).type == "cpu"


def denormals_flushed() -> bool:
    """Whether this thread currently flushes subnormal float32 results to zero."""
    tiny = torch.tensor([1e-30], dtype=torch.float32)
    return bool((tiny * 1e-10).item() == 0.0)  # 1e-40 is subnormal in float32


def set_flush_denormals(enabled: bool, device: torch.device | str | None = None) -> bool:
    """Switch flushing on or off for CPU work (no-op for other devices); returns the previous state."""
    previous = denormals_flushed()
    if _on_cpu(device):
        torch.set_flush_denormal(bool(enabled))
    return previous


@contextlib.contextmanager
def flush_denormals(enabled: bool = True, device: torch.device | str | None = None) -> Iterator[None]:
    """Flush subnormal floats to zero inside the block (CPU only); restores the previous setting."""
    if not _on_cpu(device):
        yield
        return
    previous = set_flush_denormals(enabled)
    try:
        yield
    finally:
        torch.set_flush_denormal(previous)


def reuse_freed_memory() -> bool:
    """Make glibc keep and reuse freed memory (see the module docstring); True where it is in effect."""
    global _malloc_reuse
    if _malloc_reuse is None:
        _malloc_reuse = False
        if os.environ.get("INRKIT_MALLOC_REUSE", "1") != "0" and platform.libc_ver()[0] == "glibc":
            try:
                libc = ctypes.CDLL(None)
                _malloc_reuse = bool(libc.mallopt(_M_MMAP_MAX, 0)) and bool(libc.mallopt(_M_TRIM_THRESHOLD, 2**31 - 1))
            except (OSError, AttributeError):
                pass
    return _malloc_reuse


@contextlib.contextmanager
def onednn_linears(enabled: bool = True, device: torch.device | str | None = None) -> Iterator[None]:
    """Float32 / complex64 ``F.linear`` by oneDNN inside the block (CPU, where the build has it)."""
    with OneDNNLinear() if _on_cpu(device) and enabled and onednn_available() else contextlib.nullcontext():
        yield


@contextlib.contextmanager
def cpu_execution(flush: bool = True, device: torch.device | str | None = None,
                  onednn: bool = True) -> Iterator[None]:
    """On CPU: subnormals flushed (``flush``) and Linears by oneDNN (``onednn``) inside the block, and
    freed memory reused from then on."""
    if _on_cpu(device):
        reuse_freed_memory()
    with flush_denormals(flush, device), onednn_linears(onednn, device):
        yield


def apply_cpu_execution(flush: bool = True, device: torch.device | str | None = None) -> None:
    """Subnormal flushing and memory reuse of :func:`cpu_execution` for the rest of the process (``inrkit
    eval`` / ``render``, ``inrkit.load``); oneDNN Linears are per block (:func:`onednn_linears`), never
    left switched on behind a caller's back."""
    if _on_cpu(device):
        reuse_freed_memory()
    set_flush_denormals(flush, device)
