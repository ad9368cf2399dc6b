"""Field base class and the shared config of MLP-shaped fields.

A field maps coordinates ``[*batch, in_features]`` to values ``[*batch, out_features]``. Fields have
no side effects in ``forward`` (nothing is cached on ``self``), so autograd input derivatives,
``torch.func.vmap`` ensembles and double backward work on every field that declares it.
"""

from __future__ import annotations

from dataclasses import dataclass

from torch import Tensor, nn

from inrkit.validate import check, check_memory


@dataclass(frozen=True)
class MLPFieldConfig:
    """Sizes shared by MLP-shaped fields (layer counting: ``inrkit.nn.mlp``)."""

    #: coordinate dimension d (filled in from the signal).
    in_features: int = 2
    #: output channels (filled in from the signal).
    out_features: int = 3
    #: width H of every nonlinear layer.
    hidden_features: int = 256
    #: number of H -> H layers between the first layer and the linear read-out.
    hidden_layers: int = 3

    def __post_init__(self) -> None:
        check(self, "field", in_features=">=1", out_features=">=1", hidden_features=">=1", hidden_layers=">=0")
        check_memory(self.hidden_features, self.hidden_layers + 1, "field.hidden_features")


class Field(nn.Module):
    """Base class of all fields.

    Attributes:
        in_features: coordinate dimension.
        out_features: value channels.
        supports_double_backward: second derivatives w.r.t. the input are meaningful and supported.
    """

    in_features: int
    out_features: int
    supports_double_backward: bool = True

    def forward(self, x: Tensor) -> Tensor:  # pragma: no cover - abstract
        raise NotImplementedError

    def bind_signal(self, signal) -> None:
        """Read the signal being fitted (fields conditioned on it, e.g. INCODE); default: nothing.

        ``inrkit.train.run.build`` calls it once after building; what it stores must live in buffers so
        that saved weights restore it.
        """

    def param_groups(self) -> dict[str, list[nn.Parameter]]:
        """Named groups of trainable parameters (each can get its own learning rate)."""
        return {"main": [p for p in self.parameters() if p.requires_grad]}

    def regularization(self, x: Tensor) -> dict[str, Tensor]:
        """Extra loss terms evaluated at the batch coordinates ``x`` (empty by default)."""
        return {}

    def training_hooks(self) -> list:
        """Trainer components the field needs during a fit (``train/hooks.py``); none by default.

        A field whose state evolves with the training step (SAPE's progressive masks) changes it here,
        outside ``forward``, so that ``forward`` stays a pure function of parameters and buffers.
        """
        return []

    def forward_and_regularization(self, x: Tensor) -> tuple[Tensor, dict[str, Tensor]]:
        """Output and regularisation terms in one pass (fields with shared work override this)."""
        return self(x), self.regularization(x)

    def parameter_counts(self) -> dict[str, int]:
        """Trainable (real-equivalent: complex entries count twice), trainable numel, frozen counts.

        ``params_deployed`` is what a fitted representation needs at inference, the count tables size
        models by: ``params`` unless a field folds training-time parameters away (FR's ``Lambda B``,
        INCODE's harmoniser, whose coefficients are constants once trained).
        """
        trainable = [p for p in self.parameters() if p.requires_grad]
        frozen = [p for p in self.parameters() if not p.requires_grad]
        real_eq = sum(p.numel() * (2 if p.is_complex() else 1) for p in trainable)
        return {
            "params": real_eq,
            "params_deployed": real_eq,
            "params_numel": sum(p.numel() for p in trainable),
            "params_frozen": sum(p.numel() * (2 if p.is_complex() else 1) for p in frozen),
        }
