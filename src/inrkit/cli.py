"""The ``inrkit`` command line (cli.md): list, fit, eval, render, bench, report.

Bad input prints one line on stderr (``inrkit: error: ...``) and exits with status 2; ``--debug``
shows the traceback instead. Ctrl-C during a fit leaves a checkpoint; ``--resume`` continues it.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import math
import sys
from pathlib import Path
from typing import Any

from inrkit.errors import InputError
from inrkit.recipes.base import PRESETS

DEFAULT_SIGNAL = "builtin:camera"
DEFAULT_MODEL = "sasnet"
FALLBACK_MODEL = "siren"
#: the most samples a render may write (a 16k x 16k image).
MAX_RENDER_SAMPLES = 2**28
LIST_KINDS = ("fields", "tasks", "recipes", "tables", "encodings", "activations", "metrics", "signals", "operators")


def _version() -> str:
    """The installed package version, without importing torch (``inrkit.__version__`` otherwise)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("inrkit")
    except PackageNotFoundError:
        from inrkit import __version__

        return __version__


class HELP(argparse.ArgumentDefaultsHelpFormatter):
    """Every option's help ends with its default, unless the help text states it already."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if "default" in text or action.default in (False, argparse.SUPPRESS) or action.nargs == 0:
            return text
        return text + (" (default: none)" if action.default is None else " (default: %(default)s)")


def _parser() -> argparse.ArgumentParser:
    from inrkit.cli_config import add_config_parser

    p = argparse.ArgumentParser(prog="inrkit", description="Implicit neural representations: fit, score, bench.",
                                formatter_class=HELP)
    p.add_argument("--debug", action="store_true", help="show tracebacks")
    p.add_argument("--version", action="version", version=f"inrkit {_version()}")
    sub = p.add_subparsers(dest="command", required=True)

    ls = sub.add_parser("list", help="what is registered")
    ls.add_argument("what", nargs="?", default="recipes", choices=LIST_KINDS, help="registry to list")
    ls.add_argument("pattern", nargs="?", help="only names matching this glob (or containing this text)")

    f = sub.add_parser("fit", help="fit a signal")
    f.add_argument("signal", nargs="?", help=f"file path or builtin:<name> (default: {DEFAULT_SIGNAL})")
    f.add_argument("--model", help="field or recipe name (default: sasnet, the project's main method)")
    f.add_argument("--task", help="task (default: inferred from the signal)")
    f.add_argument("--preset", default="quick", choices=PRESETS,
                   help="quick: minutes on a 2-core CPU; paper: the published protocol (GPU scale)")
    f.add_argument("--config", type=Path, help="run a config file written by 'inrkit config' (replaces SIGNAL/--model)")
    f.add_argument("--steps", type=int, help="optimiser steps (default: the recipe's at --preset)")
    f.add_argument("--seed", type=int, help="seed of initialisation and sampling (default: the recipe's, 0)")
    f.add_argument("--device", help="auto (GPU when present), cpu, cuda or cuda:N (default: auto)")
    f.add_argument("--threads", type=int,
                   help="CPU threads (default: $OMP_NUM_THREADS if set, else the physical cores; "
                        "use 1 per job on a shared machine)")
    f.add_argument("--quiet", action="store_true", help="no start banner")
    f.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE",
                   help="override a resolved config key, e.g. field.hidden_features=128")
    f.add_argument("--out", type=Path, help="run directory (default: runs/<signal>-<model>-<preset>)")
    f.add_argument("--resume", action="store_true",
                   help="continue the run in --out from its checkpoint (with only --out: its saved config)")
    f.add_argument("--no-progress", action="store_true", help="no progress bar")
    f.add_argument("--log", choices=("tensorboard",), action="append", default=[],
                   help="also log to tensorboard: losses, metrics and reconstructions in RUN/tensorboard")
    f.add_argument("--settings", default="paper", choices=("paper", "tuned"),
                   help="paper: the recipe as stated; tuned: the values found by 'inrkit tune'")

    e = sub.add_parser("eval", help="re-score a saved run")
    e.add_argument("run_dir", type=Path, help="run directory written by 'inrkit fit'")
    e.add_argument("--shift", type=float, default=0.0, help="query shifted by this fraction of a pixel")
    e.add_argument("--scale", type=int, default=1, help="super-resolution factor of the query")
    e.add_argument("--device", default="auto", help="auto (GPU when present), cpu, cuda or cuda:N")

    r = sub.add_parser("render", help="write the fitted signal at another resolution")
    r.add_argument("run_dir", type=Path, help="run directory written by 'inrkit fit'")
    r.add_argument("--scale", type=int, default=1, help="samples per pixel and axis (super-resolution factor)")
    r.add_argument("--shift", type=float, default=0.0, help="query shifted by this fraction of a pixel")
    r.add_argument("--out", type=Path, help="output file (default: RUN_DIR/render_x<scale><suffix>)")
    r.add_argument("--device", default="auto", help="auto (GPU when present), cpu, cuda or cuda:N")

    rp = sub.add_parser("report", help="Markdown + HTML report of a run or bench directory")
    rp.add_argument("dir", type=Path, help="run directory, bench directory, or a folder of bench directories")
    rp.add_argument("--out", type=Path, help="where report.md / report.html go (default: DIR)")

    b = sub.add_parser("bench", help="run a benchmark table, or 'bench speed [FIELDS...]'")
    b.add_argument("table", help="table name (see 'inrkit list tables'), or 'speed': step time against the GEMM floor")
    b.add_argument("fields", nargs="*", help="bench speed: fields or recipes to time (default: every field)")
    b.add_argument("--scale", default="quick", choices=PRESETS, help="size preset of every fit")
    b.add_argument("--executor", default="local", choices=("local", "ray"),
                   help="local: this process (or --workers processes); ray: one Ray task per fit")
    b.add_argument("--workers", type=int, default=1, help="local executor: number of worker processes")
    b.add_argument("--ray-address", help="ray executor: cluster address (default: start a local instance)")
    b.add_argument("--ensemble", type=int, default=0, metavar="E",
                   help="local executor: fit up to E same-architecture jobs of a row as one batched model")
    b.add_argument("--compile", action="store_true",
                   help="with --ensemble: torch.compile the batched step (compiled once per ensemble)")
    b.add_argument("--seeds", type=int, help="seeds per signal (default: the table's)")
    b.add_argument("--out", type=Path, help="bench directory (default: bench/<table>-<scale>)")
    b.add_argument("--device", default="auto", help="auto (GPU when present), cpu, cuda or cuda:N")
    b.add_argument("--rows", help="comma-separated row labels to run (default: all rows)")
    b.add_argument("--signals", type=int, metavar="N", dest="n_signals",
                   help="only the first N signals of the table at --scale (default: all)")
    b.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE",
                   help="override a config key in every fit of the table")
    b.add_argument("--settings", default="paper", choices=("paper", "tuned"),
                   help="paper: each recipe as stated; tuned: the values found by 'inrkit tune'")
    for flag, kw in (("--points", {"type": int, "default": 16_384}), ("--repeats", {"type": int, "default": 7}),
                     ("--warmup", {"type": int, "default": 3}), ("--threads", {"type": int}),
                     ("--keep-denormals", {"action": "store_true"}), ("--no-onednn", {"action": "store_true"})):
        b.add_argument(flag, help="bench speed only (see inrkit.bench.speed)", **kw)

    lad = sub.add_parser("ladder", help="a table's ordering at every scale that ran, beside the paper's")
    lad.add_argument("table", help="table name")
    lad.add_argument("--dir", type=Path, default=Path("bench"), help="folder holding <table>-<scale>/ bench runs")

    t = sub.add_parser("tune", help="equal-budget hyperparameter search (Optuna) for a table's methods or a recipe")
    t.add_argument("target", help="table or recipe name")
    t.add_argument("--trials", type=int, default=16, help="trials per method (the same for every method)")
    t.add_argument("--scale", default="quick", choices=PRESETS, help="size preset of every trial")
    t.add_argument("--steps", type=int, help="step budget of every trial (default: the protocol's at --scale)")
    t.add_argument("--signals", help="comma-separated tuning signals (default: the family's held-apart set)")
    t.add_argument("--rows", help="comma-separated row labels of a table (default: all rows)")
    t.add_argument("--seed", type=int, default=0, help="seed of the TPE sampler")
    t.add_argument("--out", type=Path, help="study folder (default: tune/<target>-<scale>); reruns continue it")
    t.add_argument("--device", default="auto", help="auto (GPU when present), cpu, cuda or cuda:N")
    t.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE",
                   help="override a config key in every trial")
    _add_compress_parsers(sub)
    add_config_parser(sub, HELP)
    for name, cmd in sub.choices.items():
        if name != "config":
            cmd.formatter_class = HELP
    return p


def _add_compress_parsers(sub) -> None:
    """``inrkit compress RUN --bits B`` and ``inrkit decompress FILE`` (protocols.md §12)."""
    c = sub.add_parser("compress", help="quantise + entropy-code a fitted image field into one file")
    c.add_argument("run_dir", type=Path)
    c.add_argument("--bits", type=int, default=8, help="bits per weight (uniform per-tensor quantisation)")
    c.add_argument("--coder", default="range", choices=("range", "zstd"))
    c.add_argument("--qat-steps", type=int, default=0, help="quantisation-aware fine-tuning steps before coding")
    c.add_argument("--qat-lr", type=float, default=1e-5)
    c.add_argument("--out", type=Path, help="output file (default: RUN/compressed_b<B>.inrc)")
    d = sub.add_parser("decompress", help="restore a field from a compressed file and render it")
    d.add_argument("file", type=Path)
    d.add_argument("--out", type=Path, help="output directory (default: FILE without suffix + '_decoded')")
    d.add_argument("--scale", type=int, default=1, help="render at this many samples per pixel")


def _split_set(item: str) -> tuple[str, str]:
    key, sep, value = item.partition("=")
    if not sep or not key:
        raise InputError(f"--set expects KEY=VALUE, got {item!r}")
    return key.strip(), value


def _default_out(signal: str, model: str, preset: str) -> Path:
    from inrkit.bench.runner import slug

    base = Path("runs") / f"{slug(signal)}-{model}-{preset}"
    out, k = base, 2
    while out.exists():
        out, k = base.with_name(f"{base.name}-{k}"), k + 1
    return out


def cmd_list(args: argparse.Namespace) -> int:
    from inrkit.registry import REGISTRIES, SIGNALS

    reg = {"signals": SIGNALS, **REGISTRIES}[args.what]
    pattern = args.pattern or "*"
    if not any(c in pattern for c in "*?["):
        pattern = f"*{pattern}*"
    for name in fnmatch.filter(list(reg), pattern):
        print(f"{name:28s} {reg.entry(name).description}")
    return 0


def resolve_fit_config(args: argparse.Namespace):
    """The RunConfig of ``inrkit fit`` from its arguments."""
    from inrkit.config import override
    from inrkit.recipes import find_recipe
    from inrkit.registry import FIELDS, RECIPES, type_name
    from inrkit.tasks import task_family

    source = args.signal or DEFAULT_SIGNAL
    family = task_family(source, args.task)  # recipes are named <model>-<family>
    model = args.model or (DEFAULT_MODEL if f"{DEFAULT_MODEL}-{family}" in RECIPES else FALLBACK_MODEL)
    if args.model and args.model not in FIELDS and args.model not in RECIPES:
        raise InputError(f"unknown model {args.model!r}; choose one of: {', '.join(FIELDS)} "
                         "(or a recipe name from 'inrkit list recipes')")
    recipe = find_recipe(model, family)
    cfg = recipe.config(args.preset, source)
    from inrkit.recipes.tuned import apply_settings

    cfg = apply_settings(cfg, recipe.name, args.preset, args.settings)
    if args.task is not None and type_name(cfg.task) != args.task:
        raise InputError(f"task {args.task!r} is not available for {family} signals with {model!r}")
    cfg = override(cfg, "trainer.device", args.device or "auto")
    if args.steps is not None:
        cfg = override(cfg, "trainer.steps", args.steps)
    if args.seed is not None:
        cfg = override(cfg, "trainer.seed", args.seed)
    if args.no_progress:
        cfg = override(cfg, "trainer.progress", False)
    if getattr(args, "log", None):
        cfg = override(cfg, "trainer.log", sorted(set(args.log)))
    for item in args.sets:
        cfg = override(cfg, *_split_set(item))
    return cfg, model


def cmd_fit(args: argparse.Namespace) -> int:
    from inrkit.cli_config import fit_config
    from inrkit.threads import set_threads
    from inrkit.train.run import fit

    if args.resume and args.out is None:
        raise InputError("--resume needs --out naming the run directory to continue")
    set_threads(args.threads)
    cfg, model, preset = fit_config(args)
    out = args.out or _default_out(cfg.signal.source, model, preset)
    try:
        result = fit(cfg, out, resume=args.resume, banner=not args.quiet)
    except KeyboardInterrupt:
        print(f"inrkit: interrupted; checkpoint saved in {out}; continue with "
              f"'inrkit fit ... --out {out} --resume'", file=sys.stderr)
        return 130
    _print_metrics(result.metrics)
    print(f"run directory: {out}")
    return 0


def _print_metrics(metrics: dict[str, Any]) -> None:
    shown = {k: v for k, v in metrics.items() if not isinstance(v, (dict, list))}
    print(json.dumps(shown, indent=2))


def load_run(run_dir: Path, device: str = "auto", truth: bool = True):
    """Rebuild (config, task, field) of a saved run with its trained weights.

    ``truth=True`` loads the signal and refuses one whose file changed since the fit (``signal.json``);
    ``truth=False`` (render) rebuilds the grid of image / audio / video runs from ``signal.json`` alone.
    """
    from inrkit.io import read_json
    from inrkit.train.checkpoint import load_weights
    from inrkit.train.numerics import apply_cpu_execution
    from inrkit.train.run import build, run_config_from_dict
    from inrkit.train.rundir import check_signal, placeholder_signal
    from inrkit.train.trainer import resolve_device

    if not run_dir.is_dir():
        raise InputError(f"{run_dir}: no such run directory")
    if not (run_dir / "config.json").is_file():
        raise InputError(f"{run_dir}: not an inrkit run directory (no config.json)")
    if not (run_dir / "model.safetensors").is_file():
        raise InputError(f"{run_dir}: run has no model.safetensors (unfinished? use 'inrkit fit --resume')")
    dev = resolve_device(device)
    run_cfg = run_config_from_dict(read_json(run_dir / "config.json"))
    placeholder = None if truth else placeholder_signal(run_dir)
    if placeholder is None:
        check_signal(run_dir, run_cfg.signal.source)
    cfg, task, field = build(run_cfg, signal=placeholder)
    load_weights(run_dir / "model.safetensors", field)
    apply_cpu_execution(run_cfg.trainer.flush_denormals, dev)  # subnormals, allocator: as in training
    field.to(dev).eval()
    task.to(dev)
    return cfg, task, field


def _linears_as_trained(cfg, device: str):
    """The run's ``trainer.onednn_linear`` setting for the block (``train.numerics.onednn_linears``)."""
    from inrkit.train.numerics import onednn_linears
    from inrkit.train.trainer import resolve_device

    return onednn_linears(cfg.trainer.onednn_linear, resolve_device(device))


def cmd_eval(args: argparse.Namespace) -> int:
    from inrkit.io import read_json, write_json

    _check_query(args)
    cfg, task, field = load_run(args.run_dir, args.device)
    with _linears_as_trained(cfg, args.device):
        metrics = task.evaluate(field, final=True)
        query = task.query_metrics(field, shift=args.shift, scale=args.scale) if args.shift or args.scale > 1 else None
    if query is not None:
        if not query:
            raise InputError(f"eval --shift/--scale: the {task.name} task has no shifted / super-resolved metrics")
        metrics.update(query)
    path = args.run_dir / "eval.json"
    saved = read_json(path) if path.exists() else {}
    saved[f"shift={args.shift:g},scale={args.scale}"] = metrics
    write_json(path, saved)
    _print_metrics(metrics)
    return 0


def _check_query(args: argparse.Namespace) -> None:
    if args.scale < 1 or args.scale > 64:
        raise InputError(f"--scale must be in 1..64, got {args.scale}")
    if not math.isfinite(args.shift) or abs(args.shift) > 1.0:
        raise InputError(f"--shift must be a finite fraction of a pixel in [-1, 1], got {args.shift}")


def cmd_render(args: argparse.Namespace) -> int:
    _check_query(args)
    cfg, task, field = load_run(args.run_dir, args.device, truth=False)
    grid = getattr(getattr(task, "signal", None), "grid_shape", ())
    samples = math.prod(grid) * args.scale ** len(grid)
    if samples > MAX_RENDER_SAMPLES:
        raise InputError(f"render --scale {args.scale}: {samples:,} samples exceed the limit of "
                         f"{MAX_RENDER_SAMPLES:,}; choose a smaller --scale")
    shift = f"_shift{args.shift:g}" if args.shift else ""
    out = args.out or args.run_dir / f"render_x{args.scale}{shift}{task.render_suffix}"
    print(task.render_note(args.scale))
    with _linears_as_trained(cfg, args.device):
        what = task.render(field, out, scale=args.scale, shift=args.shift)
    print(f"wrote {out} ({what})")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from inrkit.bench import run_table
    from inrkit.registry import TABLES

    if args.table == "speed":
        from inrkit.bench.speed import run_speed_command

        return run_speed_command(args)
    if args.fields:
        raise InputError(f"bench {args.table}: unexpected arguments {' '.join(args.fields)}")
    TABLES.entry(args.table)
    for item in args.sets:
        _split_set(item)
    out = args.out or Path("bench") / f"{args.table}-{args.scale}"
    rows = tuple(r.strip() for r in args.rows.split(",")) if args.rows else None
    if args.n_signals is not None and args.n_signals < 1:
        raise InputError(f"bench --signals must be >= 1, got {args.n_signals}")
    if args.ensemble and args.executor != "local":
        raise InputError("--ensemble works with the local executor only")
    if args.out is None and args.settings != "paper":
        out = out.with_name(f"{out.name}-{args.settings}")
    run_table(args.table, args.scale, out, args.seeds, args.device, tuple(args.sets), rows=rows,
              settings=args.settings, n_signals=args.n_signals,
              executor=args.executor, workers=args.workers, address=args.ray_address, ensemble=args.ensemble,
              compile=args.compile)
    print((out / "summary.md").read_text())
    print(f"results: {out / 'results.csv'}")
    return 0


def cmd_ladder(args: argparse.Namespace) -> int:
    from inrkit.bench.ladder import ladder
    from inrkit.registry import TABLES

    TABLES.entry(args.table)
    path, text = ladder(args.table, args.dir)
    print(text)
    print(f"wrote {path}")
    return 0


def cmd_tune(args: argparse.Namespace) -> int:
    from inrkit.bench.tune import tune_recipe, tune_targets

    if args.trials < 1:
        raise InputError("--trials must be at least 1")
    rows = tuple(r.strip() for r in args.rows.split(",")) if args.rows else None
    signals = tuple(x.strip() for x in args.signals.split(",")) if args.signals else None
    out = args.out or Path("tune") / f"{args.target}-{args.scale}"
    for recipe in tune_targets(args.target, rows):
        r = tune_recipe(recipe, args.trials, args.scale, out / recipe, steps=args.steps, signals=signals,
                        seed=args.seed, sets=tuple(args.sets), device=args.device,
                        progress=True)
        print(f"{recipe}: best {r['metric']} {r['best']:.4g} after {r['trials']} trials: "
              f"{json.dumps(r['overrides'])} -> {r['path']}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from inrkit.bench.report import write_report

    md, page = write_report(args.dir, args.out)
    print(f"wrote {md} and {page}")
    return 0


def cmd_compress(args: argparse.Namespace) -> int:
    from inrkit.compress.pipeline import compress, write_compressed
    from inrkit.io import write_json

    cfg, task, field = load_run(args.run_dir, "cpu")
    if task.signal.kind != "image" or not hasattr(task, "to_unit"):
        raise InputError(f"{args.run_dir}: compress works on image-fitting runs (got a {task.signal.kind} run)")
    enc, metrics = compress(field, cfg.field, task, args.bits, args.coder, cfg.trainer.seed, args.qat_steps,
                            args.qat_lr)
    out = args.out or args.run_dir / f"compressed_b{args.bits}.inrc"
    write_compressed(out, enc)
    metrics.update({"bits": args.bits, "coder": args.coder, "qat_steps": args.qat_steps, "file": str(out)})
    write_json(out.with_name(out.name + ".json"), metrics)
    _print_metrics(metrics)
    return 0


def cmd_decompress(args: argparse.Namespace) -> int:
    import numpy as np

    from inrkit.compress import decode_file
    from inrkit.io import write_json, write_with
    from inrkit.signals.image import save_image
    from inrkit.train.checkpoint import save_weights

    if args.scale < 1:
        raise InputError("--scale must be >= 1")
    dec = decode_file(args.file)
    out = args.out or args.file.with_name(args.file.stem + "_decoded")
    out.mkdir(parents=True, exist_ok=True)
    save_weights(out / "model.safetensors", dec.field)
    write_json(out / "field.json", {"field": dec.spec, "seed": dec.seed, "bits": dec.bits, "coder": dec.coder,
                                    "grid_shape": list(dec.grid.grid_shape),
                                    "coord_convention": dec.grid.coord_convention,
                                    "coord_range": list(dec.grid.coord_range),
                                    "target_range": list(dec.grid.target_range)})
    img = np.clip(dec.render(scale=args.scale), 0.0, 1.0)
    write_with(out / f"render_x{args.scale}.png", lambda p: save_image(p, img))
    print(f"wrote {out} (field {dec.spec['type']}, {dec.bits} bits, render {img.shape[1]}x{img.shape[0]})")
    return 0


COMMANDS = {"list": cmd_list, "fit": cmd_fit, "eval": cmd_eval, "render": cmd_render, "bench": cmd_bench,
            "tune": cmd_tune, "ladder": cmd_ladder, "config": None, "report": cmd_report, "compress": cmd_compress,
            "decompress": cmd_decompress}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        import inrkit  # noqa: F401  (registers everything)
        import inrkit.bench  # noqa: F401

        if args.command == "config":
            from inrkit.cli_config import cmd_config

            return cmd_config(args)
        return COMMANDS[args.command](args)
    except InputError as e:
        if args.debug:
            raise
        print(f"inrkit: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("inrkit: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
