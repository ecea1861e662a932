#!/usr/bin/env python3
"""Merges the outputs of PeakFlops, GdStepBenchmark --tsv, torch-bench.py and jax-bench.py (as
bin/bench-vs-peers collects them) into the comparison tables of docs/benchmarks.md.

Usage: bench-table.py PEAK_TSV OVERPARAM_TSV PEERS_TSV [--markdown]

Rows of OVERPARAM_TSV and PEERS_TSV: shape, precision, impl, steps/s by wall time, steps/s by CPU
time, flops per step, round. Peer impls are torch-manual, torch-autograd, jax-jit and jax-vmap8
(per net of an ensemble of 8). overparam's figure is the real training loop (impl 'trainer', in
either precision, as train.precision runs it); where only the kernel GD step (impl 'kernels') was
measured, that, marked "(kernel step)". PyTorch counts as its better implementation in each round. For each figure the
table gives the best round and the median round; ratios are overparam / peer, of the best rounds
and (in brackets) of the medians. "best peer" is the fastest of torch, JAX jit and (narrow shapes)
JAX vmap8 per net, by best round. "paired" divides overparam by the best peer round by round (the
two ran back to back, one shape apart at most) and gives the median of those ratios and their range:
a shared host can slow a whole stretch of minutes by a third in memory-bound code while an FMA loop
does not notice, and a best or median round of each side can come from different stretches.
GFLOP/s and % of peak are overparam's best round.
"""
import statistics
import sys
from collections import defaultdict

SHAPE_ORDER = ["S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8", "S9"]


def read(path):
    rows = []
    with open(path) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            rows.append(line.rstrip("\n").split("\t"))
    return rows


def show(head, lines, markdown):
    if markdown:
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
        for l in lines:
            print("| " + " | ".join(l) + " |")
    else:
        widths = [max(len(h), *(len(l[i]) for l in lines)) if lines else len(h) for i, h in enumerate(head)]
        print("  ".join(h.ljust(w) for h, w in zip(head, widths)))
        for l in lines:
            print("  ".join(c.ljust(w) for c, w in zip(l, widths)))


def per_round(rows, column):
    """{(shape, prec, system): {round: steps/s}}; systems overparam-trainer/-kernels, torch, jax-jit, jax-vmap8."""
    out = defaultdict(dict)
    for shape, prec, impl, wall, cpu, flops, rnd in rows:
        value = float(wall if column == "wall" else cpu)
        system = "torch" if impl.startswith("torch-") else impl
        cur = out[(shape, prec, system)].get(rnd, 0.0)
        out[(shape, prec, system)][rnd] = max(cur, value)
    return out


def fmt(v):
    return "-" if v is None else (f"{v:,.0f}" if v >= 100 else f"{v:,.1f}")


def paired(ours, peer):
    """Median and range of ours / peer over the rounds both have ({round: steps/s} each)."""
    ratios = sorted(ours[r] / peer[r] for r in ours if r in peer and peer[r] > 0)
    if not ratios:
        return "-"
    return f"{statistics.median(ratios):.2f} ({ratios[0]:.2f}-{ratios[-1]:.2f})"


def table(ours, peers, flops, peak, column, markdown):
    mine = per_round(ours, column)
    theirs = per_round(peers, column)
    head = ["shape", "prec", "overparam", "(median)", "torch", "(median)", "JAX jit", "(median)",
            "JAX vmap8 per net", "(median)", "best peer", "/ torch", "/ JAX jit", "/ JAX vmap8", "/ best peer",
            "paired (range)", "GFLOP/s", "% of peak"]
    lines = []
    for shape in sorted({k[0] for k in mine}, key=lambda s: SHAPE_ORDER.index(s) if s in SHAPE_ORDER else 99):
        for prec in ("f64", "f32"):
            impl = "trainer" if (shape, prec, "trainer") in mine else "kernels"
            if (shape, prec, impl) not in mine:
                continue
            o = mine[(shape, prec, impl)]
            ob, om = max(o.values()), statistics.median(o.values())
            cells = [shape, prec + ("" if impl == "trainer" else " (kernel step)"), fmt(ob), fmt(om)]
            best = {}
            ratios = []
            for system in ("torch", "jax-jit", "jax-vmap8"):
                p = theirs.get((shape, prec, system))
                if not p:
                    cells += ["-", "-"]
                    ratios.append("-")
                    continue
                pb, pm = max(p.values()), statistics.median(p.values())
                best[system] = pb
                cells += [fmt(pb), fmt(pm)]
                ratios.append(f"{ob / pb:.2f} ({om / pm:.2f})")
            if best:
                name = max(best, key=best.get)
                cells.append(name)
                cells += ratios
                cells.append(f"**{ob / best[name]:.2f}**" if markdown else f"{ob / best[name]:.2f}")
                cells.append(paired(o, theirs[(shape, prec, name)]))
            else:
                cells += ["-"] + ratios + ["-", "-"]
            gflops = ob * flops[shape] / 1e9
            cells += [f"{gflops:.1f}", f"{100 * gflops / peak[prec]:.0f}%" if prec in peak else "-"]
            lines.append(cells)
    show(head, lines, markdown)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    markdown = "--markdown" in sys.argv
    peak = {r[1]: float(r[2]) for r in read(args[0]) if r[0] == "peak"}
    all_ours = read(args[1])
    ours = [r for r in all_ours if not r[2].startswith("run-")]
    peers = read(args[2])
    flops = {r[0]: int(r[5]) for r in peers}
    flops.update({r[0]: int(r[5]) for r in ours if r[2] == "kernels"})
    for r in ours:
        flops.setdefault(r[0], int(r[5]))
    rounds = len({r[6] for r in ours})
    print(f"steps per second by wall clock, best of {rounds} round(s) and median:")
    table(ours, peers, flops, peak, "wall", markdown)
    print()
    print("the same by each process's CPU time (what other processes on a busy machine inflate less):")
    table(ours, peers, flops, peak, "cpu", markdown)
    runs = [r for r in all_ours if r[2].startswith("run-")]
    if runs:
        print()
        print("through the run function of a sweep task (Runs.execute), steps / (wall_us / 1e6), median run of each "
              "round (best round, median round), against JAX by wall clock (best round):")
        best_peer = per_round(peers, "wall")
        head = ["shape", "steps", "overparam median run", "(median round)", "JAX jit", "JAX vmap8 per net",
                "/ JAX jit", "/ JAX vmap8"]
        lines = []
        for shape, impl in sorted({(r[0], r[2]) for r in runs}, key=lambda k: SHAPE_ORDER.index(k[0])):
            values = [float(r[3]) for r in runs if r[0] == shape and r[2] == impl]
            ob, om = max(values), statistics.median(values)
            cells = [shape, impl[4:], fmt(ob), fmt(om)]
            ratios = []
            for system in ("jax-jit", "jax-vmap8"):
                p = best_peer.get((shape, "f64", system))
                cells.append(fmt(max(p.values())) if p else "-")
                ratios.append(f"{ob / max(p.values()):.2f}" if p else "-")
            lines.append(cells + ratios)
        show(head, lines, markdown)
    print()
    print(f"measured peak (FMA loop, one core): f64 {peak.get('f64', 0):.1f} GFLOP/s, f32 {peak.get('f32', 0):.1f} GFLOP/s")


if __name__ == "__main__":
    main()
