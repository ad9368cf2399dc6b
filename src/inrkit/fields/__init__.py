"""Fields: one paper per module. Importing this package registers every field."""

from inrkit.fields import ffn, finer, gauss, msa, pe_mlp, pinn, relu_mlp, sasnet, scone, siren, wire  # noqa: F401
from inrkit.fields.base import Field, MLPFieldConfig

__all__ = ["Field", "MLPFieldConfig"]
