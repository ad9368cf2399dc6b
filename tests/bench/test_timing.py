"""Per-step timing utility runs on CPU and reports a positive time and the parameter count."""

from inrkit.bench.timing import step_time


def test_step_time_small():
    r = step_time("siren-image-sasnet", preset="quick", points=256, steps=2, warmup=1, device="cpu")
    assert r["step_s"] > 0 and r["params"] == 27_373
