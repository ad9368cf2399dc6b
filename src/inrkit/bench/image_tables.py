"""Image-fitting tables."""

from __future__ import annotations

from inrkit.bench.tables import Row, TableSpec, register_table

KODAK_QUICK = tuple(f"data:images/kodak/kodim{i:02d}.png" for i in (1, 5, 23))
KODAK_ALL = tuple(f"data:images/kodak/kodim{i:02d}.png" for i in range(1, 25))

BASELINES = tuple(Row.of(m, "image") for m in ("relu_mlp", "pe_mlp", "ffn", "gauss", "wire", "siren", "finer"))

register_table(TableSpec(
    name="baselines-image",
    description="Baseline INRs on Kodak image fitting (FINER image trainer protocol)",
    rows=BASELINES,
    signals={"quick": KODAK_QUICK, "paper": KODAK_ALL},
    metrics=("psnr", "ssim", "psnr_edge", "noisiness", "params", "wall_s"),
    reference="protocols.md §1.3/§1.6: full batch, exp-decay(0.1), per-model lr; hidden_layers=3, H=256",
    protocol="image",
))

WIDTHS = {"quick": (32, 64, 128), "paper": (64, 128, 256, 512)}
SCALING_MODELS = (("SIREN", "siren-image"), ("FINER", "finer-image"), ("SASNet", "sasnet-image"))

register_table(TableSpec(
    name="scaling-image",
    description="Quality against model size: SIREN, FINER and SASNet at several widths (Kodak)",
    rows=tuple(Row(f"{label} H={h}", recipe, {"field.hidden_features": h})
               for label, recipe in SCALING_MODELS for h in sorted({*WIDTHS["quick"], *WIDTHS["paper"]})),
    signals={"quick": KODAK_QUICK, "paper": KODAK_ALL},
    metrics=("psnr", "ssim", "params", "wall_s"),
    reference="each model's own image recipe with only the hidden width changed; run --rows to pick widths "
              f"(quick: H in {WIDTHS['quick']}, paper: H in {WIDTHS['paper']})",
))
