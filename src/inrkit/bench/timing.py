"""Per-step training time of recipes' fields (forward + backward + Adam step, full batch).

SASNet Supp. Table 2 reports the average step time at batch 262,144 (SASNet 43,107 us vs SIREN
29,224 us on an RTX A6000: 1.47x). Usage::

    python -m inrkit.bench.timing sasnet-image siren-image-sasnet --points 262144 --preset paper
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace

import torch

from inrkit.registry import FIELDS, RECIPES
from inrkit.train.trainer import make_optimizer, resolve_device


def step_time(recipe: str, preset: str = "paper", points: int = 262_144, steps: int = 10, warmup: int = 3,
              device: str = "auto", seed: int = 0) -> dict[str, float]:
    """Mean seconds per optimiser step of the recipe's field on random 2-D coordinates."""
    import inrkit  # noqa: F401

    cfg = RECIPES.get(recipe).config(preset)
    dev = resolve_device(device)
    torch.manual_seed(seed)
    field = FIELDS.create(replace(cfg.field, in_features=2, out_features=3)).to(dev)
    opt = make_optimizer(cfg.trainer.optim, field.param_groups())
    x = torch.rand(points, 2, device=dev) * 2 - 1
    y = torch.rand(points, 3, device=dev)
    times = []
    for i in range(warmup + steps):
        if dev.type == "cuda":
            torch.cuda.synchronize()
        t0 = time.perf_counter()
        pred, reg = field.forward_and_regularization(x)
        loss = ((pred - y) ** 2).mean() + sum(reg.values(), torch.zeros((), device=dev))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        if dev.type == "cuda":
            torch.cuda.synchronize()
        if i >= warmup:
            times.append(time.perf_counter() - t0)
    return {"step_s": sum(times) / len(times), "params": field.parameter_counts()["params"], "points": points,
            "device": str(dev)}


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("recipes", nargs="+")
    p.add_argument("--preset", default="paper")
    p.add_argument("--points", type=int, default=262_144)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--device", default="auto")
    args = p.parse_args(argv)
    base = None
    for name in args.recipes:
        r = step_time(name, args.preset, args.points, args.steps, device=args.device)
        base = base or r["step_s"]
        print(f"{name:24s} params={r['params']:>8,d} step={r['step_s'] * 1e3:9.1f} ms "
              f"ratio={r['step_s'] / base:.2f}x  ({r['device']}, {r['points']:,} points)")


if __name__ == "__main__":
    main()
