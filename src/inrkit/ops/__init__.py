"""Coordinate grids, chunked evaluation and autograd differential operators."""
