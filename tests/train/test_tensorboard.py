"""``--log tensorboard``: losses, evaluation metrics and reconstructions in RUN/tensorboard."""

from __future__ import annotations

import pytest

from inrkit.cli import main

pytest.importorskip("tensorboard")


def _events(folder):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    acc = EventAccumulator(str(folder), size_guidance={"scalars": 0, "images": 0})
    acc.Reload()
    return acc


def test_fit_logs_losses_metrics_and_images(tiny_png, tmp_path):
    out = tmp_path / "run"
    assert main(["fit", str(tiny_png), "--model", "siren", "--steps", "6", "--no-progress", "--quiet", "--device",
                 "cpu", "--set", "field.hidden_features=8", "--set", "trainer.eval_every=3",
                 "--set", "trainer.log_every=1", "--log", "tensorboard", "--out", str(out)]) == 0
    acc = _events(out / "tensorboard")
    tags = acc.Tags()
    assert "train/loss" in tags["scalars"] and "eval/psnr" in tags["scalars"]
    assert [e.step for e in acc.Scalars("train/loss")] == [1, 2, 3, 4, 5, 6]
    assert [e.step for e in acc.Scalars("eval/psnr")][-1] == 6
    assert "reconstruction" in tags["images"]


def test_unknown_logger_is_one_line(tiny_png, tmp_path, capsys):
    code = main(["fit", str(tiny_png), "--model", "siren", "--steps", "2", "--quiet", "--device", "cpu",
                 "--set", "trainer.log=[\"wandb\"]", "--out", str(tmp_path / "x")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "unknown logger 'wandb'" in err[0]
