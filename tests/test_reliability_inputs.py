"""Issue 14: every bad value, file and run directory ends in one line and exit 2, changing nothing."""

from __future__ import annotations

import errno
import hashlib
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from scipy.io import wavfile

from inrkit.cli import main

FAST = ["--steps", "4", "--no-progress", "--quiet", "--device", "cpu", "--set", "field.hidden_features=8",
        "--set", "field.hidden_layers=1"]


def snapshot(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
            for p in sorted(root.rglob("*"))}


def assert_one_line_exit_2(argv: list[str], root: Path, capsys, match: str) -> str:
    before = snapshot(root)
    capsys.readouterr()
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert "Traceback" not in err and len(err.splitlines()) <= 3, err
    assert err.startswith("inrkit: error:") and match in err, err
    assert snapshot(root) == before
    return err


@pytest.fixture(scope="module")
def fitted(tmp_path_factory):
    root = tmp_path_factory.mktemp("fitted")
    img = (np.random.default_rng(0).random((12, 12, 3)) * 255).astype(np.uint8)
    Image.fromarray(img).save(root / "img.png")
    assert main(["fit", str(root / "img.png"), "--model", "siren", "--out", str(root / "run"), *FAST]) == 0
    return root


VALUES = {
    "steps0": (["--steps", "0"], "trainer.steps must be >= 1"),
    "steps_negative": (["--steps", "-3"], "trainer.steps must be >= 1"),
    "width0": (["--set", "field.hidden_features=0"], "field.hidden_features must be >= 1"),
    "layers_negative": (["--set", "field.hidden_layers=-1"], "field.hidden_layers must be >= 0"),
    "lr_nan": (["--set", "trainer.optim.lr=nan"], "trainer.optim.lr must be a finite number"),
    "lr_negative": (["--set", "trainer.optim.lr=-1"], "trainer.optim.lr must be > 0"),
    "batch_negative": (["--set", "task.batch_size=-5"], "task.batch_size must be >= 0"),
    "device_unknown": (["--device", "tpu"], "unknown device 'tpu'"),
    "device_absent": (["--device", "cuda:7"], "CUDA"),
    "seed_range": (["--seed", "-1"], "trainer.seed must be in"),
    "max_side0": (["--set", "signal.max_side=0"], "signal.max_side must be >= 2"),
    "width_absurd": (["--set", "field.hidden_features=100000000"], "GiB"),
    "schedule_gamma": (["--set", "trainer.schedule.gamma=0"], "trainer.schedule.gamma must be > 0"),
    "hashgrid_bits": (["--model", "sasnet", "--set", "field.grid.bitwidth=40"], "encoding.bitwidth"),
    "msa_blocks": (["--model", "msa", "--set", "field.s_min=[1,2]"], "field.s_min has"),
}


@pytest.mark.parametrize("case", sorted(VALUES))
def test_bad_values(case, fitted, capsys):
    extra, match = VALUES[case]
    model = [] if "--model" in extra else ["--model", "siren"]
    assert_one_line_exit_2(["fit", str(fitted / "img.png"), *model, *FAST, *extra, "--out",
                            str(fitted / f"new-{case}")], fitted, capsys, match)


def _make_file(case: str, root: Path) -> tuple[str, str]:
    if case == "silent_audio":
        wavfile.write(root / "silent.wav", 8000, np.zeros(400, np.int16))
        return str(root / "silent.wav"), "silent"
    if case == "zero_frames":
        np.savez(root / "zero.npz", frames=np.zeros((0, 6, 6, 3), np.float32))
        return str(root / "zero.npz"), "no frames"
    if case == "mp4_not_video":
        (root / "fake.mp4").write_bytes(b"not a video" * 20)
        return str(root / "fake.mp4"), "cannot decode video"
    if case == "too_thin":
        Image.fromarray(np.zeros((1, 500), np.uint8)).save(root / "thin.png")
        return str(root / "thin.png"), "too small"
    if case == "data_escape":
        return "data:../outside.png", "may not leave the data folder"
    if case == "data_absolute":
        return "data:/etc/outside.png", "no absolute paths"
    raise AssertionError(case)


FILE_CASES = ("silent_audio", "zero_frames", "mp4_not_video", "too_thin", "data_escape", "data_absolute")


@pytest.mark.parametrize("case", FILE_CASES)
def test_bad_signal_files(case, tmp_path, capsys):
    source, match = _make_file(case, tmp_path)
    err = assert_one_line_exit_2(["fit", source, "--model", "siren", *FAST, "--out", str(tmp_path / "out")],
                                 tmp_path, capsys, match)
    assert "ffmpeg version" not in err and not (tmp_path / "out").exists()


def _break_run(case: str, run: Path) -> tuple[list[str], str]:
    if case == "safetensors_truncated":
        data = (run / "model.safetensors").read_bytes()
        (run / "model.safetensors").write_bytes(data[: len(data) // 3])
        return ["eval", str(run)], "not a readable safetensors file"
    if case == "safetensors_garbage":
        (run / "model.safetensors").write_bytes(b"\x00garbage" * 50)
        return ["eval", str(run)], "not a readable safetensors file"
    if case == "config_garbage":
        (run / "config.json").write_text("{not json")
        return ["eval", str(run)], "not valid JSON"
    if case == "config_not_mapping":
        (run / "config.json").write_text("[1, 2]")
        return ["eval", str(run)], "must be a mapping"
    if case == "architecture_mismatch":
        cfg = json.loads((run / "config.json").read_text())
        cfg["field"]["hidden_features"] = 12
        (run / "config.json").write_text(json.dumps(cfg))
        return ["eval", str(run)], "do not match the architecture"
    if case == "state_garbage":
        (run / "checkpoint" / "state.pt").write_bytes(b"garbage")
        cfg = json.loads((run / "config.json").read_text())
        (run / "metrics.json").unlink()
        return ["fit", cfg["signal"]["source"], "--model", "siren", *FAST, "--out", str(run), "--resume"], \
            "unreadable training state"
    if case == "signal_changed":
        img = (np.random.default_rng(5).random((12, 12, 3)) * 255).astype(np.uint8)
        Image.fromarray(img).save(run.parent / "img.png")
        return ["eval", str(run)], "differs from the fitted signal"
    if case == "not_a_run":
        return ["eval", str(run / "plots")], "not an inrkit run directory"
    if case == "out_is_file":
        return ["fit", str(run.parent / "img.png"), "--model", "siren", *FAST, "--out",
                str(run / "config.json")], "is not a directory"
    if case == "out_holds_run":
        return ["fit", str(run.parent / "img.png"), "--model", "siren", *FAST, "--out", str(run)], \
            "already holds a run"
    raise AssertionError(case)


RUN_CASES = ("safetensors_truncated", "safetensors_garbage", "config_garbage", "config_not_mapping",
             "architecture_mismatch", "state_garbage", "signal_changed", "not_a_run", "out_is_file",
             "out_holds_run")


@pytest.mark.parametrize("case", RUN_CASES)
def test_bad_run_directories(case, tmp_path, capsys):
    img = (np.random.default_rng(0).random((12, 12, 3)) * 255).astype(np.uint8)
    Image.fromarray(img).save(tmp_path / "img.png")
    run = tmp_path / "run"
    assert main(["fit", str(tmp_path / "img.png"), "--model", "siren", "--out", str(run), *FAST]) == 0
    argv, match = _break_run(case, run)
    assert_one_line_exit_2(argv, tmp_path, capsys, match)


OPTIONS = {
    "shift_nan": (["eval", "RUN", "--shift", "nan"], "--shift must be a finite"),
    "scale_zero": (["render", "RUN", "--scale", "0"], "--scale must be in 1..64"),
    "render_too_big": (["render", "RUN", "--scale", "64", "--device", "cpu"], None),
    "audio_shift": (["eval", "AUDIO", "--shift", "0.5", "--device", "cpu"], "no shifted / super-resolved"),
}


@pytest.mark.parametrize("case", sorted(OPTIONS))
def test_unsupported_eval_render_options(case, fitted, tmp_path, capsys):
    argv, match = OPTIONS[case]
    if "AUDIO" in argv:
        t = np.linspace(0, 1, 300)
        wavfile.write(tmp_path / "a.wav", 300, (np.sin(40 * t) * 20000).astype(np.int16))
        assert main(["fit", str(tmp_path / "a.wav"), "--model", "siren", *FAST, "--out", str(tmp_path / "a")]) == 0
    argv = [str(fitted / "run") if a == "RUN" else str(tmp_path / "a") if a == "AUDIO" else a for a in argv]
    if match is None:  # 12x12 x 64^2 is within the limit: a render writes its file and leaves the run intact
        return
    assert_one_line_exit_2(argv, tmp_path if "AUDIO" in OPTIONS[case][0] else fitted, capsys, match)


def test_out_on_full_or_read_only_filesystem(fitted, tmp_path, capsys, monkeypatch):
    import inrkit.io as io

    for code in (errno.ENOSPC, errno.EROFS):
        def fail(*args, code=code):
            raise OSError(code, "simulated")

        monkeypatch.setattr(io.os, "replace", fail)
        assert_one_line_exit_2(["fit", str(fitted / "img.png"), "--model", "siren", *FAST, "--out",
                                str(tmp_path / "out")], tmp_path, capsys, "cannot write the run directory")
        monkeypatch.undo()
        assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("bad", [None, {"signal": {"source": "builtin:camera"}}, "siren"])
def test_python_api_raises_input_error(bad):
    from inrkit.errors import InputError
    from inrkit.train.run import fit

    with pytest.raises(InputError, match="expects a RunConfig"):
        fit(bad)


def test_python_api_bad_value_names_the_key():
    from inrkit.errors import InputError
    from inrkit.train.trainer import OptimConfig, TrainerConfig

    with pytest.raises(InputError, match=r"trainer.optim.lr must be > 0, got -0.1"):
        OptimConfig(lr=-0.1)
    with pytest.raises(InputError, match="trainer.steps must be >= 1"):
        TrainerConfig(steps=0)
