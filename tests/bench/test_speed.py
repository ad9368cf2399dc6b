"""``inrkit bench speed``: FLOP counting from the recorded matrix products, the GEMM replay, the command
over every registered field, its JSON / Markdown / report outputs. No timed assertions."""

from __future__ import annotations

import json
import math

import pytest
import torch
from torch import nn

from inrkit.bench.report import write_report
from inrkit.bench.speed import (
    gemm_flops,
    gemm_replay,
    make_step,
    record_gemms,
    run_speed,
    siren_width,
    speed_markdown,
    step_time,
)
from inrkit.cli import main
from inrkit.nn.onednn import OneDNNLinear
from inrkit.nn.onednn import available as onednn_available
from inrkit.registry import FIELDS
from inrkit.train.trainer import OptimConfig

N = 10


def tiny_mlp(dtype=None) -> nn.Module:
    """2 -> 4 -> 4 -> 3 (three Linears), the shape hand-counted below."""
    return nn.Sequential(nn.Linear(2, 4, dtype=dtype), nn.Tanh(), nn.Linear(4, 4, dtype=dtype), nn.Tanh(),
                         nn.Linear(4, 3, dtype=dtype))


def _step_flops(model: nn.Module, x: torch.Tensor) -> int:
    opt = torch.optim.Adam(model.parameters())

    def step():
        loss = model(x).abs().square().mean()
        opt.zero_grad()
        loss.backward()
        opt.step()

    return gemm_flops(record_gemms(step))


def test_flops_of_a_tiny_mlp_by_hand():
    # forward 2N(2*4 + 4*4 + 4*3) = 72N; backward: weight gradients of all three (2N * 36 = 72N) and
    # input gradients of layers 2 and 3 only (the coordinates need none): 2N(16 + 12) = 56N
    assert _step_flops(tiny_mlp(), torch.randn(N, 2)) == 200 * N


def test_flops_of_a_complex_mlp_count_four_real_flops_per_complex_flop():
    x = torch.randn(N, 2, dtype=torch.cfloat)
    # complex input needs no gradient either, so the same products, each 4x in real FLOPs
    assert _step_flops(tiny_mlp(torch.cfloat), x) == 4 * 200 * N


@pytest.mark.skipif(not onednn_available(), reason="this PyTorch build has no oneDNN")
@pytest.mark.parametrize("dtype, factor", [(None, 1), (torch.cfloat, 4)])
def test_flops_of_onednn_linears_are_counted_as_the_same_products(dtype, factor):
    # the trainer's oneDNN path (inrkit.nn.onednn): the same hand count; complex layers as real pairs
    x = torch.randn(N, 2, dtype=dtype)
    with OneDNNLinear():
        assert _step_flops(tiny_mlp(dtype), x) == factor * 200 * N


def test_flops_of_a_registered_field_match_its_layer_shapes():
    field = FIELDS.create("siren", in_features=2, out_features=3, hidden_features=4, hidden_layers=1)
    step = make_step(field, OptimConfig(), torch.rand(N, 2), torch.rand(N, 3))
    gemms = record_gemms(step)
    assert gemm_flops(gemms) == 200 * N
    assert len(gemms) == 3 + 3 + 2  # forward, weight gradients, input gradients
    gemm_replay(gemms, torch.device("cpu"))()  # the products alone run on fresh operands


def test_siren_width_of_equal_parameters():
    assert siren_width(198_915, 3) == 256  # the 198,915-parameter SIREN (inrkit.nn.mlp)
    assert siren_width(133_123, 2) == 256
    assert siren_width(50_307, 3) == 128


def test_speed_command_runs_every_registered_field(tmp_path, capsys):
    out = tmp_path / "speed"
    result = run_speed([], points=64, device="cpu", out=out, repeats=1, warmup=0, quiet=True)
    rows = {r["field"]: r for r in result["rows"]}
    assert set(rows) == set(FIELDS)
    for r in rows.values():
        assert r["params"] > 0 and r["gflop_per_step"] > 0 and r["n_gemms"] > 0
        for key in ("step_ms", "gemm_ms", "step_over_gemm", "vs_siren", "samples_per_s", "gflops"):
            assert math.isfinite(r[key]) and r[key] > 0, (r["field"], key)
    assert rows["siren"]["vs_siren"] == 1.0  # SIREN is its own equal-parameter SIREN
    saved = json.loads((out / "speed.json").read_text())
    assert saved["meta"]["points"] == 64 and len(saved["rows"]) == len(list(FIELDS))
    md = (out / "speed.md").read_text()
    assert "| field | params | step ms" in md and "SASNet / SIREN" in md and "| wire |" in md
    assert "GEMM floor" in capsys.readouterr().out
    # the report picks the table up
    md_path, html_path = write_report(tmp_path)
    assert "Speed" in md_path.read_text() and "<table>" in html_path.read_text()


def test_cli_bench_speed_with_fields_and_recipes(tmp_path, capsys):
    rc = main(["bench", "speed", "gauss", "siren-image-sasnet", "--points", "32", "--repeats", "1",
               "--warmup", "0", "--keep-denormals", "--out", str(tmp_path)])
    assert rc == 0
    saved = json.loads((tmp_path / "speed.json").read_text())
    assert [r["field"] for r in saved["rows"]] == ["gauss", "siren-image-sasnet"]
    assert saved["rows"][1]["recipe"] == "siren-image-sasnet" and saved["meta"]["flush_denormals"] is False
    assert "subnormals kept" in speed_markdown(saved)


def test_cli_bench_speed_rejects_unknown_names_and_stray_arguments(capsys):
    assert main(["bench", "speed", "nope", "--points", "8"]) == 2
    assert "unknown field 'nope'" in capsys.readouterr().err
    assert main(["bench", "baselines-image", "extra"]) == 2


@pytest.mark.parametrize("recipe", ["siren-image-sasnet"])
def test_step_time_of_a_recipe(recipe):
    r = step_time(recipe, preset="quick", points=256, steps=2, warmup=1, device="cpu")
    assert r["step_s"] > 0 and r["params"] == 27_373
