"""Ensemble fitting: E fits of one architecture trained in one process as one batched model.

The member fields' parameters and buffers are stacked along a new leading axis and every step runs
``torch.func.vmap`` over (parameters, buffers, batch): one batched forward/backward instead of E.
The summed loss gives each member exactly the gradient of its own loss, and Adam/AdamW/SGD act
elementwise, so a member follows the same trajectory as the fit run alone with the same seed, up to
floating-point reassociation inside the batched kernels (``tests/train/test_ensemble.py``).

Each member keeps its own signal, seed (initialisation and batch generator), evaluation and result
record. The training loop is the generic ``Trainer``: the ensemble is wrapped as a field
(``EnsembleField``) and a task (``EnsembleTask``) whose losses and metrics carry a ``m<e>/`` prefix
that ``fit_ensemble`` splits back into per-member histories and metrics.

Limits: tasks opt in with ``ensemble_ok = True`` (their loss may depend only on the field and the
batch; no autograd through coordinates), global gradient-norm clipping and L-BFGS are refused (they
would couple the members), so are per-layer gradient statistics, and an ensemble is not
checkpointed: an interrupted ensemble is refitted. Wall time is shared; each member reports
``wall_s`` (and history ``wall_s``) = ensemble wall time / E, the cost per fit, beside
``ensemble_wall_s`` and ``ensemble_size``.
"""

from __future__ import annotations

import json
import warnings
from dataclasses import replace
from pathlib import Path
from typing import Any

import torch
from torch import Tensor, nn
from torch.func import functional_call, vmap

from inrkit.config import to_dict
from inrkit.train.peak import PeakTracker
from inrkit.train.result import RunResult
from inrkit.train.run import RunConfig, build, prepare_run_dir, write_outputs
from inrkit.train.trainer import Trainer


class EnsembleError(ValueError):
    """The configs cannot be fitted as one ensemble (the caller fits them one by one)."""


def _key(name: str) -> str:
    return name.replace(".", "__")


def compat_key(cfg: RunConfig) -> str:
    """Configs with equal keys differ only in seed and signal source: candidates for one ensemble."""
    data = to_dict(replace(cfg, signal=replace(cfg.signal, source=""), trainer=replace(cfg.trainer, seed=0)))
    return json.dumps(data, sort_keys=True, default=str)


class _Call(nn.Module):
    """Calls ``base.<method>`` so that ``functional_call`` can reach methods other than forward."""

    def __init__(self, base: nn.Module, method: str):
        super().__init__()
        self.base, self.method = base, method

    def forward(self, x: Tensor):
        return getattr(self.base, self.method)(x)


class _Member:
    """One member inside ``vmap``: a callable field over the member's (batched) parameter slice."""

    def __init__(self, ens: EnsembleField, params: dict[str, Tensor], buffers: dict[str, Tensor]):
        self._ens, self._state = ens, {f"base.{k}": v for k, v in {**params, **buffers}.items()}

    def __call__(self, x: Tensor) -> Tensor:
        return functional_call(self._ens.call_forward, self._state, (x,))

    def forward_and_regularization(self, x: Tensor):
        if not hasattr(self._ens.template, "forward_and_regularization"):
            return self(x), {}
        return functional_call(self._ens.call_both, self._state, (x,))

    def parameters(self):
        return iter(v for k, v in self._state.items() if k[5:] in self._ens.param_names)


class EnsembleField(nn.Module):
    """E same-shape fields as stacked parameters ``[E, ...]`` (one ``nn.Parameter`` per name)."""

    def __init__(self, members: list[nn.Module]):
        super().__init__()
        # not registered as submodules: the stacked tensors are this module's only state
        object.__setattr__(self, "template", members[0])
        object.__setattr__(self, "call_forward", _Call(members[0], "forward"))
        object.__setattr__(self, "call_both", _Call(members[0], "forward_and_regularization"))
        named = [dict(m.named_parameters()) for m in members]
        shapes = [{k: tuple(v.shape) for k, v in n.items()} for n in named]
        if any(s != shapes[0] for s in shapes):
            raise EnsembleError("ensemble members have different parameter shapes")
        self.param_names = list(named[0])
        self.stacked = nn.ParameterDict({
            _key(k): nn.Parameter(torch.stack([n[k].detach() for n in named]), requires_grad=named[0][k].requires_grad)
            for k in self.param_names})
        self.buffer_names = [k for k, _ in self.template.named_buffers()]
        for k in self.buffer_names:
            self.register_buffer("buf_" + _key(k), torch.stack([dict(m.named_buffers())[k] for m in members]))
        ids = {id(p): k for k, p in self.template.named_parameters()}
        self.groups = {g: [ids[id(p)] for p in ps] for g, ps in self.template.param_groups().items()}

    @property
    def size(self) -> int:
        return next(iter(self.stacked.values())).shape[0]

    def stacked_state(self) -> tuple[dict[str, Tensor], dict[str, Tensor]]:
        params = {k: self.stacked[_key(k)] for k in self.param_names}
        buffers = {k: getattr(self, "buf_" + _key(k)) for k in self.buffer_names}
        return params, buffers

    def param_groups(self) -> dict[str, list[nn.Parameter]]:
        return {g: [self.stacked[_key(k)] for k in names] for g, names in self.groups.items()}

    def parameter_counts(self) -> dict[str, int]:
        return {}

    def load_member(self, e: int, field: nn.Module) -> nn.Module:
        """Copy member ``e``'s parameters and buffers into ``field`` (same architecture)."""
        params, buffers = self.stacked_state()
        with torch.no_grad():
            for k, p in field.named_parameters():
                p.copy_(params[k][e])
            for k, b in field.named_buffers():
                if k in buffers:
                    b.copy_(buffers[k][e])
        return field


class EnsembleTask:
    """The member tasks as one task: stacked batches, vmapped losses, prefixed metrics."""

    primary_metric = None  # no shared metric: fit_ensemble tracks each member's peak

    def __init__(self, tasks: list[Any], fields: list[nn.Module], seeds: list[int], compile: bool = False):
        if not all(getattr(t, "ensemble_ok", False) for t in tasks):
            raise EnsembleError(f"task {type(tasks[0]).__name__} does not support ensemble fitting")
        self.tasks, self.fields, self.compile = tasks, fields, compile
        self._batched: Any = None
        self.generators = [torch.Generator().manual_seed(s + 1) for s in seeds]  # as Trainer does per fit

    def to(self, device: torch.device) -> EnsembleTask:
        for t, f in zip(self.tasks, self.fields, strict=False):
            t.to(device)
            f.to(device)
        return self

    def sample(self, step: int, generator: torch.Generator) -> dict[str, Tensor]:
        batches = [t.sample(step, g) for t, g in zip(self.tasks, self.generators, strict=False)]
        try:
            return {k: torch.stack([b[k] for b in batches]) for k in batches[0]}
        except RuntimeError as e:
            raise EnsembleError(f"ensemble members' batches differ in shape: {e}") from e

    def _batched_loss(self, field: EnsembleField):
        task = self.tasks[0]

        def one(params, buffers, b):
            return task.loss(_Member(field, params, buffers), b)

        return vmap(one)

    def loss(self, field: EnsembleField, batch: dict[str, Tensor]) -> dict[str, Tensor]:
        params, buffers = field.stacked_state()
        if self._batched is None:
            eager = self._batched_loss(field)
            if self.compile:  # one compiled step for all members: the compile time is paid once per ensemble
                compiled = torch.compile(eager, dynamic=False)
                try:
                    per = compiled(params, buffers, batch)
                    self._batched = compiled
                    return self._collect(field, per)
                except Exception as e:  # no C++ toolchain, unsupported op, ...: stay eager
                    warnings.warn(f"ensemble: torch.compile failed ({type(e).__name__}: {e}); running eager",
                                  RuntimeWarning, stacklevel=2)
            self._batched = eager
        return self._collect(field, self._batched(params, buffers, batch))

    @staticmethod
    def _collect(field: EnsembleField, per: dict[str, Tensor]) -> dict[str, Tensor]:
        out = {f"m{e}/{k}": v[e] for k, v in per.items() for e in range(field.size)}
        out["loss"] = per["loss"].sum()
        return out

    def evaluate(self, field: EnsembleField, final: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for e, (t, f) in enumerate(zip(self.tasks, self.fields, strict=False)):
            out.update({f"m{e}/{k}": v for k, v in t.evaluate(field.load_member(e, f), final=final).items()})
        return out


def _split(row: dict[str, Any], e: int, size: int) -> dict[str, Any]:
    """Member ``e``'s part of a prefixed row; wall time amortised over the ``size`` members."""
    prefix = f"m{e}/"
    shared = {k: v for k, v in row.items() if k in ("step", "lr")}
    if "wall_s" in row:
        shared["wall_s"] = row["wall_s"] / size
    return {**shared, **{k[len(prefix):]: v for k, v in row.items() if k.startswith(prefix)}}


def check_ensemble(cfgs: list[RunConfig]) -> None:
    """Raise ``EnsembleError`` unless ``cfgs`` can be fitted as one ensemble."""
    if len(cfgs) < 1:
        raise EnsembleError("an ensemble needs at least one member")
    if len({compat_key(c) for c in cfgs}) != 1:
        raise EnsembleError("ensemble members must share field, task and trainer settings (seed and signal aside)")
    trainer = cfgs[0].trainer
    if trainer.grad_clip is not None:
        raise EnsembleError("gradient-norm clipping couples ensemble members; fit them one by one")
    if trainer.lbfgs_steps > 0:
        raise EnsembleError("L-BFGS line searches couple ensemble members; fit them one by one")
    if trainer.grad_stats_every > 0:
        raise EnsembleError("per-layer gradient statistics are per fit; fit them one by one")


def member_result(res: RunResult, e: int, size: int, cfg: RunConfig, field: nn.Module) -> RunResult:
    """Member ``e``'s RunResult from the ensemble's (its ``m<e>/`` keys, amortised wall time)."""
    history = [_split(r, e, size) for r in res.history if any(k.startswith(f"m{e}/") for k in r)]
    metrics = _split(res.metrics, e, size)
    metrics.update(field.parameter_counts())
    metrics.update({"steps": res.metrics["steps"], "wall_s": res.metrics["wall_s"] / size,
                    "ensemble_wall_s": res.metrics["wall_s"], "ensemble_size": size, "device": res.metrics["device"]})
    return RunResult(metrics=metrics, history=history, config=to_dict(cfg), run_dir=None, field=field)


def fit_ensemble(cfgs: list[RunConfig], run_dirs: list[Path | None] | None = None,
                 compile: bool = False) -> list[RunResult]:
    """Fit ``cfgs`` (equal up to seed and signal source) as one ensemble; one RunResult per member.

    ``compile=True`` compiles the batched loss with ``torch.compile`` (falls back to eager with a
    warning when compilation fails); the compile time is paid once for all members. Each member's
    peak metric is tracked by a ``PeakTracker`` on its ``m<e>/`` keys, as the trainer does for a fit.
    """
    check_ensemble(cfgs)
    built = [build(c) for c in cfgs]
    cfgs = [b[0] for b in built]
    tasks, fields = [b[1] for b in built], [b[2] for b in built]
    ens_task = EnsembleTask(tasks, fields, [c.trainer.seed for c in cfgs], compile=compile)
    ens_task.sample(0, torch.Generator())  # shape check before anything is written
    ens_task.generators = [torch.Generator().manual_seed(c.trainer.seed + 1) for c in cfgs]
    ens_field = EnsembleField(fields)
    peaks = [PeakTracker(getattr(t, "primary_metric", "psnr"), prefix=f"m{e}/") for e, t in enumerate(tasks)]
    res = Trainer(replace(cfgs[0].trainer, checkpoint_every=0)).fit(ens_field, ens_task, callbacks=peaks)
    results = [member_result(res, e, len(cfgs), cfgs[e], ens_field.load_member(e, fields[e]))
               for e in range(len(cfgs))]
    for e, run_dir in enumerate(run_dirs or []):
        if run_dir is not None:
            prepare_run_dir(Path(run_dir), results[e].config, resume=False)
            results[e].run_dir = str(run_dir)
            write_outputs(results[e], tasks[e], fields[e], Path(run_dir))
    return results
