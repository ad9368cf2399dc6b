"""Inverse task: tiny end-to-end recoveries that beat each operator's classical baseline on a
synthetic signal, the baseline runs (run directory, bench job, config round trip) and the metrics."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PIL import Image

from inrkit.config import to_dict
from inrkit.fields.siren import SirenConfig
from inrkit.io import read_json
from inrkit.nn.activations import SineConfig
from inrkit.ops.operators import NoiseConfig
from inrkit.ops.operators.image import BlurConfig, DownsampleConfig, IdentityConfig, MaskConfig
from inrkit.ops.operators.mri import KSpaceConfig
from inrkit.ops.operators.radon import RadonConfig
from inrkit.registry import TASKS
from inrkit.signals import load_signal
from inrkit.tasks.inverse import InverseConfig, InverseTask
from inrkit.train.baseline import BaselineRunConfig, run_baseline
from inrkit.train.run import RunConfig, SignalConfig, fit, run_config_from_dict
from inrkit.train.trainer import OptimConfig, TrainerConfig

N = 32


def _save(path, img):
    Image.fromarray((np.clip(img, 0, 1) * 255).round().astype(np.uint8)).save(path)
    return str(path)


@pytest.fixture(scope="module")
def signals(tmp_path_factory):
    """Smooth sinusoid mixtures (one zero outside its inscribed disc for CT) as 32x32 grey PNGs."""
    d = tmp_path_factory.mktemp("inverse")
    y, x = np.mgrid[0:N, 0:N] / N
    smooth = 0.5 + 0.25 * np.sin(2 * np.pi * (2.5 * x + 1.5 * y)) + 0.15 * np.cos(2 * np.pi * (x - 3 * y))
    disc = smooth.copy()
    yy, xx = np.mgrid[:N, :N]
    disc[(yy - N // 2) ** 2 + (xx - N // 2) ** 2 > (N // 2 - 2) ** 2] = 0.0
    fine = 0.5 + 0.4 * np.sin(2 * np.pi * (5 * x + 2 * y))
    return {"smooth": _save(d / "smooth.png", smooth), "disc": _save(d / "disc.png", disc),
            "fine": _save(d / "fine.png", fine)}


CASES = [  # (problem, operator, noise, classical baseline, signal, coordinate convention)
    ("denoise", IdentityConfig(), NoiseConfig("gaussian", sigma=0.1), "noisy", "smooth", "endpoint"),
    ("inpaint", MaskConfig(keep=0.3), NoiseConfig(), "linear", "smooth", "endpoint"),
    ("sr", DownsampleConfig(2), NoiseConfig(), "bicubic", "fine", "center"),
    ("deblur", BlurConfig(sigma=1.5), NoiseConfig("gaussian", sigma=0.01), "wiener", "smooth", "endpoint"),
    ("ct", RadonConfig(n_angles=12), NoiseConfig(), "fbp", "disc", "endpoint"),
    ("mri", KSpaceConfig(acceleration=3.0, center_fraction=0.1), NoiseConfig(), "zero_filled", "smooth", "endpoint"),
]


@pytest.mark.parametrize("problem,op,noise,baseline,signal,conv", CASES, ids=[c[0] for c in CASES])
def test_tiny_recovery_beats_classical_baseline(problem, op, noise, baseline, signal, conv, signals):
    task = InverseConfig(coord_convention=conv, operator=op, noise=noise)
    source = SignalConfig(signals[signal])
    classical = run_baseline(BaselineRunConfig(signal=source, task=task, method=baseline)).metrics
    field = SirenConfig(hidden_features=16, hidden_layers=2, first_activation=SineConfig(8.0))
    inr = fit(RunConfig(signal=source, field=field, task=task,
                        trainer=TrainerConfig(steps=300, optim=OptimConfig(lr=3e-3), eval_every=100, progress=False,
                                              device="cpu"))).metrics
    assert inr["psnr"] > classical["psnr"] + 1.0, (problem, inr["psnr"], classical["psnr"])
    assert inr["psnr_peak"] >= inr["psnr"] and np.isfinite(inr["mse_data"])


def test_task_metrics_crop_and_tv(signals):
    sig = load_signal(signals["smooth"])
    sr = TASKS.create(InverseConfig(operator=DownsampleConfig(5)), sig)
    assert sr.signal.grid_shape == (30, 30) and sr.y.shape == (6, 6, 1)
    inp = TASKS.create(InverseConfig(operator=MaskConfig(keep=0.5), tv_weight=0.1), sig)
    metrics = inp.score(inp.clean, final=True)
    assert metrics["psnr"] == float("inf") and metrics["mse_data"] == 0.0
    assert {"psnr_missing", "psnr_observed", "ssim"} <= metrics.keys()
    field = torch.nn.Linear(2, 1)
    losses = {k: v.detach() for k, v in inp.loss(field, inp.sample(0, torch.Generator())).items()}
    assert set(losses) == {"mse_data", "tv", "loss"}
    assert float(losses["loss"]) == pytest.approx(float(losses["mse_data"] + losses["tv"]))
    noisy = TASKS.create(InverseConfig(noise=NoiseConfig("gaussian", sigma=0.1)), sig)
    assert 15 < noisy.score(noisy.clean, final=True)["psnr_input"] < 25
    assert isinstance(noisy, InverseTask)


def test_baseline_run_directory_and_round_trip(signals, tmp_path):
    cfg = BaselineRunConfig(signal=SignalConfig(signals["disc"]), task=InverseConfig(operator=RadonConfig(8)),
                            method="fbp", recipe="fbp-test")
    back = run_config_from_dict(to_dict(cfg))
    assert back == cfg
    result = fit(back, tmp_path / "run")
    saved = read_json(tmp_path / "run" / "metrics.json")
    assert saved["params"] == 0 and saved["steps"] == 0 and saved["psnr"] == pytest.approx(result.metrics["psnr"])
    assert (tmp_path / "run" / "reconstruction.png").is_file() and (tmp_path / "run" / "history.csv").is_file()
    with pytest.raises(Exception, match="unknown classical"):
        fit(BaselineRunConfig(signal=cfg.signal, task=cfg.task, method="bicubic"))


def test_bench_job_runs_a_baseline_row(signals, tmp_path):
    from inrkit.bench.runner import Job, run_job
    from inrkit.bench.tables import Row

    row = Row("FBP", "fbp-inverse-ct", {"task.operator.n_angles": 10})
    job = Job("inverse-ct", row, signals["disc"], 0, "quick", tmp_path / "fbp")
    out = run_job(job, device="cpu")
    assert out["params"] == 0 and np.isfinite(out["psnr"]) and out["row"] == "FBP"
    assert read_json(tmp_path / "fbp" / "config.json")["task"]["operator"]["n_angles"] == 10


def test_a_field_that_reads_the_signal_is_refused_by_inverse_tasks():
    """INCODE's harmoniser reads the signal it fits; an inverse problem must not hand it the ground truth."""
    from inrkit.config import override
    from inrkit.errors import InputError
    from inrkit.registry import RECIPES
    from inrkit.train.run import build

    cfg = RECIPES.get("siren-inverse-denoise").config("quick", "builtin:camera")
    cfg = override(cfg, "signal.max_side", 16)
    cfg = override(cfg, "field.type", "incode")
    with pytest.raises(InputError, match="observes only measurements"):
        build(cfg)
