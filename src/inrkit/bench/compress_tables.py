"""Compression table: rate-distortion of fitted fields on Kodak against JPEG / WebP / AVIF.

Each row is one architecture; every fit reports all quantisation levels (``bpp_b<B>``,
``psnr_b<B>``) and the reference codecs at the same rate (``psnr_<codec>_b<B>``). The RD plot is
drawn by ``inrkit.compress.rd`` from a bench directory.
"""

from __future__ import annotations

from inrkit.bench.tables import Row, TableSpec, register_table

KODAK_6 = tuple(f"data:images/kodak/kodim{i:02d}.png" for i in (1, 5, 8, 13, 21, 23))
KODAK_ALL = tuple(f"data:images/kodak/kodim{i:02d}.png" for i in range(1, 25))

_SIZES = {"siren": (16, 24, 32, 48, 64), "finer": (24, 32), "wire": (24, 32), "gauss": (24, 32), "msa": (24, 32)}
_LABELS = {"siren": "SIREN (COIN)", "finer": "FINER", "wire": "WIRE", "gauss": "Gauss", "msa": "MSA"}

ROWS = tuple(Row(f"{_LABELS[m]} H={h}", f"{m}-compress", {"field.hidden_features": h})
             for m, sizes in _SIZES.items() for h in sizes)
ROWS += (Row("SIREN (COIN) H=32 +QAT", "siren-compress", {"field.hidden_features": 32, "task.qat_steps": 100}),)

register_table(TableSpec(
    name="compress-kodak",
    description="COIN-style compression on Kodak: bpp vs PSNR per quantisation level, JPEG/WebP/AVIF at matched bpp",
    rows=ROWS, signals={"quick": KODAK_6, "paper": KODAK_ALL},
    metrics=("psnr", "bpp_b8", "psnr_b8", "psnr_jpeg_b8", "psnr_webp_b8", "bpp_b6", "psnr_b6", "psnr_jpeg_b6",
             "psnr_webp_b6", "params"),
    reference="protocols.md §12; rows: hidden_layers=3, width H (quick: run a subset with --rows)",
    quality=()))
