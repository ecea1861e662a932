"""The reference shapes of overparam's benchmarks, shared by torch-bench.py and jax-bench.py.

Same nets as core/.../bench/GdStepBenchmark.java: two-layer = Du et al. (f = m^-1/2 relu(X W) a,
a fixed, W trained); allen_zhu = Allen-Zhu et al. (fixed input layer A, L trained m x m layers,
fixed output B); zou = Zou et al. (L trained layers from the input, fixed +-1 output). Full-batch
GD on the half sum of squares; inputs on the unit sphere, Gaussian labels.
"""
import math

import numpy as np

# name: (n, d, m, L, kind)
SHAPES = {
    "S1": (100, 10, 1000, 1, "du"),
    "S2": (1000, 100, 1000, 1, "du"),
    "S3": (200, 50, 10000, 1, "du"),
    "S4": (500, 50, 128, 3, "allen_zhu"),
    "S5": (500, 50, 512, 3, "allen_zhu"),
    "S6": (128, 10, 8, 1, "du"),
    "S7": (256, 10, 32, 1, "du"),
    "S8": (64, 10, 16, 3, "zou"),
    "S9": (1024, 10, 64, 1, "du"),
}
# Where critical widths live: the shapes a study trains by the thousand (ensembles in JAX).
NARROW = ("S6", "S7", "S8", "S9")


def layers(name):
    """[(fan_in, fan_out, trained)] of the shape's layers, the output layer last."""
    n, d, m, depth, kind = SHAPES[name]
    if kind == "du":
        return [(d, m, True), (m, 1, False)]
    if kind == "allen_zhu":
        return [(d, m, False)] + [(m, m, True)] * depth + [(m, 1, False)]
    return [(d, m, True)] + [(m, m, True)] * (depth - 1) + [(m, 1, False)]


def flops_per_step(name):
    """As Network.forwardFlops + backwardFlops (LayerShapes): multiply-adds count 2."""
    n = SHAPES[name][0]
    ls = layers(name)
    forward = sum(2 * n * a * b for a, b, _ in ls)
    lowest = min(i for i, (_, _, t) in enumerate(ls) if t)
    backward = 0
    for i in range(len(ls) - 1, lowest - 1, -1):
        size = ls[i][0] * ls[i][1]
        if ls[i][2]:
            backward += 2 * n * size + 2 * size
        if i > lowest:
            backward += 2 * n * size
    return forward + backward


def problem(name, seed=0):
    """float64 numpy arrays (x, y, trained layers, fixed input layer or None, output layer, output scale)."""
    n, d, m, depth, kind = SHAPES[name]
    g = np.random.default_rng(seed)
    x = g.standard_normal((n, d))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    y = g.standard_normal((n, 1))
    std = math.sqrt(2 / m)
    if kind == "du":
        return x, y, [g.standard_normal((d, m))], None, np.sign(g.standard_normal((m, 1))), 1 / math.sqrt(m)
    if kind == "allen_zhu":
        fixed_in = g.standard_normal((d, m)) * std
        trained = [g.standard_normal((m, m)) * std for _ in range(depth)]
        return x, y, trained, fixed_in, g.standard_normal((m, 1)), 1.0
    trained = [g.standard_normal((d, m)) * std] + [g.standard_normal((m, m)) * std for _ in range(depth - 1)]
    out = np.where(np.arange(m) < (m + 1) // 2, 1.0, -1.0).reshape(m, 1)
    return x, y, trained, None, out, 1.0
