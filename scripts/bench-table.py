#!/usr/bin/env python3
"""Merges the outputs of PeakFlops, GdStepBenchmark --tsv and torch-bench.py into issue 6's table.

Usage: bench-table.py PEAK_TSV OVERPARAM_TSV TORCH_TSV [--markdown]

overparam's f64 figure is the real training loop (impl 'trainer': Network + Trainer); its f32 figure
is the kernel GD step (impl 'kernels', linalg.Kernels), since precision f32 is not yet plumbed
through Network. torch's figure is the better of its manual and autograd steps. Ratio = overparam /
torch, by wall time, and in brackets by each process's own thread CPU time (which a busy machine's
other processes do not inflate). GFLOP/s and % of peak are overparam's, by wall time. With several
rounds (rows of the same case), each figure is the best round and "(worst)" the worst, by wall time.
"""
import sys

NOMINAL = {"f64": 55.0, "f32": 110.0}  # issue 6's figures for this machine class


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
        widths = [max(len(h), *(len(l[i]) for l in lines)) for i, h in enumerate(head)]
        print("  ".join(h.ljust(w) for h, w in zip(head, widths)))
        for l in lines:
            print("  ".join(c.ljust(w) for c, w in zip(l, widths)))


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    markdown = "--markdown" in sys.argv
    peak = {r[1]: float(r[2]) for r in read(args[0]) if r[0] == "peak"}
    # Several rounds (BENCH_REPEAT) give several rows per case: keep the best, and the lowest wall
    # figure for the spread.
    ours = {}
    low = {}
    for shape, prec, impl, wall, cpu, flops in read(args[1]):
        key = (shape, prec, impl)
        cur = ours.get(key, (0.0, 0.0, int(flops)))
        ours[key] = (max(cur[0], float(wall)), max(cur[1], float(cpu)), int(flops))
        low[key] = min(low.get(key, float("inf")), float(wall))
    torch = {}
    torch_cpu = {}
    torch_rows = read(args[2])
    for shape, prec, impl, wall, cpu, flops in torch_rows:
        key = (shape, prec)
        cur = torch.get(key)
        if cur is None or float(wall) > cur[0]:
            torch[key] = (float(wall), float(cpu), int(flops), impl)
        torch_cpu[key] = max(torch_cpu.get(key, 0.0), float(cpu))
    torch_low = {}
    for shape, prec, impl, wall, cpu, flops in torch_rows:
        if impl == torch[(shape, prec)][3]:
            torch_low[(shape, prec)] = min(torch_low.get((shape, prec), float("inf")), float(wall))
    head = ["shape", "prec", "overparam steps/s", "(impl)", "(worst)", "kernel step steps/s", "torch steps/s",
            "(torch impl)", "(worst)", "ratio", "(ratio, CPU time)", "GFLOP/s", "% of measured peak",
            "% of nominal peak"]
    lines = []
    for shape in sorted({k[0] for k in ours}):
        for prec in ("f64", "f32"):
            impl = "trainer" if prec == "f64" and (shape, prec, "trainer") in ours else "kernels"
            mine = ours.get((shape, prec, impl))
            kern = ours.get((shape, prec, "kernels"))
            theirs = torch.get((shape, prec))
            if mine is None:
                continue
            gflops = mine[0] * mine[2] / 1e9
            ratio = f"{mine[0] / theirs[0]:.2f}" if theirs else "-"
            ratio_cpu = f"{mine[1] / torch_cpu[(shape, prec)]:.2f}" if theirs else "-"
            lines.append([shape, prec, f"{mine[0]:,.1f}", impl, f"{low[(shape, prec, impl)]:,.1f}",
                          f"{kern[0]:,.1f}" if kern else "-",
                          f"{theirs[0]:,.1f}" if theirs else "-", theirs[3] if theirs else "-",
                          f"{torch_low[(shape, prec)]:,.1f}" if theirs else "-", ratio, ratio_cpu,
                          f"{gflops:.1f}", f"{100 * gflops / peak[prec]:.0f}%" if prec in peak else "-",
                          f"{100 * gflops / NOMINAL[prec]:.0f}%"])
    show(head, lines, markdown)
    # The same by each side's thread CPU time: what a busy machine's other processes do not inflate.
    print()
    print("by thread CPU time (best round):")
    head2 = ["shape", "prec", "overparam steps/s", "(impl)", "torch steps/s", "ratio", "GFLOP/s", "% of measured peak",
             "% of nominal peak"]
    lines2 = []
    for shape in sorted({k[0] for k in ours}):
        for prec in ("f64", "f32"):
            impl = "trainer" if prec == "f64" and (shape, prec, "trainer") in ours else "kernels"
            mine = ours.get((shape, prec, impl))
            if mine is None or (shape, prec) not in torch_cpu:
                continue
            theirs = torch_cpu[(shape, prec)]
            gflops = mine[1] * mine[2] / 1e9
            lines2.append([shape, prec, f"{mine[1]:,.1f}", impl, f"{theirs:,.1f}", f"{mine[1] / theirs:.2f}",
                           f"{gflops:.1f}", f"{100 * gflops / peak[prec]:.0f}%" if prec in peak else "-",
                           f"{100 * gflops / NOMINAL[prec]:.0f}%"])
    show(head2, lines2, markdown)
    print(f"measured peak (FMA loop, one core): f64 {peak.get('f64', 0):.1f} GFLOP/s, f32 {peak.get('f32', 0):.1f} "
          f"GFLOP/s; nominal (issue 6): f64 55, f32 110")


if __name__ == "__main__":
    main()
