"""End-to-end command line: fit, eval, render, list, bench and the bad-input contract."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from inrkit.cli import main

FAST = ["--preset", "quick", "--steps", "8", "--no-progress", "--device", "cpu",
        "--set", "field.hidden_features=16", "--set", "trainer.eval_every=4"]


def test_fit_writes_complete_run_dir_and_psnr_matches_png(tiny_png, tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["fit", str(tiny_png), "--model", "siren", "--out", str(out), *FAST]) == 0
    for name in ("config.json", "metrics.json", "history.csv", "model.safetensors", "reconstruction.png",
                 "error.png", "comparison.png", "plots/loss.png", "plots/psnr.png", "checkpoint/model.safetensors"):
        assert (out / name).is_file(), name
    metrics = json.loads((out / "metrics.json").read_text())
    rec = np.asarray(Image.open(out / "reconstruction.png"), dtype=np.float64) / 255
    gt = np.asarray(Image.open(tiny_png), dtype=np.float64) / 255
    psnr_png = 10 * np.log10(1 / np.mean((rec - gt) ** 2))
    assert abs(psnr_png - metrics["psnr"]) < 0.05
    assert metrics["params"] > 0 and metrics["steps"] == 8 and metrics["device"] == "cpu"
    config = json.loads((out / "config.json").read_text())
    assert config["field"]["type"] == "siren" and config["field"]["hidden_features"] == 16

    capsys.readouterr()
    assert main(["eval", str(out), "--shift", "0.125", "--scale", "2", "--device", "cpu"]) == 0
    shown = json.loads(capsys.readouterr().out)
    saved = json.loads((out / "eval.json").read_text())
    entry = saved["shift=0.125,scale=2"]
    assert abs(entry["psnr"] - metrics["psnr"]) < 1e-9 and "psnr_shift" in entry and "psnr_down" in entry
    assert shown == entry

    assert main(["render", str(out), "--scale", "2", "--device", "cpu"]) == 0
    assert Image.open(out / "render_x2.png").size == (48, 40)


def test_resume_via_cli_finishes_a_run(tiny_png, tmp_path):
    out = tmp_path / "run"
    assert main(["fit", str(tiny_png), "--model", "finer", "--out", str(out), *FAST]) == 0
    first = json.loads((out / "metrics.json").read_text())
    assert main(["fit", str(tiny_png), "--model", "finer", "--out", str(out), "--resume", *FAST]) == 0
    again = json.loads((out / "metrics.json").read_text())
    assert again["psnr"] == first["psnr"]


def test_a_run_saved_before_the_added_trainer_keys_resumes(tiny_png, tmp_path):
    # runs written before trainer.ntk_points / trainer.onednn_linear existed resume with today's values
    from inrkit.train.run import ADDED_TRAINER_KEYS

    out = tmp_path / "run"
    assert main(["fit", str(tiny_png), "--model", "siren", "--out", str(out), *FAST]) == 0
    cfg = json.loads((out / "config.json").read_text())
    for key in ADDED_TRAINER_KEYS:
        del cfg["trainer"][key]
    (out / "config.json").write_text(json.dumps(cfg))
    assert main(["fit", "--out", str(out), "--resume", *FAST]) == 0
    assert set(ADDED_TRAINER_KEYS) <= set(json.loads((out / "config.json").read_text())["trainer"])


@pytest.mark.parametrize("what", ["fields", "recipes", "tables", "tasks", "signals"])
def test_list(what, capsys):
    assert main(["list", what]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines and all(len(line.split(None, 1)) == 2 for line in lines)


def _run_cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "inrkit.cli", *args], capture_output=True, text=True,
                          cwd=cwd, env={**os.environ, "PYTHONWARNINGS": "ignore"}, timeout=300)


@pytest.mark.parametrize("case", ["missing", "not_image", "unknown_model", "bad_set_key", "bad_set_value",
                                  "unknown_table", "non_finite"])
def test_bad_input_exit_2_one_line_nothing_lost(case, tiny_png, tmp_path):
    existing = tmp_path / "existing"
    existing.mkdir()
    (existing / "keep.txt").write_text("precious")
    args = ["fit", str(tiny_png), "--out", str(tmp_path / "o"), "--steps", "1"]
    if case == "missing":
        args[1] = str(tmp_path / "missing.png")
    elif case == "not_image":
        (tmp_path / "fake.png").write_text("not an image")
        args[1] = str(tmp_path / "fake.png")
    elif case == "unknown_model":
        args += ["--model", "nosuchmodel"]
    elif case == "bad_set_key":
        args += ["--set", "field.nosuchkey=3"]
    elif case == "bad_set_value":
        args += ["--set", "trainer.steps=many"]
    elif case == "unknown_table":
        args = ["bench", "nosuchtable", "--out", str(existing)]
    elif case == "non_finite":
        Image.fromarray(np.full((12, 12), np.nan, np.float32), "F").save(tmp_path / "nan.tif")
        args[1] = str(tmp_path / "nan.tif")
    res = _run_cli(*args)
    assert res.returncode == 2, res.stderr
    lines = [x for x in res.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("inrkit: error:"), res.stderr
    assert "Traceback" not in res.stderr
    assert (existing / "keep.txt").read_text() == "precious"
    assert not (tmp_path / "o").exists()


def test_existing_run_is_not_overwritten(tiny_png, tmp_path):
    out = tmp_path / "run"
    assert main(["fit", str(tiny_png), "--model", "siren", "--out", str(out), *FAST]) == 0
    before = (out / "metrics.json").read_bytes()
    res = _run_cli("fit", str(tiny_png), "--model", "siren", "--out", str(out), *FAST)
    assert res.returncode == 2 and "already holds a run" in res.stderr
    assert (out / "metrics.json").read_bytes() == before


def test_ctrl_c_then_resume_gives_the_same_metrics(tiny_png, tmp_path):
    """A real SIGINT mid-run, then --resume, ends with the same metrics as a run never stopped."""
    import signal
    import time

    common = [str(tiny_png), "--model", "siren", "--preset", "quick", "--steps", "1500", "--no-progress",
              "--device", "cpu", "--set", "field.hidden_features=8", "--set", "field.hidden_layers=1",
              "--set", "trainer.checkpoint_every=20", "--set", "trainer.eval_every=500",
              "--set", "task.batch_size=100"]
    full, cut = tmp_path / "full", tmp_path / "cut"
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "inrkit.cli", "fit", *common, "--out", str(cut)],
                            stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.time() + 120
    while not (cut / "checkpoint" / "state.pt").exists() and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "--resume" in err and not (cut / "metrics.json").exists()
    assert main(["fit", *common, "--out", str(cut), "--resume"]) == 0
    assert main(["fit", *common, "--out", str(full)]) == 0
    a = json.loads((full / "metrics.json").read_text())
    b = json.loads((cut / "metrics.json").read_text())
    for key in ("psnr", "ssim", "psnr_edge", "noisiness", "mse"):
        assert a[key] == b[key], key
