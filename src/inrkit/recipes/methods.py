"""The methods (field presets as they appear in tables) and their labels.

A method's settings inside each protocol are registered by the protocol modules (the settings each
paper states for the methods it compares) or by a method module of its own (``inrkit.methods``).
``sized=False`` marks methods with their own structure: protocol field sizes do not apply to them.
"""

from __future__ import annotations

from inrkit.recipes.protocol import register_method

for _name, _label, _sized in [
    ("relu_mlp", "ReLU MLP", True), ("pe_mlp", "PE-MLP", True), ("ffn", "FFN", True), ("gauss", "Gauss", True),
    ("wire", "WIRE", True), ("siren", "SIREN", True), ("finer", "FINER", True), ("sasnet", "SASNet", False),
    ("msa", "MSA", False), ("scone", "SCONE", False), ("scone_rbm", "SCONE-RBM", False), ("pinn", "PINN", True),
    ("ff_pinn", "FF-PINN", True),
]:
    register_method(_name, _label, sized=_sized)
