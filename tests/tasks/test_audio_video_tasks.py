"""Audio and video fitting tasks: coordinates, metrics and outputs."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from inrkit.config import override
from inrkit.errors import InputError
from inrkit.metrics.regression import mean_std, psnr_u8_trunc, snr_db
from inrkit.recipes import find_recipe
from inrkit.signals import load_signal
from inrkit.tasks.audio import AudioFittingConfig, AudioFittingTask
from inrkit.tasks.video import VideoFittingConfig, VideoFittingTask
from inrkit.train.run import fit


class Lookup(torch.nn.Module):
    """A 'field' returning fixed values in the task's target space, in coordinate order."""

    def __init__(self, values):
        super().__init__()
        self.values = values
        self.w = torch.nn.Parameter(torch.zeros(()))

    def forward(self, x):
        return self.values[: x.shape[0]] + 0 * self.w


def test_audio_task_coordinates_and_metrics(tiny_wav):
    task = AudioFittingTask(AudioFittingConfig(), load_signal(str(tiny_wav)))
    assert task.in_features == 1 and task.coords[0, 0] == -1 and task.coords[-1, 0] == 1
    assert torch.allclose(task.targets, torch.from_numpy(task.signal.values), atol=1e-6)  # [-1, 1] kept
    perfect = task.evaluate(Lookup(task.targets))
    assert perfect["snr"] > 120 and perfect["mse"] < 1e-12
    noisy = task.evaluate(Lookup(task.targets + 0.01))
    gt = task.signal.values[:, 0].astype(np.float64)
    assert math.isclose(noisy["snr"], 10 * math.log10(np.sum(gt ** 2) / (400 * 1e-4)), rel_tol=1e-4)
    assert 10 * math.log10(4 / 1e-4) - 1e-3 <= noisy["psnr"] < 50  # clamping to [-1, 1] only removes error
    assert snr_db(np.ones(4), np.ones(4) * 0.5) == pytest.approx(10 * math.log10(1 / 1))
    with pytest.raises(InputError, match="audio signal"):
        AudioFittingTask(AudioFittingConfig(), load_signal("function:y4"))


def test_video_task_metrics(tiny_video_npz):
    task = VideoFittingTask(VideoFittingConfig(batch_size=100), load_signal(str(tiny_video_npz)))
    assert task.in_features == 3 and task.out_features == 3
    batch = task.sample(0, torch.Generator().manual_seed(0))
    assert batch["coords"].shape == (100, 3)
    noisy = task.targets + 0.02 * torch.sign(torch.randn_like(task.targets))
    ev = task.evaluate(Lookup(noisy), final=True)
    assert ev["psnr"] > 20 and ev["psnr_std"] >= 0 and 0 < ev["ssim"] <= 1 and "ssim_std" in ev
    assert "psnr_u8_trunc" in ev
    assert mean_std([1.0, 3.0, math.inf]) == (2.0, 1.0)
    gt = np.full((4, 4, 3), 100 / 255)
    assert psnr_u8_trunc(gt, gt) == math.inf and math.isfinite(psnr_u8_trunc(gt - 0.5 / 255, gt))


def test_video_and_audio_quick_fits_write_outputs(tiny_video_npz, tiny_wav, tmp_path):
    for model, source, kind, files in (("msa", tiny_video_npz, "video", ["reconstruction.mp4", "frames/frame_000.png",
                                                                            "comparison.png"]),
                                       ("siren", tiny_wav, "audio", ["reconstruction.wav", "plots/spectrogram.png"])):
        cfg = find_recipe(model, kind).config("quick", str(source))
        for k, v in {"trainer.steps": 3, "trainer.eval_every": 2, "trainer.progress": False, "signal.crop": None,
                     "signal.stride": 1, "field.hidden_features": 16, "task.batch_size": 128}.items():
            cfg = override(cfg, k, v)
        r = fit(cfg, tmp_path / kind)
        assert math.isfinite(r.metrics["psnr"])
        for f in files:
            assert (tmp_path / kind / f).exists(), f
