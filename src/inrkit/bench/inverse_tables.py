"""Inverse-problem tables (protocols.md §11): INRs beside the classical reconstructions.

Every table scores the final image against the clean ground truth (``psnr``, ``ssim``) and records
the oracle-best PSNR over the periodic evaluations (``psnr_peak``, WIRE's reported number). The
classical rows (``params`` 0) reconstruct from the same measurements (same operator, noise, seeds).
"""

from __future__ import annotations

from inrkit.bench.tables import Row, TableSpec, register_table
from inrkit.recipes.inverse import CHEST, KODAK05, MRI_VOLUME, PHANTOM

INRS = (("SIREN", "siren"), ("FINER", "finer"), ("WIRE", "wire"), ("Gauss", "gauss"), ("SASNet", "sasnet"),
        ("MSA", "msa"), ("SCONE", "scone"))
KODAK_3 = tuple(f"data:images/kodak/kodim{i:02d}.png" for i in (1, 5, 23))
COMMON = ("psnr", "ssim", "psnr_peak", "params", "wall_s")


def rows(problem: str, baselines: tuple[tuple[str, str], ...]) -> tuple[Row, ...]:
    inrs = tuple(Row(label, f"{name}-inverse-{problem}") for label, name in INRS)
    return (*tuple(Row(label, f"{method}-inverse-{problem}") for label, method in baselines), *inrs)


_TABLES = [
    ("inverse-ct", "Sparse-view CT (Radon, 100 angles): INRs vs filtered back-projection",
     rows("ct", (("FBP (iradon)", "fbp"),)), {"quick": (CHEST, PHANTOM), "paper": (CHEST, PHANTOM)}, COMMON,
     "protocols.md §11.4 (WIRE wire_ct.py settings)"),
    ("inverse-mri", "Undersampled MRI (Cartesian k-space lines, R 4): INRs vs zero-filled inverse FFT",
     rows("mri", (("zero-filled IFFT", "zero_filled"),)), {"quick": (PHANTOM, CHEST), "paper": (PHANTOM, CHEST)},
     COMMON, "recipes/inverse.py [default protocol; no WIRE script]"),
    ("inverse-mri3d", "Undersampled 3-D MRI (MNI T1, k-space R 4): INRs vs zero-filled inverse FFT",
     rows("mri3d", (("zero-filled IFFT", "zero_filled"),)), {"quick": (MRI_VOLUME,), "paper": (MRI_VOLUME,)},
     ("psnr", "ssim", "psnr_peak", "params", "wall_s"), "recipes/inverse.py [default protocol]"),
    ("inverse-denoise", "Denoising (photon noise tau 30, sigma_r 2): INRs vs the noisy input, TV and BM3D",
     rows("denoise", (("noisy input", "noisy"), ("TV (Chambolle)", "tv"), ("BM3D", "bm3d"))),
     {"quick": (KODAK05,), "paper": KODAK_3}, ("psnr", "ssim", "psnr_peak", "psnr_input", "params", "wall_s"),
     "protocols.md §11.1 (WIRE wire_denoise.py settings)"),
    ("inverse-inpaint", "Inpainting (random mask, 20% of the pixels kept): INRs vs biharmonic / linear interpolation",
     rows("inpaint", (("biharmonic", "biharmonic"), ("linear interp.", "linear"))),
     {"quick": (KODAK05,), "paper": KODAK_3}, ("psnr", "ssim", "psnr_missing", "psnr_peak", "params", "wall_s"),
     "protocols.md §11.2 (library defaults; no WIRE script)"),
    ("inverse-sr", "x4 super-resolution (area downsampling), scored on the HR grid: INRs vs bicubic / bilinear",
     rows("sr", (("bicubic", "bicubic"), ("bilinear", "bilinear"))),
     {"quick": (KODAK05,), "paper": (KODAK05, "data:images/kodak/kodim23.png")}, COMMON,
     "protocols.md §11.3 (WIRE wire_SISR.py settings)"),
]

for _name, _desc, _rows, _signals, _metrics, _ref in _TABLES:
    register_table(TableSpec(name=_name, description=_desc, rows=_rows, signals=_signals, metrics=_metrics,
                             reference=_ref, quality=()))
