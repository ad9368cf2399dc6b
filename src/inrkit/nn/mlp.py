"""INRLayer and CoordinateMLP: the layer stack shared by the MLP-style fields.

Layer counting (methods.md §0.2, the SIREN/WIRE/FINER code convention), stated once here:

    ``hidden_layers = L`` builds one first layer (in -> H), then L hidden layers (H -> H), then
    one linear output layer (H -> out). The network has L + 1 nonlinear layers and L + 2 linear maps.

So ``hidden_layers=3, hidden_features=256`` in 2-D -> 3 is the 198,915-parameter SIREN, and
``hidden_layers=2`` the 133,123-parameter one.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from inrkit.nn.activations import Activation


class INRLayer(nn.Module):
    """Linear map followed by an activation; the activation initialises the Linear.

    Args:
        in_features: fan-in n.
        out_features: width.
        activation: the nonlinearity (owns the init rule).
        first: whether this is the network's first layer (SIREN-type first-layer rule).
        complex_input: the input is complex, so the Linear holds complex weights (WIRE).
    """

    def __init__(self, in_features: int, out_features: int, activation: Activation, first: bool,
                 complex_input: bool = False):
        super().__init__()
        dtype = torch.cfloat if complex_input else None
        self.linear = nn.Linear(in_features, out_features, dtype=dtype)
        self.activation = activation
        activation.init_linear(self.linear, first=first)

    def forward(self, h: Tensor) -> Tensor:
        return self.activation(self.linear(h))


class CoordinateMLP(nn.Module):
    """First layer, ``hidden_layers`` hidden layers and a linear read-out (see module docstring).

    Args:
        in_features: input width d (or the encoding width).
        hidden_features: width H of every nonlinear layer.
        hidden_layers: number L of H -> H layers.
        out_features: output width.
        first_activation: activation of the first layer.
        hidden_activation: activation factory for each hidden layer (called once per layer).
        first_is_input: apply the first-layer init rule (False when an encoding precedes the MLP).
        output_activation: "none" (linear read-out) or "sigmoid".
    """

    def __init__(self, in_features: int, hidden_features: int, hidden_layers: int, out_features: int,
                 first_activation: Activation, hidden_activation, first_is_input: bool = True,
                 output_activation: str = "none"):
        super().__init__()
        if hidden_layers < 0 or hidden_features < 1:
            raise ValueError("hidden_layers must be >= 0 and hidden_features >= 1")
        if output_activation not in ("none", "sigmoid"):
            raise ValueError(f"unknown output_activation {output_activation!r}")
        layers = [INRLayer(in_features, hidden_features, first_activation, first=first_is_input)]
        is_complex = first_activation.complex_output
        last = first_activation
        for _ in range(hidden_layers):
            act = hidden_activation()
            layers.append(INRLayer(hidden_features, hidden_features, act, first=False, complex_input=is_complex))
            is_complex = act.complex_output
            last = act
        self.layers = nn.ModuleList(layers)
        self.output = nn.Linear(hidden_features, out_features, dtype=torch.cfloat if is_complex else None)
        last.init_readout(self.output)
        self.complex_readout = is_complex
        self.output_activation = output_activation

    def features(self, h: Tensor) -> Tensor:
        """Activations of the last nonlinear layer."""
        for layer in self.layers:
            h = layer(h)
        return h

    def forward(self, h: Tensor) -> Tensor:
        y = self.output(self.features(h))
        if self.complex_readout:
            y = y.real
        return torch.sigmoid(y) if self.output_activation == "sigmoid" else y
