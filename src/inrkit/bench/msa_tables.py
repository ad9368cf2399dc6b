"""MSA tables: the 1-D y4 curve, Kodak images and the frequency-spacing / amplitude ablation.

Paper numbers are from protocols.md §13.2: the y4 training MSE of MSA (7.96e-14; "all baselines above
1e-8", no values). The Kodak results exist only per image in a figure, so that table has no paper
column. The paper runs its frequency-strategy ablation on a Helmholtz PINN (curves only) and the
amplitude ablation on a Poisson PINN (relative L2: MSA 3.49e-5, MSA-NoAM 1.31e1; that one is the
``msa-noam`` table of ``bench.av_pde_tables``); ``msa-spacing`` runs the spacing variants on y4
[default], without a comparable paper column.
"""

from __future__ import annotations

from inrkit.bench.image_tables import KODAK_ALL, KODAK_QUICK
from inrkit.bench.tables import Row, TableSpec, register_table

Y4 = ("function:y4",)
FUNCTION_METRICS = ("mse", "mse_heldout", "params", "wall_s")

register_table(TableSpec(
    name="msa-1d",
    description="MSA 1-D multi-scale curve y4: SIREN, WIRE, FINER, MSA (4x256, 10k full-batch steps)",
    rows=(
        Row("SIREN", "siren-function1d"),
        Row("WIRE", "wire-function1d"),
        Row("FINER", "finer-function1d"),
        Row("MSA", "msa-function1d", paper={"mse": 7.96e-14}),
    ),
    signals={"quick": Y4, "paper": Y4}, metrics=FUNCTION_METRICS,
    reference="protocols.md §6: 1024 random samples (NumPy seed 42), Adam 1e-4 -> 1e-7 cosine, 10k steps; "
              "MSA float64, baselines float32; mse = training samples, mse_heldout = linspace(-1, 1, 20000)",
    paper_label="MSA paper, y4 training MSE (baselines only stated as > 1e-8)",
))

register_table(TableSpec(
    name="msa-image",
    description="MSA Kodak image fitting: SIREN, WIRE, FINER, MSA (4x400, 1500 full-batch steps)",
    rows=(
        Row("SIREN", "siren-image-msa"),
        Row("WIRE", "wire-image-msa"),
        Row("FINER", "finer-image-msa"),
        Row("MSA", "msa-image"),
    ),
    signals={"quick": KODAK_QUICK, "paper": KODAK_ALL}, metrics=("psnr", "ssim", "lpips", "params", "wall_s"),
    reference="protocols.md §1.4: Adam 1e-3 -> 5e-4 cosine, [0,1] coordinates (endpoint grid) and targets, "
              "final-model metrics; the paper gives per-image values in a figure only",
    protocol="image-msa",
))

#: the spacing / amplitude variants of the MSA field (methods.md §6.5)
SPACING_ROWS = (
    Row("log (MSA)", "msa-function1d"),
    Row("linear", "msa-function1d", overrides={"field.spacing": "linear"}),
    Row("uniform_random", "msa-function1d", overrides={"field.spacing": "uniform_random"}),
    Row("log, NoAM", "msa-function1d", overrides={"field.amplitude_modulation": False}),
)

register_table(TableSpec(
    name="msa-spacing",
    description="MSA frequency ladder ablation on y4: log / linear / uniform random spacing and no 1/omega (NoAM)",
    rows=SPACING_ROWS, signals={"quick": Y4, "paper": Y4}, metrics=FUNCTION_METRICS,
    reference="methods.md §6.5 (spacings in [10^s_min, 10^s_max], seeded random ladder); run on y4 [default] "
              "because the paper's ablations are PINNs (Helmholtz curves; Poisson relative L2 MSA 3.49e-5 vs "
              "NoAM 1.31e1, protocols.md §10.3: the msa-noam table)",
))
