"""Optional tiny-cuda-nn backend of the ``hashgrid`` encoding (``backend="tcnn"``, instant_ngp convention).

tiny-cuda-nn (NVlabs/tiny-cuda-nn, ``bindings/torch``) evaluates the grid with its fused CUDA kernel; the
table stays the ``HashGrid.table`` parameter (same rows, same order: tiny-cuda-nn's level offsets are
the instant_ngp table sizes of ``hashgrid.py``), so both backends hold the same parameters and a state
dict moves between them. Inputs are ``t in [0, 1]^d`` (the caller maps ``coord_range``). The kernel's
table gradient uses atomic adds (non-deterministic) and it has no double backward; the pure-PyTorch
backend is the reference, and ``tests/encodings/test_hashgrid_ngp.py`` checks the two agree where the
package is installed.
"""

from __future__ import annotations

import importlib.util

import torch
from torch import Tensor

from inrkit.errors import InputError


def tcnn_available() -> bool:
    """Whether the ``tinycudann`` package is importable and a CUDA device is present."""
    return importlib.util.find_spec("tinycudann") is not None and torch.cuda.is_available()


class TcnnGrid:
    """A tiny-cuda-nn ``HashGrid`` encoding evaluated with an external parameter tensor."""

    def __init__(self, cfg, per_level_scale: float, n_params: int):
        if not tcnn_available():
            raise InputError("hashgrid backend 'tcnn' needs the tinycudann package and a CUDA device; "
                             "use backend 'torch' (same convention, pure PyTorch)")
        import tinycudann

        config = {"otype": "HashGrid", "n_levels": cfg.n_levels, "n_features_per_level": cfg.feature_dim,
                  "log2_hashmap_size": cfg.bitwidth, "base_resolution": cfg.min_resolution,
                  "per_level_scale": per_level_scale}
        self.module = tinycudann.Encoding(cfg.in_features, config, dtype=torch.float32)
        if self.module.params.numel() != n_params:
            raise InputError(f"tinycudann allocates {self.module.params.numel()} grid parameters, the torch "
                             f"backend {n_params}; this tinycudann version lays out tables differently")

    def __call__(self, t: Tensor, table: Tensor) -> Tensor:
        """Encoding ``[N, L * F]`` of ``t [N, d]`` with the features ``table [rows, F]``."""
        from tinycudann.modules import _C, _module_function

        m = self.module
        n = t.shape[0]
        gran = int(_C.batch_size_granularity())
        padded = -(-n // gran) * gran
        x = torch.nn.functional.pad(t.float(), (0, 0, 0, padded - n)).contiguous().to(table.device)
        out = _module_function.apply(m.native_tcnn_module, x, table.reshape(-1).float().contiguous(), m.loss_scale)
        return out[:n, : m.n_output_dims]
