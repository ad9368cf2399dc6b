"""The per-layer Mean-Log gradient statistic (metrics.md §9)."""

from __future__ import annotations

import math

import torch

from inrkit.train.grad_stats import GradStats, linear_weights, mean_log10


def test_mean_log10_definition():
    s, n, total = mean_log10(torch.tensor([1e-3, -1e2, 0.0, float("inf")], dtype=torch.float64))
    assert (n, total) == (3, 4)
    assert math.isclose(s / n, (-3 + 2 + math.log10(1e-30)) / 3, rel_tol=1e-12)


def test_callback_averages_over_steps_per_layer():
    net = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Tanh(), torch.nn.Linear(3, 1))
    stats = GradStats(net, every=1)
    assert len(linear_weights(net)) == 2
    for step, scale in ((1, 1e-2), (2, 1e2)):
        for p in net.parameters():
            p.grad = torch.full_like(p, scale)
        stats(step, {})
    out = stats.summary()
    assert math.isclose(out["grad_log10_layer1"], 0.0, abs_tol=1e-6)  # mean of -2 and +2
    assert math.isclose(out["grad_log10_layer2"], 0.0, abs_tol=1e-6)
    assert out["grad_nonfinite_frac"] == 0.0
    assert math.isclose(stats.last["grad_log10_layer1"], 2.0, rel_tol=1e-6)
