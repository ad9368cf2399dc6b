"""Survey tables: every field of the library under its family's one default protocol (issue 16).

The signal-processing INR survey compares spectral designs (lifted coordinates, periodic and
non-periodic activations, localised oscillations, learned frequencies, reparameterisation,
multiplicative filters, grids); these tables run each registered method under the family protocol
(``image``: the FINER image trainer; ``audio``; ``shape``: BACON/FINER SDF; ``function1d``: MSA's y4),
so resolution, steps, batch rule and schedule are shared and only each method's own settings differ.
They are open tables: a method registered under the protocol joins them with no edit here.

Sizing: every row's deployed parameter count (``params_deployed``: FR counted merged, INCODE without
its training-time harmoniser) is within 5% of the protocol's SIREN at each scale (image 50,307 quick /
198,915 paper; SDF 33,665 / 132,865; checked by ``tests/bench/test_survey_tables.py``). MLP-shaped
methods take the protocol's hidden sizes; methods with an encoding, grid or filters of their own carry
the width (FFN, PE-MLP, GaborNet, BACON, SAPE, SASNet) or table size (Instant-NGP: T, and N_max or
levels) that brings them to the budget, marked ``[sized]`` in their settings.
The quick image signals are disjoint from the tuning signals (``bench/tune.TUNE_SIGNALS``: DIV2K 01/03,
Kodak 02/03).
"""

from __future__ import annotations

from inrkit.bench.image_tables import KODAK_ALL
from inrkit.bench.msa_tables import FUNCTION_METRICS, Y4
from inrkit.bench.sasnet_tables import DIV2K_ALL
from inrkit.bench.shape_tables import SDF_METRICS, SHAPES
from inrkit.bench.tables import TableSpec, register_table

IMAGE_QUICK = ("data:images/kodak/kodim05.png", "data:images/kodak/kodim23.png",
               "data:images/div2k/finer_test_512/00.png", "data:images/div2k/finer_test_512/06.png")

register_table(TableSpec(
    name="survey-image", description="Survey: every image field under the default image protocol (Kodak, DIV2K crops)",
    rows=(), signals={"quick": IMAGE_QUICK, "paper": KODAK_ALL + DIV2K_ALL},
    metrics=("psnr", "ssim", "psnr_edge", "noisiness", "params_deployed", "wall_s", "time_to_psnr_30"),
    reference="protocols.md §1.3/§1.6 (FINER image trainer) for every method; methods.md §9", protocol="image",
))
register_table(TableSpec(
    name="survey-audio", description="Survey: every audio field under the default audio protocol (Bach)",
    rows=(), signals={"quick": ("data:audio/gt_bach.wav",), "paper": ("data:audio/gt_bach.wav",)},
    metrics=("psnr", "snr", "mse", "params", "wall_s"), reference="protocols.md §5", protocol="audio",
))
register_table(TableSpec(
    name="survey-sdf", description="Survey: every SDF field under the BACON/FINER SDF protocol (armadillo)",
    rows=(), signals={"quick": (SHAPES["armadillo"],), "paper": (SHAPES["armadillo"],)},
    metrics=(*(m for m in SDF_METRICS if m != "params"), "params_deployed"),
    reference="protocols.md §7 (BACON/FINER SDF protocol)", protocol="shape",
))
register_table(TableSpec(
    name="survey-1d", description="Survey: every field on MSA's 1-D multi-scale curve y4 (function1d protocol)",
    rows=(), signals={"quick": Y4, "paper": Y4}, metrics=FUNCTION_METRICS, reference="protocols.md §6",
    protocol="function1d",
))
