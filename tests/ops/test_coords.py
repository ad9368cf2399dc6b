"""The coordinate convention, written once in inrkit.ops.coords, pinned here."""

from __future__ import annotations

import torch

from inrkit.ops.coords import axis_samples, chunked, grid, pixel_pitch


def test_pixel_centre_and_endpoint_samples():
    assert torch.allclose(axis_samples(4, "center"), torch.tensor([-0.75, -0.25, 0.25, 0.75]))
    assert torch.allclose(axis_samples(3, "endpoint"), torch.tensor([-1.0, 0.0, 1.0]))
    assert torch.allclose(axis_samples(2, "center", 0.0, 1.0), torch.tensor([0.25, 0.75]))
    assert pixel_pitch(4, "center") == 0.5 and pixel_pitch(3, "endpoint") == 1.0


def test_ij_order_row_first():
    g = grid((2, 3))
    assert g.shape == (2, 3, 2)
    assert torch.allclose(g[1, 0], torch.tensor([0.5, -2 / 3]))  # (y of row 1, x of column 0)
    assert torch.allclose(g[0, 2], torch.tensor([-0.5, 2 / 3]))


def test_shift_moves_by_fraction_of_pitch():
    g0, g1 = grid((8, 8)), grid((8, 8), shift=0.125)
    assert torch.allclose(g1 - g0, torch.full_like(g0, 0.125 * 2 / 8))


def test_x16_query_matches_protocol_formula():
    """protocols.md §2: x_q = x(j0) + (q/16 - 15/32) * pitch for q = 0 .. 15 within pixel j0."""
    n, k = 5, 16
    fine = axis_samples(n, "center", scale=k, dtype=torch.float64)
    coarse = axis_samples(n, "center", dtype=torch.float64)
    pitch = 2 / n
    for j0 in range(n):
        for q in range(k):
            assert abs(fine[j0 * k + q] - (coarse[j0] + (q / k - 15 / 32) * pitch)) < 1e-12


def test_endpoint_upsampling_contains_training_samples():
    fine, coarse = axis_samples(5, "endpoint", scale=4), axis_samples(5, "endpoint")
    assert torch.allclose(fine[::4], coarse)


def test_chunked_equals_direct():
    x = torch.rand(1000, 2)
    assert torch.equal(chunked(lambda t: t * 2, x, chunk=128), x * 2)
