#!/usr/bin/env python3
"""PyTorch baseline: single-thread full-batch GD steps per second on S1..S9.

The same step as overparam's (core/.../bench/GdStepBenchmark.java): the forward pass over all n
points, the half-sum-of-squares loss and its gradient, the backward pass of the trained layers, the
update; the nets of bench_shapes.py. Two implementations, the best counts:
  manual   - hand-written forward/backward into preallocated buffers (mm with out=, in-place ops)
  autograd - the usual loss.backward() and an in-place update under no_grad
Prints one tab-separated line per (shape, precision, implementation): shape, precision, impl,
steps/s by wall time, steps/s by this thread's CPU time (each the best of three timings), flops per
step; the same format as GdStepBenchmark --tsv.
Usage: torch-bench.py [--seconds S] [--precision f64,f32] [S1 ...]
"""
import argparse
import time

import bench_shapes as shapes
import torch

def problem(name, dtype):
    """bench_shapes.problem as torch tensors of dtype (None stays None)."""
    x, y, w, fixed_in, out, scale = shapes.problem(name)
    cast = lambda a: None if a is None else torch.from_numpy(a).to(dtype).contiguous()  # noqa: E731
    return cast(x), cast(y), [cast(t) for t in w], cast(fixed_in), cast(out), scale


def manual_step(name, dtype, lr=1e-9):
    n, d, m = shapes.SHAPES[name][:3]
    x, y, w, fixed_in, out, scale = problem(name, dtype)
    layers = ([fixed_in] if fixed_in is not None else []) + w  # hidden layers, in order
    trained = ([False] if fixed_in is not None else []) + [True] * len(w)
    z = [torch.empty(n, m, dtype=dtype) for _ in layers]
    h = [torch.empty(n, m, dtype=dtype) for _ in layers]
    mask = torch.empty(n, m, dtype=torch.bool)
    f = torch.empty(n, 1, dtype=dtype)
    dout = torch.empty(n, 1, dtype=dtype)
    back = [torch.empty(n, m, dtype=dtype), torch.empty(n, m, dtype=dtype)]
    grads = [torch.empty_like(t) for t in layers]
    out_t = out.t()
    lowest = trained.index(True)

    def step():
        inp = x
        for l, wl in enumerate(layers):
            torch.mm(inp, wl, out=z[l])
            torch.clamp_min(z[l], 0, out=h[l])
            inp = h[l]
        torch.mm(inp, out, out=f)
        if scale != 1.0:
            f.mul_(scale)
        torch.sub(f, y, out=dout)  # dLoss/df of 0.5 sum (f - y)^2
        loss = torch.dot(dout.view(-1), dout.view(-1)).item() * 0.5
        if scale != 1.0:
            dout.mul_(scale)
        cur = back[0]
        torch.mm(dout, out_t, out=cur)
        for l in range(len(layers) - 1, lowest - 1, -1):
            torch.le(z[l], 0, out=mask)
            cur.masked_fill_(mask, 0)
            inp = x if l == 0 else h[l - 1]
            torch.mm(inp.t(), cur, out=grads[l])
            if l > lowest:
                nxt = back[1] if cur is back[0] else back[0]
                torch.mm(cur, layers[l].t(), out=nxt)
                cur = nxt
        for l in range(lowest, len(layers)):
            layers[l].add_(grads[l], alpha=-lr)
        return loss

    return step


def autograd_step(name, dtype, lr=1e-9):
    x, y, w, fixed_in, out, scale = problem(name, dtype)
    for t in w:
        t.requires_grad_(True)

    def step():
        h = x if fixed_in is None else torch.relu(x @ fixed_in)
        for t in w:
            h = torch.relu(h @ t)
        f = (h @ out) * scale
        loss = 0.5 * ((f - y) ** 2).sum()
        loss.backward()
        with torch.no_grad():
            for t in w:
                t.add_(t.grad, alpha=-lr)
                t.grad = None
        return loss.item()

    return step


def rate(step, seconds, reps=3):
    """(best steps/s by wall time, best by CPU time) after a warm-up of a quarter of the budget."""
    t0 = time.perf_counter()
    calls = 0
    while calls < 3 or time.perf_counter() - t0 < seconds / 4:
        step()
        calls += 1
    per = max((time.perf_counter() - t0) / calls, 1e-6)
    count = max(5, int(seconds / reps / per))
    wall = cpu = 0.0
    for _ in range(reps):
        t0 = time.perf_counter()
        c0 = time.thread_time()
        for _ in range(count):
            step()
        wall = max(wall, count / (time.perf_counter() - t0))
        cpu = max(cpu, count / max(time.thread_time() - c0, 1e-9))
    return wall, cpu


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--seconds", type=float, default=6.0, help="per shape, precision and implementation")
    p.add_argument("--precision", default="f64,f32")
    p.add_argument("shapes", nargs="*", default=list(shapes.SHAPES))
    a = p.parse_args()
    torch.set_num_threads(1)
    torch.set_grad_enabled(True)
    print(f"# torch {torch.__version__}, threads {torch.get_num_threads()}, "
          f"{torch.backends.cpu.get_cpu_capability()}", flush=True)
    for name in a.shapes:
        name = name.upper()
        for prec in a.precision.split(","):
            dtype = {"f64": torch.float64, "f32": torch.float32}[prec]
            for impl, make in (("manual", manual_step), ("autograd", autograd_step)):
                wall, cpu = rate(make(name, dtype), a.seconds)
                print(f"{name}\t{prec}\t{impl}\t{wall:.2f}\t{cpu:.2f}\t{shapes.flops_per_step(name)}", flush=True)


if __name__ == "__main__":
    main()
