#!/usr/bin/env python3
"""JAX baseline: single-thread full-batch GD steps per second on the reference shapes S1..S9.

The same step as overparam's (core/.../bench/GdStepBenchmark.java) and torch-bench.py's: the
forward pass over all n points, the half-sum-of-squares loss, its gradient with respect to the
trained layers (jax.value_and_grad), the update; the nets of bench_shapes.py.
What a JAX user would write for many small nets on a CPU:
  jit      - jax.jit of the whole training loop (lax.fori_loop over the steps), one net
  vmap8    - the same loop vmapped over an ensemble of 8 nets, each with its own data and weights;
             the figure is steps per second per net (8 x loop steps / time)
Prints one tab-separated line per (shape, precision, implementation): shape, precision, impl,
steps/s by wall time, steps/s by this process's CPU time (each the best of `--reps` timings),
flops per step (per net); the format of GdStepBenchmark --tsv. With --window-steps N: timings of N
steps each (a run's length), impl printed as impl@N, the median and the best timing's steps/s in the
two steps/s columns (what bin/bench-sweeps-vs-jax compares a sweep's median and fastest run with).
XLA runs on one thread (XLA_FLAGS and the CPU affinity set by the caller: taskset -c 0).
Usage: jax-bench.py [--seconds S] [--precision f64,f32] [--impl jit,vmap8] [--window-steps N [--windows K]] [S1 ...]
"""
import os

os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")
os.environ.setdefault("JAX_PLATFORMS", "cpu")

import argparse  # noqa: E402
import time  # noqa: E402

import jax  # noqa: E402

jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp  # noqa: E402
from bench_shapes import NARROW, SHAPES, flops_per_step, problem  # noqa: E402

ENSEMBLE = 8


def make_loop(fixed, scale, lr):
    """loop(x, y, trained, fixed_in, out, steps) -> (trained, last loss): steps GD updates."""

    def loss(trained, x, y, fixed_in, out):
        h = jax.nn.relu(x @ fixed_in) if fixed else x
        for w in trained:
            h = jax.nn.relu(h @ w)
        r = (h @ out) * scale - y
        return 0.5 * jnp.sum(r * r)

    value_and_grad = jax.value_and_grad(loss)

    def loop(x, y, trained, fixed_in, out, steps):
        def body(_, carry):
            w, _last = carry
            value, grads = value_and_grad(w, x, y, fixed_in, out)
            return [wi - lr * gi for wi, gi in zip(w, grads)], value

        return jax.lax.fori_loop(0, steps, body, (trained, jnp.zeros((), x.dtype)))

    return loop


def runner(name, prec, impl, lr=1e-9):
    """A function of a step count that runs that many steps (blocking) and returns nets x steps."""
    dtype = {"f64": jnp.float64, "f32": jnp.float32}[prec]
    nets = 1 if impl == "jit" else ENSEMBLE
    each = []
    for seed in range(nets):
        x, y, trained, fixed_in, out, scale = problem(name, seed)
        fixed = fixed_in is not None
        cast = lambda a: jnp.asarray(a, dtype=dtype)  # noqa: E731
        each.append((cast(x), cast(y), [cast(w) for w in trained], cast(fixed_in if fixed else [[0.0]]), cast(out)))
    loop = make_loop(fixed, scale, lr)
    if impl == "jit":
        args = each[0]
        fn = jax.jit(loop, static_argnums=5)
    else:
        stack = lambda i: jnp.stack([e[i] for e in each])  # noqa: E731
        args = (stack(0), stack(1), [jnp.stack([e[2][k] for e in each]) for k in range(len(each[0][2]))],
                stack(3), stack(4))
        fn = jax.jit(jax.vmap(loop, in_axes=(0, 0, 0, 0, 0, None)), static_argnums=5)

    def run(steps):
        w, value = fn(*args, steps)
        jax.block_until_ready((w, value))
        return nets * steps

    return run


def rate(run, seconds, reps):
    """(best net-steps/s by wall time, best by CPU time) after a warm-up (compilation included)."""
    run(1)
    steps = 16
    t0 = time.perf_counter()
    run(steps)  # compiles the loop for this step count
    while True:
        t0 = time.perf_counter()
        done = run(steps)
        per = (time.perf_counter() - t0) / done
        if time.perf_counter() - t0 > 0.05 or steps > 1 << 22:
            break
        steps *= 4
    count = max(steps, int(seconds / reps / per / (done / steps)))
    run(count)  # compile for this count and warm up
    wall = cpu = 0.0
    for _ in range(reps):
        t0 = time.perf_counter()
        c0 = time.process_time()
        done = run(count)
        wall = max(wall, done / (time.perf_counter() - t0))
        cpu = max(cpu, done / max(time.process_time() - c0, 1e-9))
    return wall, cpu


def windows(run, steps, seconds, count):
    """(median, best) net-steps/s by wall time over timings of `steps` steps each (a run's length),
    as many as fit in `seconds` and at least `count`, after a compile and warm-up call: the
    statistics a sweep's runs/ gives for its runs (median run, fastest run)."""
    run(steps)  # compiles the loop for this step count
    run(steps)
    rates = []
    t_end = time.perf_counter() + seconds
    while len(rates) < count or time.perf_counter() < t_end:
        t0 = time.perf_counter()
        done = run(steps)
        rates.append(done / (time.perf_counter() - t0))
    rates.sort()
    mid = len(rates) // 2
    median = rates[mid] if len(rates) % 2 else (rates[mid - 1] + rates[mid]) / 2
    return median, rates[-1]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--seconds", type=float, default=6.0, help="per shape, precision and implementation")
    p.add_argument("--precision", default="f64,f32")
    p.add_argument("--impl", default="jit,vmap8", help="vmap8 runs on the narrow shapes " + ",".join(NARROW))
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--window-steps", type=int, default=0,
                   help="time loops of this many steps (a run's length), as many as fit in --seconds and at least "
                        "--windows; print impl@STEPS with the median and the best window's steps/s (per net) in the "
                        "two steps/s columns")
    p.add_argument("--windows", type=int, default=5)
    p.add_argument("shapes", nargs="*", default=list(SHAPES))
    a = p.parse_args()
    print(f"# jax {jax.__version__}, {jax.devices()[0].platform}, "
          f"XLA_FLAGS={os.environ.get('XLA_FLAGS', '')}, affinity {sorted(os.sched_getaffinity(0))}", flush=True)
    for name in a.shapes:
        name = name.upper()
        for prec in a.precision.split(","):
            for impl in a.impl.split(","):
                if impl == "vmap8" and name not in NARROW:
                    continue
                if a.window_steps > 0:
                    median, best = windows(runner(name, prec, impl), a.window_steps, a.seconds, a.windows)
                    print(f"{name}\t{prec}\t{impl}@{a.window_steps}\t{median:.2f}\t{best:.2f}\t{flops_per_step(name)}",
                          flush=True)
                    continue
                wall, cpu = rate(runner(name, prec, impl), a.seconds, a.reps)
                print(f"{name}\t{prec}\t{impl}\t{wall:.2f}\t{cpu:.2f}\t{flops_per_step(name)}", flush=True)


if __name__ == "__main__":
    main()
