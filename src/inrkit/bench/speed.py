"""``inrkit bench speed``: how fast each field trains, against what the hardware allows for its GEMMs.

Per field (built from its image recipe's quick config, else its first recipe; 2-D coordinates -> 3
channels, full batch of ``points`` random coordinates, the recipe's optimiser):

- **step**: median seconds of a training step (forward + backward + optimiser step) after warm-up;
  **samples/s** = points / step.
- **GFLOP/step**: model FLOPs of the step from its layer shapes: every matrix product the step runs
  (forward, input and weight gradients; recorded at the ATen level, so hash-grid decoders, frozen
  embeddings and complex layers are included) counts ``2 m n k``, complex products 4x that (real
  FLOPs). Elementwise work (activations, masks, Adam) is not counted. **GFLOP/s** = FLOPs / step.
- **GEMM ms**: the same products alone (same shapes, strides and dtypes), replayed and timed in the
  same run, alternating with the steps: the floor a step cannot go below without doing less linear
  algebra. **step / GEMM** (median of the per-pair ratios) is the overhead factor of everything
  else (activations, autograd bookkeeping, masks, optimiser).
- **x SIREN**: step time over that of a SIREN with (nearly) the same parameter count and depth
  (SASNet / SIREN is SASNet Supp. Table 2's comparison, 1.47x on an RTX A6000 at 262,144 points).

Timings on CPU follow the trainer's settings (``inrkit.train.numerics``: subnormals flushed unless
``--keep-denormals``, float32 Linears by oneDNN unless ``--no-onednn``, freed memory reused); on CUDA
every timed region is bracketed by ``torch.cuda.synchronize()``. Use one thread (``--threads 1``) and a
quiet machine for numbers that compare across runs. Usage::

    inrkit bench speed                       # every registered field, 16,384 points
    inrkit bench speed gauss wire siren --points 65536 --device cuda --out bench/speed
    python -m inrkit.bench.speed sasnet siren --points 262144
"""

from __future__ import annotations

import argparse
import math
import platform
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import torch
from torch.utils._python_dispatch import TorchDispatchMode

from inrkit.errors import InputError
from inrkit.nn.onednn import available as onednn_available
from inrkit.registry import FIELDS, RECIPES, type_name
from inrkit.train.numerics import cpu_execution, reuse_freed_memory
from inrkit.train.trainer import OptimConfig, make_optimizer, resolve_device

DEFAULT_POINTS = 16_384
_aten = torch.ops.aten
#: matrix products and the index of their (m, k) / (k, n) operands
_GEMMS = {
    _aten.mm.default: (0, 1), _aten.addmm.default: (1, 2), _aten.bmm.default: (0, 1),
    _aten.baddbmm.default: (1, 2), _aten.mv.default: (0, 1), _aten.addmv.default: (1, 2),
    _aten.dot.default: (0, 1), _aten.vdot.default: (0, 1),
}
#: products whose second operand is stored [n, k] (x W^T), not [k, n]
_TRANSPOSED_B = set()
if hasattr(torch.ops.mkldnn, "_linear_pointwise"):  # oneDNN Linears (inrkit.nn.onednn): x [m, k], W [n, k]
    _GEMMS[torch.ops.mkldnn._linear_pointwise.default] = (0, 1)
    _TRANSPOSED_B.add(torch.ops.mkldnn._linear_pointwise.default)


# -- matrix products of a step ------------------------------------------------------------------------

@dataclass(frozen=True)
class Gemm:
    """One recorded matrix product: the op, its tensor operands' layouts and its other arguments."""

    op: Any
    #: (shape, stride, dtype) of each tensor argument, None for non-tensor arguments (kept in ``args``).
    tensors: tuple[tuple[tuple[int, ...], tuple[int, ...], torch.dtype] | None, ...]
    args: tuple[Any, ...]
    kwargs: tuple[tuple[str, Any], ...]

    @property
    def flops(self) -> int:
        """Real FLOPs: ``2 m n k`` (times the batch), 4x for complex operands."""
        a, b = _GEMMS[self.op]
        sa, sb = self.tensors[a][0], self.tensors[b][0]
        batch = math.prod(sa[:-2]) if len(sa) > 2 else 1
        m = sa[-2] if len(sa) >= 2 else 1
        k = sa[-1]
        n = sb[0] if self.op in _TRANSPOSED_B else sb[-1] if len(sb) >= 2 else 1
        return 2 * batch * m * n * k * (4 if self.tensors[a][2].is_complex else 1)

    @staticmethod
    def capture(op: Any, args: Sequence[Any], kwargs: dict[str, Any]) -> Gemm:
        tensors = tuple((tuple(t.shape), tuple(t.stride()), t.dtype) if isinstance(t, torch.Tensor) else None
                        for t in args)
        plain = tuple(None if isinstance(t, torch.Tensor) else t for t in args)
        return Gemm(op, tensors, plain, tuple(sorted(kwargs.items())))

    def materialize(self, device: torch.device, gen: torch.Generator) -> tuple[list[Any], dict[str, Any]]:
        """Arguments with random tensors of the recorded layouts (values ~N(0, 0.01): no subnormals)."""
        args = []
        for spec, plain in zip(self.tensors, self.args, strict=True):
            if spec is None:
                args.append(plain)
                continue
            shape, stride, dtype = spec
            numel = 1 + sum((s - 1) * st for s, st in zip(shape, stride, strict=True)) if all(shape) else 0
            base = torch.randn(max(numel, 1), generator=gen, dtype=dtype).mul_(0.1)
            args.append(base.to(device).as_strided(shape, stride))
        return args, dict(self.kwargs)


class GemmRecorder(TorchDispatchMode):
    """Records every matrix product dispatched while active (forward and backward)."""

    def __init__(self) -> None:
        super().__init__()
        self.gemms: list[Gemm] = []

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        if func in _GEMMS:
            self.gemms.append(Gemm.capture(func, args, kwargs))
        return func(*args, **kwargs)


def record_gemms(step: Callable[[], Any]) -> list[Gemm]:
    """The matrix products one call of ``step`` runs."""
    with GemmRecorder() as rec:
        step()
    return rec.gemms


def gemm_flops(gemms: Sequence[Gemm]) -> int:
    """Total real FLOPs of recorded products."""
    return sum(g.flops for g in gemms)


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def time_call(fn: Callable[[], Any], device: torch.device, repeats: int, warmup: int) -> list[float]:
    """Seconds of each of ``repeats`` calls after ``warmup`` untimed ones (CUDA synchronised)."""
    times = []
    for i in range(warmup + repeats):
        _sync(device)
        t0 = time.perf_counter()
        fn()
        _sync(device)
        if i >= warmup:
            times.append(time.perf_counter() - t0)
    return times


def gemm_replay(gemms: Sequence[Gemm], device: torch.device, seed: int = 0) -> Callable[[], None]:
    """A function running the recorded products alone, on fresh random operands of the same layouts."""
    gen = torch.Generator().manual_seed(seed)
    calls = [(g.op, *g.materialize(device, gen)) for g in gemms]

    def run() -> None:
        for op, args, kwargs in calls:
            op(*args, **kwargs)

    return run


def matmul_peak_gflops(device: torch.device, n: int = 1024, repeats: int = 5) -> float:
    """GFLOP/s of a square float32 ``n^3`` product through ``F.linear`` (so by oneDNN where the trainer's
    setting sends Linears there): the ceiling of this device and thread count."""
    a = torch.randn(n, n, device=device)
    b = torch.randn(n, n, device=device)
    t = statistics.median(time_call(lambda: torch.nn.functional.linear(a, b), device, repeats, 2))
    return 2 * n**3 / t / 1e9


# -- fields and their training step -------------------------------------------------------------------

def field_recipe(name: str) -> str | None:
    """The recipe whose config sizes ``name``: a recipe name itself, ``<name>-image``, or the field's first
    (classical baselines, ``trainable = False``, have no field)."""
    if name in RECIPES:
        if not getattr(RECIPES.get(name), "trainable", True):
            raise InputError(f"recipe {name!r} is a classical baseline: it has no field to time")
        return name
    if f"{name}-image" in RECIPES:
        return f"{name}-image"
    for recipe in RECIPES:
        r = RECIPES.get(recipe)
        if getattr(r, "trainable", True) and type_name(r.field) == name:
            return recipe
    return None


def field_config(name: str, preset: str = "quick", in_features: int = 2, out_features: int = 3):
    """(field config, optimiser config, recipe name) used to time ``name`` (a field or a recipe)."""
    recipe = field_recipe(name)
    if recipe is None:
        cfg, optim = FIELDS.default_config(name), OptimConfig()
    else:
        run = RECIPES.get(recipe).config(preset)
        cfg, optim = run.field, run.trainer.optim
    return replace(cfg, in_features=in_features, out_features=out_features), optim, recipe


def make_step(field: torch.nn.Module, optim: OptimConfig, x: torch.Tensor, y: torch.Tensor) -> Callable[[], None]:
    """One full-batch training step: MSE (+ the field's regularisation), backward, optimiser step."""
    opt = make_optimizer(optim, field.param_groups())

    def step() -> None:
        pred, reg = field.forward_and_regularization(x)
        loss = ((pred - y) ** 2).mean()
        for term in reg.values():
            loss = loss + term
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()

    return step


def siren_width(params: int, hidden_layers: int, in_features: int = 2, out_features: int = 3) -> int:
    """Width H of the SIREN with ``hidden_layers`` whose parameter count is closest to ``params``."""
    a, b = hidden_layers, in_features + 1 + hidden_layers + out_features
    c = out_features - params
    h = (-b + math.sqrt(b * b - 4 * a * c)) / (2 * a) if a else -c / b

    def count(w: int) -> int:
        return (in_features + 1) * w + hidden_layers * (w * w + w) + (w + 1) * out_features

    return min((max(1, math.floor(h)), max(1, math.ceil(h))), key=lambda w: abs(count(w) - params))


@dataclass
class SpeedRow:
    """Speed of one field (see the module docstring for the columns)."""

    field: str
    recipe: str | None
    params: int
    points: int
    device: str
    step_ms: float
    samples_per_s: float
    gflop_per_step: float
    gflops: float
    gemm_ms: float
    step_over_gemm: float
    n_gemms: int
    siren_width: int
    siren_params: int
    siren_step_ms: float
    vs_siren: float
    step_ms_all: list[float]
    gemm_ms_all: list[float]


def time_field(cfg: Any, optim: OptimConfig, points: int, device: torch.device, repeats: int, warmup: int,
               seed: int = 0, gemms: bool = True) -> dict[str, Any]:
    """Step times, and (``gemms``) FLOPs and GEMM-floor times, of one field config (seconds)."""
    torch.manual_seed(seed)
    field = FIELDS.create(cfg).to(device)
    gen = torch.Generator().manual_seed(seed + 1)
    dtype = next(field.parameters()).dtype
    x = (torch.rand(points, cfg.in_features, generator=gen, dtype=torch.float64) * 2 - 1).to(device, dtype)
    y = (torch.rand(points, cfg.out_features, generator=gen, dtype=torch.float64) * 2 - 1).to(device, dtype)
    step = make_step(field, optim, x, y)
    out = {"params": field.parameter_counts()["params"]}
    if not gemms:
        out["step_s"] = time_call(step, device, repeats, warmup)
        return out
    time_call(step, device, 0, warmup)
    recorded = record_gemms(step)
    replay = gemm_replay(recorded, device, seed)
    replay()
    # steps and replays alternate, so that both see the same machine load (timings on shared machines)
    pairs = [(time_call(step, device, 1, 0)[0], time_call(replay, device, 1, 0)[0]) for _ in range(repeats)]
    out.update(step_s=[p[0] for p in pairs], gemm_s=[p[1] for p in pairs], flops=gemm_flops(recorded),
               n_gemms=len(recorded))
    return out


def step_time(recipe: str, preset: str = "paper", points: int = 262_144, steps: int = 10, warmup: int = 3,
              device: str = "auto", seed: int = 0) -> dict[str, Any]:
    """Median seconds per training step of a recipe's field on random 2-D coordinates (no GEMM floor)."""
    import inrkit  # noqa: F401

    cfg, optim, _ = field_config(recipe, preset)
    dev = resolve_device(device)
    r = time_field(cfg, optim, points, dev, steps, warmup, seed, gemms=False)
    return {"step_s": statistics.median(r["step_s"]), "params": r["params"], "points": points, "device": str(dev)}


def speed_table(fields: Sequence[str] | None = None, points: int = DEFAULT_POINTS, device: str = "auto",
                repeats: int = 7, warmup: int = 3, flush: bool = True, preset: str = "quick",
                log: Callable[[str], None] | None = None, onednn: bool = True) -> dict[str, Any]:
    """Speed rows of ``fields`` (fields or recipes; default: every registered field) and the conditions."""
    import inrkit  # noqa: F401  (registers every field and recipe)

    names = list(fields) if fields else list(FIELDS)
    for name in names:
        if name not in RECIPES:
            FIELDS.entry(name)  # one clear error for an unknown name
    dev = resolve_device(device)
    rows, timed = [], {}
    with cpu_execution(flush, dev, onednn):
        peak = matmul_peak_gflops(dev)
        for name in names:
            cfg, optim, recipe = field_config(name, preset)
            r = timed[repr(cfg)] = time_field(cfg, optim, points, dev, repeats, warmup)
            depth = getattr(cfg, "hidden_layers", 3)
            width = siren_width(r["params"], depth)
            scfg, soptim, _ = field_config("siren", preset)
            scfg = replace(scfg, hidden_features=width, hidden_layers=depth)
            if repr(scfg) not in timed:  # the SIREN of equal parameters (SIREN itself is reused)
                timed[repr(scfg)] = time_field(scfg, soptim, points, dev, repeats, warmup, gemms=False)
            s = timed[repr(scfg)]
            step, floor, sstep = (statistics.median(v) for v in (r["step_s"], r["gemm_s"], s["step_s"]))
            rows.append(SpeedRow(
                field=name, recipe=recipe, params=r["params"], points=points, device=str(dev),
                step_ms=step * 1e3, samples_per_s=points / step, gflop_per_step=r["flops"] / 1e9,
                gflops=r["flops"] / step / 1e9, gemm_ms=floor * 1e3,
                step_over_gemm=statistics.median(a / b for a, b in zip(r["step_s"], r["gemm_s"], strict=True)),
                n_gemms=r["n_gemms"], siren_width=width, siren_params=s["params"], siren_step_ms=sstep * 1e3,
                vs_siren=step / sstep, step_ms_all=[t * 1e3 for t in r["step_s"]],
                gemm_ms_all=[t * 1e3 for t in r["gemm_s"]]))
            if log is not None:
                log(f"{name:10s} step {step * 1e3:8.1f} ms  GEMMs {floor * 1e3:7.1f} ms  "
                    f"ratio {rows[-1].step_over_gemm:5.2f}  x SIREN {step / sstep:5.2f}")
    meta = {"points": points, "device": str(dev), "threads": torch.get_num_threads(), "repeats": repeats,
            "warmup": warmup, "flush_denormals": flush,
            "onednn_linear": dev.type == "cpu" and onednn and onednn_available(),
            "malloc_reuse": dev.type == "cpu" and reuse_freed_memory(),
            "preset": preset, "torch": torch.__version__,
            "cpu": _cpu_name(), "matmul_peak_gflops": peak,
            "gpu": torch.cuda.get_device_name(dev) if dev.type == "cuda" else None}
    return {"meta": meta, "rows": [asdict(r) for r in rows]}


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


# -- output --------------------------------------------------------------------------------------------

COLUMNS = ("field", "params", "step ms", "samples/s", "GFLOP/step", "GFLOP/s", "GEMM ms", "step / GEMM",
           "x SIREN (equal params)")


def speed_markdown(result: dict[str, Any]) -> str:
    """The speed table as Markdown, with a line on the conditions and SASNet / SIREN."""
    m = result["meta"]
    where = m["gpu"] or m["cpu"]
    lines = [f"Training step (forward + backward + optimiser) at {m['points']:,} points on {m['device']} ({where}, "
             f"{m['threads']} thread(s), torch {m['torch']}, subnormals "
             f"{'flushed' if m['flush_denormals'] else 'kept'}, Linears by "
             f"{'oneDNN' if m.get('onednn_linear') else 'torch default'}); median of {m['repeats']} steps after "
             f"{m['warmup']} warm-up; square-matmul ceiling {m['matmul_peak_gflops']:.1f} GFLOP/s.", "",
             "| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for r in result["rows"]:
        lines.append(
            f"| {r['field']} | {r['params']:,} | {r['step_ms']:.1f} | {r['samples_per_s']:,.0f} | "
            f"{r['gflop_per_step']:.2f} | {r['gflops']:.1f} | {r['gemm_ms']:.1f} | {r['step_over_gemm']:.2f} | "
            f"{r['vs_siren']:.2f} (H={r['siren_width']}) |")
    lines.append("")
    summary = speed_summary(result)
    if summary:
        lines += [summary, ""]
    return "\n".join(lines)


def speed_summary(result: dict[str, Any]) -> str:
    """One line: SASNet / SIREN and the fields further than 2x from their GEMM floor."""
    rows = {r["field"]: r for r in result["rows"]}
    parts = []
    if "sasnet" in rows:
        parts.append(f"SASNet / SIREN at equal parameters: {rows['sasnet']['vs_siren']:.2f}x (paper: 1.47x on GPU)")
    slow = [f"{r['field']} {r['step_over_gemm']:.1f}x" for r in result["rows"] if r["step_over_gemm"] > 2.0]
    parts.append("beyond 2x of the GEMM floor: " + (", ".join(slow) if slow else "none"))
    return "; ".join(parts) + "."


def write_speed(result: dict[str, Any], out: Path) -> tuple[Path, Path]:
    """Write ``speed.json`` and ``speed.md`` into ``out``."""
    from inrkit.io import write_json, write_text

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    write_json(out / "speed.json", result)
    write_text(out / "speed.md", "# Speed\n\n" + speed_markdown(result))
    return out / "speed.json", out / "speed.md"


def run_speed(fields: Sequence[str], points: int = DEFAULT_POINTS, device: str = "auto", out: Path | None = None,
              repeats: int = 7, warmup: int = 3, threads: int | None = None, flush: bool = True,
              preset: str = "quick", quiet: bool = False, onednn: bool = True) -> dict[str, Any]:
    """The command: time, print the Markdown table and (with ``out``) write ``speed.json`` + ``speed.md``."""
    import sys

    if points < 1 or repeats < 1 or warmup < 0 or (threads is not None and threads < 1):
        raise InputError("bench speed needs --points >= 1, --repeats >= 1, --warmup >= 0 and --threads >= 1")
    if threads is not None:
        torch.set_num_threads(threads)
    log = None if quiet else (lambda line: print(line, file=sys.stderr, flush=True))
    result = speed_table(fields, points, device, repeats, warmup, flush, preset, log, onednn)
    print(speed_markdown(result))
    if out is not None:
        for path in write_speed(result, out):
            print(f"wrote {path}")
    return result


def run_speed_command(args: argparse.Namespace) -> int:
    """``inrkit bench speed [FIELDS...]`` (arguments parsed by ``inrkit.cli``)."""
    out = args.out or Path("bench") / "speed"
    run_speed(args.fields, args.points, args.device, out, args.repeats, args.warmup, args.threads,
              not args.keep_denormals, args.scale, onednn=not args.no_onednn)
    return 0


def speed_report_lines(paths: Sequence[Path]) -> list[str]:
    """Report section (``inrkit report``): each ``speed.json`` as its table and summary line."""
    from inrkit.io import read_json

    lines = []
    for path in paths:
        lines += [f"## Speed (`{path}`)", "", *speed_markdown(read_json(path)).splitlines(), ""]
    return lines


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("fields", nargs="*", help="fields or recipes to time (default: every registered field)")
    p.add_argument("--points", type=int, default=DEFAULT_POINTS)
    p.add_argument("--device", default="auto", help="auto, cpu, cuda or cuda:N")
    p.add_argument("--scale", default="quick", choices=("quick", "paper"), help="recipe preset sizing each field")
    p.add_argument("--repeats", type=int, default=7, help="timed steps per field (the median is reported)")
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--threads", type=int, help="torch intra-op threads (default: unchanged)")
    p.add_argument("--keep-denormals", action="store_true", help="do not flush subnormal floats (CPU)")
    p.add_argument("--no-onednn", action="store_true", help="Linears by torch's default (MKL) path, not oneDNN (CPU)")
    p.add_argument("--out", type=Path, help="write speed.json and speed.md here")


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(p)
    a = p.parse_args(argv)
    run_speed(a.fields, a.points, a.device, a.out, a.repeats, a.warmup, a.threads, not a.keep_denormals, a.scale,
              onednn=not a.no_onednn)


if __name__ == "__main__":
    main()
