"""Lossless coding of the quantised symbol streams.

* ``range`` (default): one range-coder stream (the ``constriction`` package) over all tensors; each
  tensor is coded with a quantised Gaussian or Laplace model of its symbols (whichever gives the
  smaller ideal code length), whose location and scale are stored as float16 (5 bytes per tensor).
* ``zstd``: the symbols packed as uint8 (b <= 8) or uint16, compressed by Zstandard at level 19.

Both are exact: decoding returns the encoded symbols.
"""

from __future__ import annotations

import struct

import numpy as np

CODERS = ("range", "zstd")
GAUSSIAN, LAPLACE = 0, 1


def _model(family: int, bits: int, loc: float, scale: float):
    import constriction

    m = constriction.stream.model
    top = (1 << bits) - 1
    cls = m.QuantizedGaussian if family == GAUSSIAN else m.QuantizedLaplace
    return cls(0, top, float(loc), float(scale))


def _fit(symbols: np.ndarray, bits: int) -> tuple[int, float, float]:
    """(family, loc, scale) with float16-representable loc/scale of the better of two models."""
    from scipy import stats

    s = symbols.astype(np.float64)
    top = (1 << bits) - 1
    best = None
    for family in (GAUSSIAN, LAPLACE):
        if family == GAUSSIAN:
            loc, scale = s.mean(), s.std()
        else:
            loc = float(np.median(s))
            scale = float(np.mean(np.abs(s - loc)))
        loc = float(np.float16(min(max(loc, 0.0), top)))
        scale = float(np.float16(min(max(scale, 0.5), 6.0e4)))
        dist = stats.norm(loc, scale) if family == GAUSSIAN else stats.laplace(loc, scale)
        edges = np.arange(top + 2) - 0.5
        mass = np.diff(dist.cdf(edges))
        mass = np.maximum(mass / mass.sum(), 1e-12)
        cost = -np.log2(mass[symbols]).sum()
        if best is None or cost < best[0]:
            best = (cost, family, loc, scale)
    return best[1], best[2], best[3]


def encode(streams: list[np.ndarray], bits: int, coder: str) -> bytes:
    """Losslessly code a list of symbol arrays (each in ``[0, 2^bits - 1]``)."""
    if coder == "zstd":
        import zstandard

        dtype = np.uint8 if bits <= 8 else np.uint16
        packed = b"".join(s.astype(dtype).tobytes() for s in streams)
        return zstandard.ZstdCompressor(level=19).compress(packed)
    if coder != "range":
        raise ValueError(f"unknown coder {coder!r}; choose one of: {', '.join(CODERS)}")
    import constriction

    enc = constriction.stream.queue.RangeEncoder()
    params = []
    for s in streams:
        family, loc, scale = _fit(s, bits)
        params.append(struct.pack("<Bee", family, loc, scale))
        enc.encode(s.astype(np.int32), _model(family, bits, loc, scale))
    return b"".join(params) + enc.get_compressed().tobytes()


def decode(data: bytes, sizes: list[int], bits: int, coder: str) -> list[np.ndarray]:
    """Inverse of ``encode`` for streams of the given sizes."""
    if coder == "zstd":
        import zstandard

        dtype = np.uint8 if bits <= 8 else np.uint16
        flat = np.frombuffer(zstandard.ZstdDecompressor().decompress(data), dtype).astype(np.int32)
        return list(np.split(flat, np.cumsum(sizes)[:-1])) if sizes else []
    import constriction

    head = struct.calcsize("<Bee")
    params = [struct.unpack_from("<Bee", data, i * head) for i in range(len(sizes))]
    words = np.frombuffer(data[head * len(sizes):], np.uint32).copy()
    dec = constriction.stream.queue.RangeDecoder(words)
    return [dec.decode(_model(f, bits, loc, scale), n).astype(np.int32)
            for (f, loc, scale), n in zip(params, sizes, strict=True)]
