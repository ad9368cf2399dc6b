"""Fields: one paper per module. Importing this package registers every field."""

from inrkit.fields import (  # noqa: F401
    ffn,
    finer,
    gauss,
    mlp,  # noqa: F401  (the composed field, before its presets)
    msa,
    pe_mlp,
    pinn,
    relu_mlp,
    sasnet,
    scone,
    siren,
    wire,
)
from inrkit.fields.base import Field, MLPFieldConfig

__all__ = ["Field", "MLPFieldConfig"]
