"""The prepared paper-scale GPU command: its plan, FLOP estimate and CPU refusal."""

from __future__ import annotations

import pytest
import torch

from inrkit.bench.paper_gpu import PLAN, flops_per_point_step, main
from inrkit.registry import TABLES


def test_plan_names_real_rows():
    for table, labels, n in PLAN:
        spec = TABLES.get(table)
        assert set(labels) <= {r.label for r in spec.all_rows()} and n <= len(spec.signals["paper"])


def test_flops_per_point_match_the_layer_shapes():
    # SIREN 2 x 256 on 2-D -> 3: forward MACs per point 2*256 + 2*256*256 + 256*3; backward ~2x forward
    fwd = 2 * (2 * 256 + 2 * 256 * 256 + 256 * 3)
    got = flops_per_point_step("siren-image-sasnet")
    assert 2.5 * fwd < got < 3.5 * fwd


@pytest.mark.skipif(torch.cuda.is_available(), reason="the refusal is for machines without CUDA")
def test_estimate_then_refusal_without_cuda(capsys, tmp_path):
    assert main(["--estimate", "--out", str(tmp_path)]) == 0
    assert "total" in capsys.readouterr().out
    assert main(["--out", str(tmp_path)]) == 2
    assert "no CUDA device" in capsys.readouterr().err
