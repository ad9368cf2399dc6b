"""Compress a fitted field against its task: optional quantisation-aware fine-tuning, encoding,
decoding and scoring of the decoded field (the numbers come from the bytes, never from the encoder).

Quantisation-aware fine-tuning (protocols.md §12, optional): ``qat_steps`` Adam steps at ``qat_lr`` on
the task's own loss with every trainable tensor replaced by its straight-through fake-quantised
version (``quantize.fake_quantise``; per-tensor range recomputed every step), on a copy of the field.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch.func import functional_call

from inrkit.compress.codec import Encoded, GridInfo, decode_bytes, encode_field
from inrkit.compress.quantize import fake_quantise
from inrkit.metrics import image as im


class FakeQuantised(torch.nn.Module):
    """``base`` with its trainable parameters fake-quantised to ``bits`` in every forward."""

    def __init__(self, base: torch.nn.Module, bits: int):
        super().__init__()
        self.base, self.bits = base, bits

    def forward(self, x):
        params = {n: fake_quantise(p, self.bits) for n, p in self.base.named_parameters() if p.requires_grad}
        return functional_call(self.base, params, (x,), strict=False)


def qat_finetune(field: torch.nn.Module, task: Any, bits: int, steps: int, lr: float = 1e-5,
                 seed: int = 0) -> torch.nn.Module:
    """A copy of ``field`` fine-tuned for ``steps`` with fake-quantised weights."""
    tuned = copy.deepcopy(field)
    if steps <= 0:
        return tuned
    wrapper = FakeQuantised(tuned, bits)
    opt = torch.optim.Adam([p for p in tuned.parameters() if p.requires_grad], lr=lr)
    gen = torch.Generator().manual_seed(seed + 17)
    for step in range(steps):
        losses = task.loss(wrapper, task.sample(step, gen))
        opt.zero_grad(set_to_none=True)
        losses["loss"].backward()
        opt.step()
    return tuned


def score_decoded(data: bytes, gt: np.ndarray) -> dict[str, float]:
    """PSNR / SSIM of the field decoded from ``data`` against ``gt [*grid, C]`` in [0, 1]."""
    rec = decode_bytes(data).render()
    out = {"psnr": im.psnr(rec, gt)}
    if gt.ndim == 3 and min(gt.shape[:2]) >= 11:
        out["ssim"] = im.ssim(rec, gt)
    return out


def compress(field: torch.nn.Module, field_cfg: Any, task: Any, bits: int, coder: str = "range", seed: int = 0,
             qat_steps: int = 0, qat_lr: float = 1e-5) -> tuple[Encoded, dict[str, float]]:
    """Encode ``field`` (fitted on ``task``) at ``bits``; metrics of the decoded field and the rate."""
    field = field.cpu()
    if qat_steps > 0:
        task.to(torch.device("cpu"))
        field = qat_finetune(field, task, bits, qat_steps, qat_lr, seed)
    enc = encode_field(field, field_cfg, GridInfo.of_task(task), bits, coder, seed)
    metrics = score_decoded(enc.data, task.signal.values.astype(np.float64))
    metrics.update({"bpp": enc.bpp, "bpp_ideal": enc.bpp_ideal, "bytes": float(len(enc.data))})
    return enc, metrics


def write_compressed(path: Path, enc: Encoded) -> None:
    from inrkit.io import write_with

    write_with(Path(path), lambda p: Path(p).write_bytes(enc.data))
