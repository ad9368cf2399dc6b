"""COIN-style compression (protocols.md §12): fit an image, then store the field as a bitstream.

Training is plain image fitting (``inrkit.tasks.image``). At the end, for every level in ``bits``
the field's trainable weights are uniformly quantised per tensor (optionally after ``qat_steps`` of
quantisation-aware fine-tuning), entropy coded into one file (``inrkit.compress``), decoded again
and the decoded field is scored: ``bpp_b<B>`` (whole file, header included, over H x W pixels),
``bpp_ideal_b<B>`` (header + empirical entropy of the symbols), ``psnr_b<B>`` and ``ssim_b<B>``. The
classical codecs of the local Pillow (JPEG, WebP, AVIF) compress the same 8-bit image over a quality
sweep; ``psnr_<codec>_b<B>`` is their PSNR at the same rate as the INR file (linear interpolation on
their curve, NaN where the codec cannot reach that rate) and the curves are kept in ``metrics.json``
(``rd_codecs``) for the rate-distortion plot. The compressed files are written into the run
directory as ``compressed_b<B>.inrc``.

The task needs the field's config to write the file header: ``train.run.fit`` hands it over with
``bind_run_config``; without it (``inrkit eval`` of a saved run) the rate metrics are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import torch

from inrkit.registry import TASKS
from inrkit.tasks.fitting import FittingConfig
from inrkit.tasks.image import ImageFittingTask


@dataclass(frozen=True)
class CompressionConfig(FittingConfig):
    """Image fitting followed by weight quantisation and entropy coding."""

    #: quantisation levels (bits per weight) that are encoded and scored at the end.
    bits: tuple[int, ...] = (16, 12, 10, 8, 6)
    #: lossless coder: range (constriction, Gaussian/Laplace models) or zstd.
    coder: Literal["range", "zstd"] = "range"
    #: quantisation-aware fine-tuning steps before encoding each level (0: none).
    qat_steps: int = 0
    #: learning rate of the fine-tuning.
    qat_lr: float = 1e-5
    #: reference codecs compared at matched rate (those the local Pillow lacks are skipped).
    codecs: tuple[str, ...] = ("jpeg", "webp", "avif")
    edge_metrics: bool = False
    lpips: bool = False


@TASKS.register("compression", config=CompressionConfig)
class CompressionTask(ImageFittingTask):
    """Fit an image, then quantise + entropy-code the field and score the decoded file."""

    ensemble_ok = False

    def __init__(self, cfg: CompressionConfig, signal):
        super().__init__(cfg, signal)
        self.field_cfg: Any = None
        self.seed = 0
        self.encoded: dict[int, Any] = {}

    def bind_run_config(self, run_cfg: Any) -> None:
        """Remember the field config and seed (they go into the file header)."""
        self.field_cfg, self.seed = run_cfg.field, run_cfg.trainer.seed

    def evaluate(self, field: torch.nn.Module, final: bool = False) -> dict[str, Any]:
        out = super().evaluate(field, final)
        if final and self.field_cfg is not None:
            out.update(self.rate_distortion(field))
        return out

    def rate_distortion(self, field: torch.nn.Module) -> dict[str, Any]:
        from inrkit.compress import reference
        from inrkit.compress.pipeline import compress

        device = self.device
        gt = self.signal.values.astype(np.float64)
        codecs = [c for c in self.cfg.codecs if c in reference.available()]
        curves = {c: reference.curve(gt, c) for c in codecs}
        out: dict[str, Any] = {}
        for b in self.cfg.bits:
            enc, m = compress(field, self.field_cfg, self, b, self.cfg.coder, self.seed, self.cfg.qat_steps,
                              self.cfg.qat_lr)
            self.encoded[b] = enc
            out.update({f"{k}_b{b}": v for k, v in m.items()})
            for c in codecs:
                out[f"psnr_{c}_b{b}"] = reference.at_bpp(curves[c], m["bpp"])
        field.to(device)
        self.to(device)
        out["rd_codecs"] = curves
        return out

    def write_outputs(self, field: torch.nn.Module, run_dir: Path) -> dict[str, Any]:
        from inrkit.compress.pipeline import write_compressed

        outputs = super().write_outputs(field, run_dir)
        for b, enc in self.encoded.items():
            write_compressed(run_dir / f"compressed_b{b}.inrc", enc)
            outputs[f"compressed_b{b}"] = f"compressed_b{b}.inrc"
        return outputs
