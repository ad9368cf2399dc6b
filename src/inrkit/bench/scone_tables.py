"""SCONE Kodak table: baselines, SCONE, its mask-activation ablation and the random-binary-mask row.

SCONE's image results exist only in figures (kodim19 comparison, kodim09 curves; "> 3 dB over all
baselines"), so no paper column (protocols.md §13.3); the Siemens-star numbers (SCONE 38.47 dB, WIRE
34.10 dB, MFN 28.26 dB, 4 hidden layers x 64) belong to another experiment. MFN is not implemented.
The SCONE protocol reports the best PSNR over the run: compare ``psnr_peak``.
"""

from __future__ import annotations

from inrkit.bench.image_tables import KODAK_ALL, KODAK_QUICK
from inrkit.bench.tables import Row, TableSpec, register_table
from inrkit.nn.collage import MASK_KINDS

_LABELS = {"sin2": "sin^2", "sigmoid": "sigmoid", "gauss": "exp(-u^2)", "nsin": "N-sin", "ntanh": "N-tanh"}


def _mask_row(kind: str, learnable: bool) -> Row:
    label = f"SCONE {_LABELS[kind]}{'-L' if learnable else ''}"
    overrides = {"field.mask_activation": kind}
    if learnable:
        overrides["field.learnable_scale"] = True
    return Row(label, "scone-image-scone", overrides=overrides)


ROWS = (
    Row("RFF MLP", "ffn-image-scone"),
    Row("SIREN", "siren-image-scone"),
    Row("WIRE", "wire-image-scone"),
    Row("SCONE", "scone-image-scone"),
    *(_mask_row(k, False) for k in MASK_KINDS if k != "sin2"),
    *(_mask_row(k, True) for k in MASK_KINDS),
    Row("SCONE RBM", "scone_rbm-image-scone"),
)

register_table(TableSpec(
    name="scone-image",
    description="SCONE Kodak image fitting: RFF MLP, SIREN, WIRE, SCONE, mask-activation ablation, random masks",
    rows=ROWS, signals={"quick": KODAK_QUICK, "paper": KODAK_ALL},
    metrics=("psnr_peak", "psnr", "ssim", "params", "wall_s"),
    reference="protocols.md §1.5: targets [-1,1], endpoint grid, Adam 1e-4 cosine to 1e-6, 10k full-batch steps; "
              "peak PSNR over evaluations every 100 steps; MFN not implemented; no table values in the paper",
))
