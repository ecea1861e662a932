#!/usr/bin/env python3
"""The run-level speed bars: sweeps through `overparam run --master 'local[1]'` against JAX, bracketed.

For each shape and round: JAX's figure (scripts/jax-bench.py), then a sweep of the shape's runs
(`bin/overparam run CONFIG --master 'local[1]' --no-analyze --warm-up`, a fresh folder each time),
then JAX again. The sweep's figures are its median and its fastest run's steps / (wall_us / 1e6),
as runs/ records them; JAX's the same statistics over timings of as many steps as a run makes
(jax-bench.py --window-steps), per net, by the better of jit of one net and (on the narrow shapes)
vmap over an ensemble of 8: the same statistic on both sides, where a best-of-three over seconds-long
timings would set JAX's best stretch against the sweep's median run. The host's speed drifts by
10-20% within minutes, so each sweep is compared with the JAX runs right before and after it: the
ratio to their mean, and its range (to the faster and to the slower of the two).

Run by bin/bench-sweeps-vs-jax, which makes the Python environment; see its header for the options.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_shapes import NARROW, SHAPES  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def config(shape, steps, seeds, precision, name):
    """The sweep config of a reference shape: its net and data, GD at a step size too small to reach
    the (unreachable) target, so that every run makes all its steps, as GdStepBenchmark's runs do."""
    n, d, m, depth, kind = SHAPES[shape]
    if kind == "du":
        model = "{arch: two_layer, parameterization: du, activation: relu, width: %d, depth: 1}" % m
        data = "{source: sphere, n: %d, d: %d, labels: gaussian}" % (n, d)
    else:
        model = "{arch: deep, parameterization: %s, activation: relu, width: %d, depth: %d}" % (kind, m, depth)
        inputs = ", input_map: allen_zhu" if kind == "allen_zhu" else ""
        data = "{source: sphere, n: %d, d: %d, labels: gaussian%s}" % (n, d, inputs)
    return "\n".join([
        f"sweep: {name}",
        f"data: {data}",
        f"model: {model}",
        "train: {optimizer: gd, lr: 1.0e-9, loss: half_sum_squared, max_steps: %d, "
        "target_loss: {absolute: 1.0e-300}, precision: %s}" % (steps, precision),
        f"seeds: {seeds}",
        "",
    ])


def jax_figure(python, pin, shape, steps, precision, seconds):
    """(median, best, impl): JAX's steps/s per net over timings of `steps` steps (a run's length), by
    the implementation whose median is higher: jit of one net, or on the narrow shapes also vmap over
    an ensemble of 8 (the issue names vmap8 there; jit is ahead of it on some, S9 among them)."""
    impls = "jit,vmap8" if shape in NARROW else "jit"
    cmd = pin + [python, str(ROOT / "scripts/jax-bench.py"), "--seconds", str(seconds), "--precision", precision,
                 "--impl", impls, "--window-steps", str(steps), shape]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT).stdout
    best = None
    for line in out.splitlines():
        f = line.split("\t")
        if not line.startswith("#") and len(f) >= 5 and f[0] == shape:
            figure = (float(f[3]), float(f[4]), f[2].split("@")[0])
            if best is None or figure[0] > best[0]:
                best = figure
    if best is None:
        raise SystemExit(f"bench-sweeps-vs-jax: no figure for {shape} {precision} in jax-bench.py's output:\n{out}")
    return best


def sweep_figures(pin, cfg, out, log):
    cmd = pin + [str(ROOT / "bin/overparam"), "run", str(cfg), "--master", "local[1]", "--no-analyze", "--warm-up",
                 "--out", str(out)]
    with open(log, "w") as f:
        subprocess.run(cmd, check=True, stdout=f, stderr=subprocess.STDOUT, cwd=ROOT)
    import pyarrow.dataset as ds  # the benchmark environment's (scripts/bench-venv.sh), not needed for --configs-only

    table = ds.dataset(str(next(out.iterdir()) / "runs"), format="parquet", partitioning="hive").to_table(
        columns=["steps", "wall_us", "status"])
    rows = table.to_pylist()
    bad = [r["status"] for r in rows if r["status"] != "max_steps"]
    if bad:
        raise SystemExit(f"bench-sweeps-vs-jax: runs ended {sorted(set(bad))} (all should make max_steps): {log}")
    rates = sorted(r["steps"] / (max(1, r["wall_us"]) / 1e6) for r in rows)
    return statistics.median(rates), rates[-1], len(rates)


def seeds_of(shape, seeds):
    """Runs per sweep: as given, else 64 on the narrow shapes (7-10 ms runs) and 6 elsewhere."""
    return seeds or (64 if shape in NARROW else 6)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--seconds", type=float, default=4.0, help="JAX's timings per figure (at least 5 of them)")
    p.add_argument("--seeds", type=int, help="runs per sweep (default 64 on the narrow shapes, 6 elsewhere)")
    p.add_argument("--precision", choices=["f64", "f32"], default="f64")
    p.add_argument("--cpu", default="0", help="the core everything is pinned to (taskset -c)")
    p.add_argument("--python", default=sys.executable, help="the Python with jax")
    p.add_argument("--keep", help="an empty or new folder for the configs, sweeps and logs (default: a temporary one)")
    p.add_argument("--markdown", action="store_true")
    p.add_argument("--configs-only", metavar="DIR", help="write the shapes' sweep configs to DIR and stop (BenchConfigsTest loads them)")
    p.add_argument("shapes", nargs="*", default=["S2:200", "S6:3000", "S7:3000", "S9:3000"])
    a = p.parse_args()
    specs = []
    for s in a.shapes:
        shape, _, steps = s.partition(":")
        if shape not in SHAPES:
            raise SystemExit(f"bench-sweeps-vs-jax: shape {shape!r}: must be one of {', '.join(SHAPES)}")
        if steps and not (steps.isdigit() and int(steps) > 0):
            raise SystemExit(f"bench-sweeps-vs-jax: steps of {s!r}: must be a positive integer")
        specs.append((shape, int(steps) if steps else (200 if shape not in NARROW else 3000)))
    if a.rounds < 1:
        raise SystemExit(f"bench-sweeps-vs-jax: --rounds {a.rounds}: must be at least 1")
    if a.seeds is not None and a.seeds < 1:
        raise SystemExit(f"bench-sweeps-vs-jax: --seeds {a.seeds}: must be at least 1")
    if a.configs_only:
        out = Path(a.configs_only)
        out.mkdir(parents=True, exist_ok=True)
        for shape, steps in specs:
            name = f"bench_{shape.lower()}"
            (out / f"{name}.yaml").write_text(config(shape, steps, seeds_of(shape, a.seeds), a.precision, name))
            print(out / f"{name}.yaml")
        return
    if a.keep:
        keep = Path(a.keep)
        if keep.exists() and any(keep.iterdir()):
            # A sweep folder that exists would resume: its runs already done would not run again.
            raise SystemExit(f"bench-sweeps-vs-jax: --keep {keep}: must be empty or new (sweeps there would resume)")
        keep.mkdir(parents=True, exist_ok=True)
    else:
        keep = Path(tempfile.mkdtemp(prefix="bench-sweeps-"))
    pin = ["taskset", "-c", a.cpu] if subprocess.run(["sh", "-c", "command -v taskset"],
                                                      capture_output=True).returncode == 0 else []
    print(f"# bench-sweeps-vs-jax: {time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}, pinned to "
          f"{' '.join(pin) or 'nothing'}, {a.precision}, {a.rounds} rounds, folder {keep}", file=sys.stderr)
    rows = []
    for shape, steps in specs:
        seeds = seeds_of(shape, a.seeds)
        name = f"bench_{shape.lower()}"
        cfg = keep / f"{name}.yaml"
        cfg.write_text(config(shape, steps, seeds, a.precision, name))
        before = jax_figure(a.python, pin, shape, steps, a.precision, a.seconds)
        for r in range(1, a.rounds + 1):
            out = keep / f"{name}-round{r}"
            median, fastest, runs = sweep_figures(pin, cfg, out, keep / f"{name}-round{r}.log")
            after = jax_figure(a.python, pin, shape, steps, a.precision, a.seconds)
            rows.append((shape, steps, runs, r, before, median, fastest, after))
            print(f"# {shape} round {r}: JAX {before[2]} median {before[0]:,.0f}; sweep median run {median:,.0f}; "
                  f"JAX {after[2]} median {after[0]:,.0f}", file=sys.stderr)
            before = after
    header = ["shape", "steps", "runs", "round", "JAX before: median / best (impl)", "sweep: median run / fastest",
              "JAX after: median / best (impl)", "median run / JAX median", "range", "fastest run / JAX best"]
    lines = []
    ratios = {}
    for shape, steps, runs, r, b, med, fast, af in rows:
        mean = (b[0] + af[0]) / 2
        ratios.setdefault(shape, []).append(med / mean)
        lines.append([shape, str(steps), str(runs), str(r), f"{b[0]:,.0f} / {b[1]:,.0f} ({b[2]})",
                      f"{med:,.0f} / {fast:,.0f}", f"{af[0]:,.0f} / {af[1]:,.0f} ({af[2]})", f"{med / mean:.2f}",
                      f"{med / max(b[0], af[0]):.2f}-{med / min(b[0], af[0]):.2f}", f"{fast / ((b[1] + af[1]) / 2):.2f}"])
    if a.markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for line in lines:
            print("| " + " | ".join(line) + " |")
    else:
        print("\t".join(header))
        for line in lines:
            print("\t".join(line))
    for shape, values in ratios.items():
        print(f"# {shape}: median run / JAX's median timing, median over {len(values)} rounds: "
              f"{statistics.median(values):.2f} (rounds {', '.join(f'{x:.2f}' for x in values)})")


if __name__ == "__main__":
    main()
