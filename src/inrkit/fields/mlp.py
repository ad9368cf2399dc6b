"""The composed coordinate MLP: optional encoding + activation layers + linear read-out.

``mlp`` is one field built from registered parts (architecture.md "Activation owns its
initialisation"):

    y = W_out h_{L+1} + b_out,   h_{i+1} = act(W_{i+1} h_i + b_{i+1}),   h_0 = enc(x)   (or x)

* ``encoding`` (``ENCODINGS``; None = raw coordinates) lifts the coordinates; its ``in_features`` is
  kept equal to the field's.
* ``first_activation`` / ``activation`` (``ACTIVATIONS``) pick the nonlinearity of the first layer and
  of the hidden layers; each activation initialises the Linear before it (SIREN's first/hidden rules,
  FINER's bias range) and the read-out after the last one, and says whether its output is complex
  (WIRE: the Linears after it and the read-out are complex, the output is the real part). An
  activation config with a ``features`` field (a per-neuron activation such as MSA's) gets the layer
  width.
* Layer counting is ``inrkit.nn.mlp``'s: ``hidden_layers = L`` gives L + 1 nonlinear layers.
* ``width_rule="divide_sqrt2"`` builds ``int(H / sqrt 2)`` neurons (WIRE's rule for complex layers).

SIREN, FINER, Gauss, WIRE, ReLU MLP, PE-MLP and FFN are presets of this field (their own modules hold
the paper defaults): ``--set field.activation.type=gauss`` or ``--set field.encoding.type=positional``
swap a part of any of them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace
from typing import Any, Literal

from torch import Tensor, nn

from inrkit.config import spec
from inrkit.fields.base import Field, MLPFieldConfig
from inrkit.nn.activations import SineConfig
from inrkit.nn.mlp import CoordinateMLP
from inrkit.registry import ACTIVATIONS, ENCODINGS, FIELDS


@dataclass(frozen=True)
class MLPConfig(MLPFieldConfig):
    """A coordinate MLP composed of an encoding, activations and a linear read-out."""

    #: activation of the hidden layers ({"type": name, ...} of ACTIVATIONS).
    activation: Any = spec("activations", default_factory=SineConfig)
    #: activation of the first layer; None: the same as ``activation``.
    first_activation: Any = spec("activations", default=None)
    #: coordinate encoding ({"type": name, ...} of ENCODINGS); None: raw coordinates.
    encoding: Any = spec("encodings", default=None)
    #: "none" (linear) or "sigmoid" read-out.
    output_activation: Literal["none", "sigmoid"] = "none"
    #: "as_given" (H neurons) or "divide_sqrt2" (int(H / sqrt 2) neurons, WIRE's complex-layer rule).
    width_rule: Literal["as_given", "divide_sqrt2"] = "as_given"

    def __post_init__(self) -> None:
        super().__post_init__()
        enc = self.encoding
        if enc is not None and getattr(enc, "in_features", self.in_features) != self.in_features:
            object.__setattr__(self, "encoding", replace(enc, in_features=self.in_features))


def hidden_width(cfg: MLPConfig) -> int:
    """Neurons per nonlinear layer under the width rule."""
    if cfg.width_rule == "divide_sqrt2":
        return int(cfg.hidden_features / math.sqrt(2))
    return cfg.hidden_features


def build_activation(cfg: Any, width: int) -> nn.Module:
    """The activation of ``cfg``; per-neuron activations (a ``features`` setting) get ``width``."""
    if any(f.name == "features" for f in fields(cfg)):
        cfg = replace(cfg, features=width)
    return ACTIVATIONS.create(cfg)


@FIELDS.register("mlp", config=MLPConfig, description="coordinate MLP composed of encoding x activation")
class MLPField(Field):
    """Encoding (optional) -> first layer -> hidden layers -> linear read-out (module docstring)."""

    def __init__(self, cfg: MLPConfig = MLPConfig()):
        super().__init__()
        self.in_features, self.out_features = cfg.in_features, cfg.out_features
        self.hidden_width = width = hidden_width(cfg)
        self.encoding = ENCODINGS.create(cfg.encoding) if cfg.encoding is not None else nn.Identity()
        first = build_activation(cfg.first_activation or cfg.activation, width)
        self.net = CoordinateMLP(
            self.encoding.out_features if cfg.encoding is not None else cfg.in_features, width,
            cfg.hidden_layers, cfg.out_features, first_activation=first,
            hidden_activation=lambda: build_activation(cfg.activation, width),
            first_is_input=cfg.encoding is None, output_activation=cfg.output_activation,
        )

    @property
    def supports_double_backward(self) -> bool:
        """Second input derivatives are meaningful when every activation is smooth."""
        return all(getattr(layer.activation, "smooth", True) for layer in self.net.layers)

    def forward(self, x: Tensor) -> Tensor:
        return self.net(self.encoding(x))


def register_preset(name: str, config: type) -> type:
    """Register ``config`` (an ``MLPConfig`` subclass holding a paper's defaults) as field ``name``."""
    lines = (config.__doc__ or "").strip().splitlines()
    FIELDS.register(name, config=config, description=lines[0] if lines else name)(MLPField)
    return config
