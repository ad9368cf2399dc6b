"""Floating-point precision names used in configs ("float32", "float64") and their torch dtypes."""

from __future__ import annotations

import torch

from inrkit.errors import InputError

DTYPES = {"float32": torch.float32, "float64": torch.float64}


def torch_dtype(name: str) -> torch.dtype:
    """The torch dtype of a config precision name; ``InputError`` for anything else."""
    try:
        return DTYPES[name]
    except KeyError:
        raise InputError(f"unknown dtype {name!r}; choose float32 or float64") from None
