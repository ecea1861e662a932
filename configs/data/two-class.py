#!/usr/bin/env python3
"""Writes two-class.csv, the example user table of configs/user-data.yaml (python3 two-class.py).

400 points z ~ N(0, I_6) (seeded, so the file is reproducible), stored with different units and
offsets per column (x_j = scale_j * z_j + offset_j, 4 decimals), an id column that is not a feature
(text, so it is skipped), and a text label: "pos" when z1 z2 - z3 z4 > 0, else "neg". The rule is a
quadratic form, so it depends on the direction of z only: after overparam centres the columns and
scales rows to unit norm (normalize: sphere) the classes stay separable, but not linearly.
"""
import random

rng = random.Random(2026)
scales = [1.0, 3.0, 0.5, 2.0, 4.0, 1.0]
offsets = [0.0, 5.0, -1.0, 2.0, 100.0, 0.0]
with open("two-class.csv", "w") as f:
    f.write("id,x1,x2,x3,x4,x5,x6,class\n")
    for i in range(400):
        z = [rng.gauss(0.0, 1.0) for _ in range(6)]
        label = "pos" if z[0] * z[1] - z[2] * z[3] > 0 else "neg"
        x = [f"{s * v + o:.4f}" for s, v, o in zip(scales, z, offsets)]
        f.write(f"p{i:03d}," + ",".join(x) + f",{label}\n")
