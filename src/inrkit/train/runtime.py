"""What a fit needs from its surroundings: the device, and Ctrl-C deferred to the end of a step."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator

import torch

from inrkit.errors import InputError


def check_device_name(name: str) -> None:
    """``InputError`` unless ``name`` is auto, cpu, cuda, cuda:N or another torch device string."""
    if name == "auto":
        return
    try:
        torch.device(name)
    except (RuntimeError, TypeError):
        raise InputError(f"trainer.device: unknown device {name!r}; use auto, cpu, cuda or cuda:N") from None


def resolve_device(name: str) -> torch.device:
    """``auto`` -> CUDA when available, else CPU."""
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    check_device_name(name)
    dev = torch.device(name)
    if dev.type == "cuda" and not torch.cuda.is_available():
        raise InputError(f"--device {name}: CUDA is not available on this machine")
    return dev


@contextlib.contextmanager
def deferred_sigint() -> Iterator[dict[str, bool]]:
    """Turn a first Ctrl-C into a flag checked between steps (a second one interrupts at once).

    A step interrupted half-way (inside the optimiser update, say) could not be resumed exactly;
    deferring the interrupt to the end of the step keeps checkpoints consistent.
    """
    state = {"stop": False}
    if threading.current_thread() is not threading.main_thread():
        yield state
        return

    def handler(signum, frame):
        if state["stop"]:
            raise KeyboardInterrupt
        state["stop"] = True

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield state
    finally:
        signal.signal(signal.SIGINT, previous)
