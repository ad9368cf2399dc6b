"""Issue 14 fault injection: ``inrkit fit`` SIGKILLed at seeded random points, resumed each time, ends
with the metrics of an uninterrupted run, leaves no temporary files and answers a second process."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image

ARGS = ["--model", "siren", "--steps", "60", "--no-progress", "--device", "cpu", "--set", "field.hidden_features=8",
        "--set", "field.hidden_layers=1", "--set", "trainer.checkpoint_every=1", "--set", "trainer.eval_every=20",
        "--set", "trainer.lbfgs_steps=0"]
KILLS = 2
RESULT_KEYS = ("mse", "psnr", "ssim", "psnr_peak", "peak_step", "steps")


def _cmd(img: Path, out: Path, resume: bool) -> list[str]:
    return [sys.executable, "-m", "inrkit.cli", "fit", str(img), *ARGS, "--out", str(out),
            *(["--resume"] if resume else [])]


def _env() -> dict[str, str]:
    src = str(Path(__file__).resolve().parents[2] / "src")
    return {**os.environ, "PYTHONPATH": src, "OMP_NUM_THREADS": "1"}


def test_sigkill_at_random_points_then_resume_matches_uninterrupted(tmp_path):
    img = tmp_path / "img.png"
    Image.fromarray((np.random.default_rng(0).random((10, 10, 3)) * 255).astype(np.uint8)).save(img)
    from inrkit.cli import main

    ref = tmp_path / "ref"
    assert main(_cmd(img, ref, False)[3:]) == 0  # the uninterrupted run, in this process

    rng = random.Random(14)
    out = tmp_path / "killed"
    killed = 0
    for k in range(KILLS):
        proc = subprocess.Popen(_cmd(img, out, k > 0), env=_env(), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while not (out / "checkpoint" / "state.pt").exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(rng.uniform(0.0, 0.3))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed += 1
        proc.wait()
        if (out / "metrics.json").exists():
            break
    assert killed >= 1
    if not (out / "metrics.json").exists():
        subprocess.run(_cmd(img, out, True), env=_env(), check=True, capture_output=True)
    a = json.loads((ref / "metrics.json").read_text())
    b = json.loads((out / "metrics.json").read_text())
    assert {k: a.get(k) for k in RESULT_KEYS} == {k: b.get(k) for k in RESULT_KEYS}
    leftovers = [p.name for p in out.rglob("*") if p.name.startswith(".inrkit-tmp.") or p.name.endswith(".tmp")]
    assert leftovers == [] and not (out / "checkpoint.tmp").exists()
    assert oct((out / "metrics.json").stat().st_mode & 0o777) == oct(0o666 & ~_umask())


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def test_second_process_on_a_locked_run_directory_gets_one_line(tmp_path):
    from filelock import FileLock

    from inrkit.cli import main

    img = tmp_path / "img.png"
    Image.fromarray((np.random.default_rng(0).random((10, 10, 3)) * 255).astype(np.uint8)).save(img)
    out = tmp_path / "run"
    out.mkdir()
    with FileLock(str(out / ".lock")):
        r = subprocess.run(_cmd(img, out, False), env=_env(), capture_output=True, text=True)
    assert r.returncode == 2 and "another inrkit process" in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and not (out / "config.json").exists()
    assert main(["fit", str(img), *ARGS, "--steps", "3", "--out", str(out)]) == 0
