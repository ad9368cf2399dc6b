"""COIN-style compression of a fitted field: one file, a small header, the coded weights.

File layout (little endian)::

    b"INRC" | version u8 | coder u8 | bits u8 | seed u32 | meta_len u16 | meta (zstd JSON)
    | per trainable tensor: w_min f32, delta f32 | payload (``entropy.encode`` of all symbol streams)

``meta`` holds what is needed to rebuild and query the field: its registry name with the config
keys that differ from the defaults, the grid shape, the coordinate convention and range and the
target value range. Only **trainable** parameters are stored; buffers and frozen parameters (SASNet's
frozen frequency embedding, FFN's random matrix, hash-grid constants) are rebuilt from the config
under the stored seed, exactly as ``train.run.build`` made them (``encode_field`` checks this and
refuses a field whose untrained state would not be reproduced). Tensor order and shapes come from
the rebuilt field. Rate: ``bpp = 8 * file bytes / pixels`` with everything above counted.
"""

from __future__ import annotations

import io
import json
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import Tensor

from inrkit.compress import entropy
from inrkit.compress.quantize import Quantised, dequantise, ideal_bits, quantise
from inrkit.config import to_dict
from inrkit.errors import InputError

MAGIC = b"INRC"
VERSION = 1


@dataclass(frozen=True)
class GridInfo:
    """How the field is queried: grid shape and coordinate / value conventions of its task."""

    grid_shape: tuple[int, ...]
    coord_convention: str = "center"
    coord_range: tuple[float, float] = (-1.0, 1.0)
    target_range: tuple[float, float] = (-1.0, 1.0)

    @classmethod
    def of_task(cls, task: Any) -> GridInfo:
        c = task.cfg
        return cls(tuple(task.signal.grid_shape), c.coord_convention, tuple(c.coord_range), tuple(c.target_range))

    @property
    def pixels(self) -> int:
        return int(np.prod(self.grid_shape))


@dataclass
class Encoded:
    """The compressed bytes and what they contain."""

    data: bytes
    quantised: dict[str, Tensor]
    bits: int
    coder: str
    pixels: int
    ideal_bits: float

    @property
    def bpp(self) -> float:
        return 8.0 * len(self.data) / self.pixels

    @property
    def bpp_ideal(self) -> float:
        return self.ideal_bits / self.pixels


def field_spec(field_cfg: Any) -> dict[str, Any]:
    """``{"type": name, <keys that differ from the registered defaults>}``."""
    full = to_dict(field_cfg)
    default = to_dict(type(field_cfg)())
    return {k: v for k, v in full.items() if k == "type" or default.get(k) != v}


def build_field(spec: dict[str, Any], seed: int) -> torch.nn.Module:
    """The field of a spec, initialised under ``seed`` (as ``train.run.build`` does)."""
    from inrkit.config import from_dict
    from inrkit.registry import FIELDS

    torch.manual_seed(seed)
    return FIELDS.create(from_dict(dict(spec), FIELDS, "field"))


def trainable_names(field: torch.nn.Module) -> list[str]:
    return [n for n, p in field.named_parameters() if p.requires_grad]


def _check_untrained_state(field: torch.nn.Module, rebuilt: torch.nn.Module) -> None:
    stored = set(trainable_names(field))
    mine, theirs = field.state_dict(), rebuilt.state_dict()
    if mine.keys() != theirs.keys():
        raise InputError("cannot compress this field: its state does not match a field rebuilt from its config")
    for name, value in mine.items():
        if name not in stored and not torch.equal(value.cpu(), theirs[name].cpu()):
            raise InputError(f"cannot compress this field: untrained state {name!r} is not reproduced from the "
                             "config and seed")


def encode_field(field: torch.nn.Module, field_cfg: Any, grid: GridInfo, bits: int, coder: str = "range",
                 seed: int = 0) -> Encoded:
    """Quantise the field's trainable parameters to ``bits`` bits and write the file's bytes."""
    if coder not in entropy.CODERS:
        raise InputError(f"unknown coder {coder!r}; choose one of: {', '.join(entropy.CODERS)}")
    if not 1 <= bits <= 16:
        raise InputError(f"--bits must lie in 1..16, got {bits}")
    spec = field_spec(field_cfg)
    _check_untrained_state(field, build_field(spec, seed))
    params = dict(field.named_parameters())
    names = trainable_names(field)
    qs: list[Quantised] = [quantise(params[n], bits) for n in names]
    meta = {"field": spec, "grid": list(grid.grid_shape), "conv": grid.coord_convention,
            "range": list(grid.coord_range), "target": list(grid.target_range)}
    import zstandard

    meta_bytes = zstandard.ZstdCompressor(level=19).compress(json.dumps(meta, separators=(",", ":")).encode())
    out = io.BytesIO()
    out.write(MAGIC)
    out.write(struct.pack("<BBBIH", VERSION, entropy.CODERS.index(coder), bits, seed, len(meta_bytes)))
    out.write(meta_bytes)
    for q in qs:
        out.write(struct.pack("<ff", q.w_min, q.delta))
    header = out.tell()
    out.write(entropy.encode([q.symbols for q in qs], bits, coder))
    quantised = {n: dequantise(q, params[n]) for n, q in zip(names, qs, strict=True)}
    return Encoded(out.getvalue(), quantised, bits, coder, grid.pixels, 8.0 * header + ideal_bits(qs) - 64 * len(qs))


@dataclass
class Decoded:
    """A field restored from a compressed file, queryable on its grid."""

    field: torch.nn.Module
    grid: GridInfo
    bits: int
    coder: str
    seed: int
    spec: dict[str, Any]

    def render(self, scale: int = 1, shift: float = 0.0, chunk: int = 65536) -> np.ndarray:
        """The field on its grid (``scale`` samples per pixel) mapped to [0, 1], ``[*grid, C]``."""
        from inrkit.ops.coords import chunked, grid

        lo, hi = self.grid.coord_range
        coords = grid(self.grid.grid_shape, self.grid.coord_convention, lo, hi, shift=shift, scale=scale)
        t_lo, t_hi = self.grid.target_range
        with torch.no_grad():
            out = chunked(self.field, coords.reshape(-1, coords.shape[-1]), chunk)
        out = (out - t_lo) / (t_hi - t_lo)
        return out.reshape(*coords.shape[:-1], -1).double().numpy()


def decode_bytes(data: bytes) -> Decoded:
    """Rebuild the field stored in ``data`` (as written by ``encode_field``)."""
    import zstandard

    if data[:4] != MAGIC:
        raise InputError("not an inrkit compressed field (bad magic bytes)")
    version, coder_id, bits, seed, meta_len = struct.unpack_from("<BBBIH", data, 4)
    if version != VERSION:
        raise InputError(f"unsupported compressed-field version {version}")
    pos = 4 + struct.calcsize("<BBBIH")
    meta = json.loads(zstandard.ZstdDecompressor().decompress(data[pos:pos + meta_len]))
    pos += meta_len
    field = build_field(meta["field"], seed)
    params = dict(field.named_parameters())
    names = trainable_names(field)
    ranges = [struct.unpack_from("<ff", data, pos + 8 * i) for i in range(len(names))]
    pos += 8 * len(names)
    sizes = [params[n].numel() * (2 if params[n].is_complex() else 1) for n in names]
    coder = entropy.CODERS[coder_id]
    streams = entropy.decode(data[pos:], sizes, bits, coder)
    with torch.no_grad():
        for n, (lo, delta), s in zip(names, ranges, streams, strict=True):
            q = Quantised(s, np.float32(lo), np.float32(delta), bits)
            params[n].copy_(dequantise(q, params[n]))
    grid = GridInfo(tuple(meta["grid"]), meta["conv"], tuple(meta["range"]), tuple(meta["target"]))
    return Decoded(field.eval(), grid, bits, coder, seed, meta["field"])


def decode_file(path: Path) -> Decoded:
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    return decode_bytes(path.read_bytes())
