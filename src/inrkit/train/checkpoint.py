"""Checkpoints: weights in safetensors, training state (optimiser, RNG, step, history) beside them.

Layout of ``DIR/checkpoint/``: ``model.safetensors`` and ``state.pt`` (loaded with
``weights_only=True``). The directory is replaced atomically: a new one is written as
``checkpoint.tmp`` and renamed over the old one, so a crash never leaves a broken checkpoint.
Complex tensors (WIRE) are stored as real views with a ``.__complex__`` key suffix.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import torch
from safetensors.torch import load_file, save_file

from inrkit.errors import InputError
from inrkit.io import write_with

COMPLEX_SUFFIX = ".__complex__"


def to_safetensors_dict(state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    out = {}
    for k, v in state.items():
        v = v.detach().cpu()
        if v.is_complex():
            out[k + COMPLEX_SUFFIX] = torch.view_as_real(v).contiguous()
        else:
            out[k] = v.contiguous()
    return out


def from_safetensors_dict(data: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    out = {}
    for k, v in data.items():
        if k.endswith(COMPLEX_SUFFIX):
            out[k[: -len(COMPLEX_SUFFIX)]] = torch.view_as_complex(v.contiguous())
        else:
            out[k] = v
    return out


def save_weights(path: Path, module: torch.nn.Module) -> None:
    """Write a module's state dict as safetensors (atomically)."""
    data = to_safetensors_dict(module.state_dict())
    write_with(path, lambda p: save_file(data, str(p)))


def load_weights(path: Path, module: torch.nn.Module) -> None:
    """Load safetensors weights into ``module``; ``InputError`` for a broken file or another architecture."""
    try:
        state = from_safetensors_dict(load_file(str(path)))
    except Exception as e:  # safetensors raises its own error types for truncated / garbage files
        raise InputError(f"{path}: not a readable safetensors file ({type(e).__name__})") from None
    own = module.state_dict()
    missing = sorted(set(own) - set(state))
    extra = sorted(set(state) - set(own))
    shapes = [k for k in own if k in state and tuple(own[k].shape) != tuple(state[k].shape)]
    if missing or extra or shapes:
        what = (f"missing {missing[:3]}" if missing else f"unexpected {extra[:3]}" if extra
                else f"shape of {shapes[0]} is {tuple(state[shapes[0]].shape)}, the config builds "
                     f"{tuple(own[shapes[0]].shape)}")
        raise InputError(f"{path}: weights do not match the architecture in config.json ({what})")
    module.load_state_dict(state)


def save_checkpoint(run_dir: Path, module: torch.nn.Module, state: dict[str, Any]) -> None:
    """Replace ``run_dir/checkpoint`` with the given weights and training state."""
    final = run_dir / "checkpoint"
    tmp = run_dir / "checkpoint.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    save_file(to_safetensors_dict(module.state_dict()), str(tmp / "model.safetensors"))
    torch.save(state, tmp / "state.pt")
    old = run_dir / "checkpoint.old"
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        os.replace(final, old)
    os.replace(tmp, final)
    shutil.rmtree(old, ignore_errors=True)


def has_checkpoint(run_dir: Path) -> bool:
    return (run_dir / "checkpoint" / "state.pt").exists() or (run_dir / "checkpoint.old" / "state.pt").exists()


def load_checkpoint(run_dir: Path, module: torch.nn.Module) -> dict[str, Any]:
    """Load weights into ``module`` and return the training state."""
    ckpt = run_dir / "checkpoint"
    if not (ckpt / "state.pt").exists():  # a crash between the two renames leaves checkpoint.old
        ckpt = run_dir / "checkpoint.old"
    load_weights(ckpt / "model.safetensors", module)
    try:
        return torch.load(ckpt / "state.pt", weights_only=True, map_location="cpu")
    except Exception as e:  # truncated zip, garbage pickle, ...
        raise InputError(f"{ckpt / 'state.pt'}: unreadable training state ({type(e).__name__}); "
                         "delete the checkpoint folder to restart the fit") from None
