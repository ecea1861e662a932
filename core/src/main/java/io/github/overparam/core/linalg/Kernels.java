package io.github.overparam.core.linalg;

/**
 * The vector kernels on raw row-major arrays, in float64 and float32: for the benchmarks and for a
 * float32 training path ({@code precision: f32}, issue 6), which has no EJML matrix type to go
 * through {@link Dense}. Each array's leading dimension is its column count; outputs are written,
 * never allocated, and must not alias an input. Products ({@link Product}): c = a b, c = a^T b or
 * c = a b^T, with c rows x cols and inner the summed dimension.
 *
 * <p>Without {@code jdk.incubator.vector} (or with {@code overparam.kernels=ejml}) the same methods
 * run a scalar fallback ({@link ScalarDoubleKernels}) with the same summation order: slower, and
 * bit-identical, single-column products included (a fixed number of partial sums on every width).
 */
public final class Kernels {
  private Kernels() {}

  private static final boolean VECTOR = Dense.vectorized();

  /** Which product {@link #product} computes. */
  public enum Product {
    /** c = a b. */
    A_B,
    /** c = a^T b. */
    AT_B,
    /** c = a b^T. */
    A_BT
  }

  /** True when the vector kernels run, false on the scalar fallback (same test as {@link Dense#vectorized()}). */
  public static boolean vectorized() {
    return VECTOR;
  }

  /** The vector shapes in use, e.g. "DoubleVector, 8 lanes (512 bits); FloatVector, 16 lanes (512 bits)". */
  public static String describe() {
    return VECTOR ? DoubleKernels.describe() + "; " + FloatKernels.describe() + "; blocking "
        + Blocking.CHOSEN.describe() + (Blocking.WHOLE_PANELS == Blocking.CHOSEN ? ""
            : " (" + Blocking.WHOLE_PANELS.describe() + " where the columns are whole panels of 4 vectors)")
        : "scalar fallback (no jdk.incubator.vector)";
  }

  /** c = a b, a^T b or a b^T. */
  public static void product(Product op, int rows, int cols, int inner, double[] a, double[] b, double[] c) {
    switch (op) {
      case A_B -> mult(rows, cols, inner, 1.0, a, b, c);
      case AT_B -> multTransA(rows, cols, inner, a, b, c);
      case A_BT -> multTransB(rows, cols, inner, a, b, c);
    }
  }

  /**
   * c = a b, a^T b or a b^T with the given register tile and cache blocks (the benchmarks compare
   * them; the result is the same whatever the blocking). The scalar fallback ignores it.
   */
  public static void product(Blocking bl, Product op, int rows, int cols, int inner, double[] a, double[] b,
      double[] c) {
    if (!VECTOR) {
      product(op, rows, cols, inner, a, b, c);
      return;
    }
    switch (op) {
      case A_B -> DoubleKernels.mult(bl, rows, cols, inner, 1.0, a, b, c);
      case AT_B -> DoubleKernels.multTransA(bl, rows, cols, inner, 1.0, a, b, c);
      case A_BT -> DoubleKernels.multTransB(bl, rows, cols, inner, 1.0, a, b, c);
    }
  }

  /**
   * The width (entries) of a packed panel of a blocking's micro-kernel: its vectors times this JVM's
   * lanes, in float64 or float32 (benchmarks of the kernel alone).
   */
  public static int panelWidth(Blocking bl, boolean f32) {
    return bl.vectors() * (f32 ? FloatKernels.VL : DoubleKernels.VL);
  }

  /** The entries of {@code a} before its first on a 64-byte cache line (0 when unknown). */
  public static int lineSkip(double[] a) {
    return Alignment.skip(new Object[1], a, Double.BYTES);
  }

  /** {@link #lineSkip(double[])} of a float array. */
  public static int lineSkip(float[] a) {
    return Alignment.skip(new Object[1], a, Float.BYTES);
  }

  /**
   * One call of the packed products' micro-kernel alone (benchmarks): c (bl.rows() x {@link
   * #panelWidth}, rows that far apart, from entry c0) continues its chains (or starts them when
   * first) by a tile of the packed left factor (pa from entry 0: a 4-row tile row by row, A(r, p) at
   * r * kc + p; a 6-row one step by step, at 6 * p + r)
   * times a panel read from entry {@code pbo} of pb ({@link #panelWidth} entries a step), kc steps.
   * Needs the vector kernels.
   */
  public static void microKernel(Blocking bl, double[] pa, double[] pb, int pbo, int kc, boolean first, double[] c,
      int c0) {
    int pw = panelWidth(bl, false);
    DoublePackedKernels.micro(bl.rows(), pw, pa, 0, kc, pb, pbo, kc, first, 1.0, false, c, c0, pw);
  }

  /** {@link #microKernel(Blocking, double[], double[], int, int, boolean, double[], int)} in float. */
  public static void microKernel(Blocking bl, float[] pa, float[] pb, int pbo, int kc, boolean first, float[] c,
      int c0) {
    int pw = panelWidth(bl, true);
    FloatPackedKernels.micro(bl.rows(), pw, pa, 0, kc, pb, pbo, kc, first, 1f, false, c, c0, pw);
  }

  /** {@link #product(Blocking, Product, int, int, int, double[], double[], double[])} in float. */
  public static void product(Blocking bl, Product op, int rows, int cols, int inner, float[] a, float[] b,
      float[] c) {
    if (!VECTOR) {
      product(op, rows, cols, inner, a, b, c);
      return;
    }
    switch (op) {
      case A_B -> FloatKernels.mult(bl, rows, cols, inner, 1f, a, b, c);
      case AT_B -> FloatKernels.multTransA(bl, rows, cols, inner, 1f, a, b, c);
      case A_BT -> FloatKernels.multTransB(bl, rows, cols, inner, 1f, a, b, c);
    }
  }

  /** c = a b, a^T b or a b^T, in float. */
  public static void product(Product op, int rows, int cols, int inner, float[] a, float[] b, float[] c) {
    switch (op) {
      case A_B -> mult(rows, cols, inner, 1f, a, b, c);
      case AT_B -> multTransA(rows, cols, inner, a, b, c);
      case A_BT -> multTransB(rows, cols, inner, a, b, c);
    }
  }

  /** c (rows x cols) = alpha a b, a (rows x inner), b (inner x cols). */
  public static void mult(int rows, int cols, int inner, double alpha, double[] a, double[] b, double[] c) {
    if (VECTOR) {
      DoubleKernels.mult(rows, cols, inner, alpha, a, b, c);
    } else {
      ScalarDoubleKernels.mult(rows, cols, inner, alpha, a, b, c);
    }
  }

  /** c (rows x cols) = alpha a b in float. */
  public static void mult(int rows, int cols, int inner, float alpha, float[] a, float[] b, float[] c) {
    if (VECTOR) {
      FloatKernels.mult(rows, cols, inner, alpha, a, b, c);
    } else {
      ScalarFloatKernels.mult(rows, cols, inner, alpha, a, b, c);
    }
  }

  /** c (rows x cols) = a^T b, a (inner x rows), b (inner x cols). */
  public static void multTransA(int rows, int cols, int inner, double[] a, double[] b, double[] c) {
    if (VECTOR) {
      DoubleKernels.multTransA(rows, cols, inner, 1, a, b, c);
    } else {
      ScalarDoubleKernels.multTransA(rows, cols, inner, 1, a, b, c);
    }
  }

  /** c (rows x cols) = a^T b in float. */
  public static void multTransA(int rows, int cols, int inner, float[] a, float[] b, float[] c) {
    if (VECTOR) {
      FloatKernels.multTransA(rows, cols, inner, 1, a, b, c);
    } else {
      ScalarFloatKernels.multTransA(rows, cols, inner, 1, a, b, c);
    }
  }

  /** c (rows x cols) = a b^T, a (rows x inner), b (cols x inner). */
  public static void multTransB(int rows, int cols, int inner, double[] a, double[] b, double[] c) {
    if (VECTOR) {
      DoubleKernels.multTransB(rows, cols, inner, 1, a, b, c);
    } else {
      ScalarDoubleKernels.multTransB(rows, cols, inner, 1, a, b, c);
    }
  }

  /** c (rows x cols) = a b^T in float. */
  public static void multTransB(int rows, int cols, int inner, float[] a, float[] b, float[] c) {
    if (VECTOR) {
      FloatKernels.multTransB(rows, cols, inner, 1, a, b, c);
    } else {
      ScalarFloatKernels.multTransB(rows, cols, inner, 1, a, b, c);
    }
  }

  /** h = max(z, 0) over the first size entries. */
  public static void relu(double[] z, double[] h, int size) {
    if (VECTOR) {
      DoubleKernels.relu(z, h, size);
    } else {
      ScalarDoubleKernels.relu(z, h, size);
    }
  }

  /** h = max(z, 0) over the first size entries, in float. */
  public static void relu(float[] z, float[] h, int size) {
    if (VECTOR) {
      FloatKernels.relu(z, h, size);
    } else {
      ScalarFloatKernels.relu(z, h, size);
    }
  }

  /** g = 0 where z <= 0 or NaN. */
  public static void reluMask(double[] g, double[] z, int size) {
    if (VECTOR) {
      DoubleKernels.reluMask(g, z, size);
    } else {
      ScalarDoubleKernels.reluMask(g, z, size);
    }
  }

  /** g = 0 where z <= 0 or NaN, in float. */
  public static void reluMask(float[] g, float[] z, int size) {
    if (VECTOR) {
      FloatKernels.reluMask(g, z, size);
    } else {
      ScalarFloatKernels.reluMask(g, z, size);
    }
  }

  /** w += alpha g. */
  public static void addScaled(double[] w, double alpha, double[] g, int size) {
    if (VECTOR) {
      DoubleKernels.addScaled(w, alpha, g, size);
    } else {
      ScalarDoubleKernels.addScaled(w, alpha, g, size);
    }
  }

  /** w += alpha g, in float. */
  public static void addScaled(float[] w, float alpha, float[] g, int size) {
    if (VECTOR) {
      FloatKernels.addScaled(w, alpha, g, size);
    } else {
      ScalarFloatKernels.addScaled(w, alpha, g, size);
    }
  }

  /** z (rows x cols) = alpha a b and h = max(z, 0), the ReLU fused into the product's tiles. */
  public static void multRelu(int rows, int cols, int inner, double alpha, double[] a, double[] b, double[] z,
      double[] h) {
    if (VECTOR) {
      DoubleKernels.multRelu(rows, cols, inner, alpha, a, b, z, h);
    } else {
      ScalarDoubleKernels.multRelu(rows, cols, inner, alpha, a, b, z, h);
    }
  }

  /** z = alpha a b and h = max(z, 0), in float. */
  public static void multRelu(int rows, int cols, int inner, float alpha, float[] a, float[] b, float[] z,
      float[] h) {
    if (VECTOR) {
      FloatKernels.multRelu(rows, cols, inner, alpha, a, b, z, h);
    } else {
      ScalarFloatKernels.multRelu(rows, cols, inner, alpha, a, b, z, h);
    }
  }

  /**
   * c (rows x cols) = alpha a b^T where gate > 0, else 0 (a rows x inner, b cols x inner): the
   * backpropagated delta through the ReLU mask in one pass; inner = 1 is the two-layer case.
   */
  public static void multTransBMasked(int rows, int cols, int inner, double alpha, double[] a, double[] b,
      double[] gate, double[] c) {
    if (VECTOR) {
      DoubleKernels.multTransBMasked(rows, cols, inner, alpha, a, b, gate, c);
    } else {
      ScalarDoubleKernels.multTransBMasked(rows, cols, inner, alpha, a, b, gate, c);
    }
  }

  /** The masked backpropagated delta, in float. */
  public static void multTransBMasked(int rows, int cols, int inner, float alpha, float[] a, float[] b,
      float[] gate, float[] c) {
    if (VECTOR) {
      FloatKernels.multTransBMasked(rows, cols, inner, alpha, a, b, gate, c);
    } else {
      ScalarFloatKernels.multTransBMasked(rows, cols, inner, alpha, a, b, gate, c);
    }
  }

  /**
   * grad (d x m) = x^T ((delta a^T) where gate > 0, else 0): the first-layer gradient of a two-layer
   * ReLU net with one output (x n x d, delta n, a m, gate n x m). With few inputs (d <= 16; the units
   * left of a vector in scalar tiles, half a vector of units in paired rows) in one fused pass;
   * otherwise x^T times the masked outer product, formed as the product packs its panels where the
   * product is packed, else written into {@code scratch} (n x m) first. The same bits either way,
   * and as those two products.
   */
  public static void reluOuterGradient(int n, int d, int m, double[] x, double[] delta, double[] a, double[] gate,
      double[] scratch, double[] grad) {
    reluOuterGradient(n, d, m, x, delta, a, gate, null, scratch, grad);
  }

  /**
   * {@link #reluOuterGradient} with gate also as bytes (entry i m + j 1 exactly where gate is > 0,
   * else 0, as {@link #reluForward} writes them on {@link #gateBytes} shapes; null if not at hand):
   * where the masked outer product is formed as the product packs its panels, it reads the bytes
   * instead of the doubles of gate. The same bits of grad.
   */
  public static void reluOuterGradient(int n, int d, int m, double[] x, double[] delta, double[] a, double[] gate,
      byte[] gateBytes, double[] scratch, double[] grad) {
    if (!VECTOR) {
      ScalarDoubleKernels.reluOuterGradient(n, d, m, x, delta, a, gate, grad);
    } else if (fused(d, m)) {
      DoubleTwoLayerKernels.reluOuterGradient(n, d, m, x, delta, a, gate, grad);
    } else {
      DoubleKernels.maskedOuterGradient(n, d, m, x, delta, a, gate, gateBytes, scratch, grad);
    }
  }

  /** {@link #reluOuterGradient} in float. */
  public static void reluOuterGradient(int n, int d, int m, float[] x, float[] delta, float[] a, float[] gate,
      float[] scratch, float[] grad) {
    if (!VECTOR) {
      ScalarFloatKernels.reluOuterGradient(n, d, m, x, delta, a, gate, grad);
    } else if (fused(d, m)) {
      FloatTwoLayerKernels.reluOuterGradient(n, d, m, x, delta, a, gate, grad);
    } else {
      FloatKernels.maskedOuterGradient(n, d, m, x, delta, a, gate, null, scratch, grad);
    }
  }

  /**
   * h (n x m) = max(x w, 0), f (n) = alpha h a: the forward pass of a two-layer ReLU net with one
   * output (x n x d, w d x m, a m). With few inputs (d <= 16) and at least one block of partial sums
   * (m >= 8 in float64, 16 in float32: narrower units would all go through the fused pass's scalar
   * tail), or half a vector of units (two rows per vector), in one fused pass that does not store
   * the pre-activations x w; otherwise {@link #multRelu} rectifying x w in place in h, then {@link
   * #mult}. The same bits of h and f either way. z (n x m) is not written (it may be h itself; its
   * contents are unspecified afterwards): h > 0 exactly where x w > 0, so h is the gate and the
   * activation pattern.
   */
  public static void reluForward(int n, int d, int m, double alpha, double[] x, double[] w, double[] a, double[] z,
      double[] h, double[] f) {
    reluForward(n, d, m, alpha, x, w, a, z, h, f, null);
  }

  /**
   * {@link #reluForward} that also writes h's gates into gateBytes (n x m) on {@link #gateBytes}
   * shapes: entry i m + j 1 exactly where h is > 0, else 0, from each row of tiles of h just written
   * ({@link #reluOuterGradient} then reads them). gateBytes must be null elsewhere.
   */
  public static void reluForward(int n, int d, int m, double alpha, double[] x, double[] w, double[] a, double[] z,
      double[] h, double[] f, byte[] gateBytes) {
    if (gateBytes != null && !gateBytes(n, d, m)) {
      throw new IllegalArgumentException("reluForward: n " + n + ", d " + d + ", m " + m
          + " does not write gate bytes (gateBytes(n, d, m) is false): pass null");
    }
    if (VECTOR && fused(d, m) && DoubleTwoLayerKernels.pairs(m)) {
      DoubleTwoLayerKernels.reluForwardPairs(n, d, m, alpha, x, w, a, h, f);
    } else if (VECTOR && DoubleTwoLayerKernels.FORWARD && fused(d, m) && m >= DoubleKernels.PARTIALS) {
      DoubleTwoLayerKernels.reluForward(n, d, m, alpha, x, w, a, h, f);
    } else if (forwardRows(n, d, m)) {
      DoubleKernels.reluForwardRows(n, d, m, alpha, x, w, a, h, gateBytes, f);
    } else {
      // x w is rectified in place in h, tile by tile: z is not written (one n x m pass fewer).
      multRelu(n, m, d, 1, x, w, h, h);
      mult(n, 1, m, alpha, h, a, f);
    }
  }

  /**
   * Whether a float64 two-layer forward pass on n points, d inputs and m units sums f from the tiles
   * of x w as they are computed ({@link DoublePackedKernels#reluForwardRows}: h written as by {@link
   * #multRelu}, not read back for f = h a) instead of {@link #multRelu} then {@link #mult}: the same
   * bits, one n x m pass fewer. On the vector kernels, past the fused passes' d <= 16, within one
   * inner block ({@link Blocking#kb}) and where x w takes the packed product: S2's and S3's forward
   * passes, whose steps took 4% and 9% less time (docs/benchmarks.md, 2026-12-04). {@code
   * -Doverparam.kernels.forwardRows=false} keeps the two passes (for measurement).
   */
  public static boolean forwardRows(int n, int d, int m) {
    boolean shape = !fused(d, m) && m > 1 && d <= Blocking.CHOSEN.kb();
    return VECTOR && FORWARD_ROWS && shape && DoubleKernels.packed(n, m, d);
  }

  private static final boolean FORWARD_ROWS = !"false".equals(System.getProperty("overparam.kernels.forwardRows"));

  /**
   * Whether the float64 two-layer forward pass on n points, d inputs and m units writes its gates
   * as bytes too ({@link #reluForward} with gateBytes), for a gradient that forms its masked outer
   * product in packed panels: on {@link #forwardRows} shapes whose gradient takes the packed
   * product. The gradient then reads a byte a gate instead of an entry of h (S2's gradient packed
   * its panels from 8 MB of h, mostly out of cache). {@code -Doverparam.kernels.gateBytes=false}
   * keeps h only (for measurement).
   */
  public static boolean gateBytes(int n, int d, int m) {
    return GATE_BYTES && forwardRows(n, d, m) && DoubleKernels.packed(d, m, n);
  }

  private static final boolean GATE_BYTES = !"false".equals(System.getProperty("overparam.kernels.gateBytes"));

  /** {@link #reluForward} in float. */
  public static void reluForward(int n, int d, int m, float alpha, float[] x, float[] w, float[] a, float[] z,
      float[] h, float[] f) {
    if (VECTOR && fused(d, m) && FloatTwoLayerKernels.pairs(m)) {
      FloatTwoLayerKernels.reluForwardPairs(n, d, m, alpha, x, w, a, h, f);
    } else if (VECTOR && FloatTwoLayerKernels.FORWARD && fused(d, m) && m >= FloatKernels.PARTIALS) {
      FloatTwoLayerKernels.reluForward(n, d, m, alpha, x, w, a, h, f);
    } else {
      multRelu(n, m, d, 1f, x, w, h, h);
      mult(n, 1, m, alpha, h, a, f);
    }
  }

  /**
   * Whether the fused passes pay: few inputs (the gradient makes one pass over the data per 10 of
   * them), any number of units. They were limited to 256 units until measured wider: S1 (m 1,000)
   * takes 1.5 (f32) to 1.7 (f64) times the steps/s through them that it took through the packed
   * products on 512-bit vectors (docs/benchmarks.md, 2026-12-01).
   */
  static boolean fused(int d, int m) {
    return d <= 16;
  }

  /**
   * Whether a two-layer ReLU net with one output whose output layer is fixed trains in float32
   * through its gate panels ({@link #reluForwardPanels}, {@link #reluPanelGradient}) on n points,
   * d inputs and m units: on the vector kernels, inputs past the fused passes' d <= 16 and within
   * one inner block ({@link Blocking#kb}), and a gradient large enough to take the packed product.
   * There the forward pass writes each gate once and stores no h; the masked right factor of the
   * gradient is never formed (S2 and S3 float32, docs/benchmarks.md, 2026-12-03).
   * {@code -Doverparam.kernels.gatePanels=false} keeps the masked path (for measurement).
   */
  public static boolean gatePanels(int n, int d, int m) {
    return VECTOR && GATE_PANELS && !fused(d, m) && m > 1 && d <= Blocking.CHOSEN.kb() && FloatKernels.packed(d, m, n);
  }

  private static final boolean GATE_PANELS = !"false".equals(System.getProperty("overparam.kernels.gatePanels"));

  /**
   * The entries of an array for the float32 gate panels of {@link #reluForwardPanels} for n points
   * and m units (with room to start them on a cache line).
   */
  public static int gatePanelSize(int n, int m) {
    return n * FloatPackedKernels.panelColumns(Blocking.CHOSEN, m) + Alignment.LINE / Float.BYTES;
  }

  /**
   * f (n) = alpha max(x w, 0) a with the bits of {@link #reluForward}'s f, for {@link #gatePanels}
   * shapes; the activation pattern goes into gates ({@link #gatePanelSize} entries: 1 where x w >
   * 0, else 0, in the layout {@link #reluPanelGradient} reads; {@link #gatePattern} reads it back),
   * and h is not stored. Returns the entry of gates the panels start from (the first on a cache
   * line, at this call), for {@link #reluPanelGradient} and {@link #gatePattern}.
   */
  public static int reluForwardPanels(int n, int d, int m, float alpha, float[] x, float[] w, float[] a,
      float[] gates, float[] f) {
    return FloatKernels.reluForwardPanels(n, d, m, alpha, x, w, a, gates, f);
  }

  /**
   * grad (d x m) = the first-layer gradient of a two-layer ReLU net with one output, from the gates
   * of {@link #reluForwardPanels}: entry (k, j) = a_j times the chain of fused multiply-adds over
   * the points i (in order) of (x_ik delta_i, rounded) where gate_ij is 1, with x given transposed
   * (xT, d x n, row-major). The same sum as {@link #reluOuterGradient}, rounded in another order:
   * each point's x scaled by its delta, a_j applied once at the end (float32 only;
   * docs/benchmarks.md, 2026-12-03).
   */
  public static void reluPanelGradient(int n, int d, int m, float[] xT, float[] delta, float[] a, float[] gates,
      int g0, float[] grad) {
    FloatKernels.panelGradient(n, d, m, xT, delta, a, gates, g0, grad);
  }

  /** xT (cols x rows) = x^T for a row-major x (rows x cols). */
  public static void transpose(int rows, int cols, float[] x, float[] xT) {
    FloatKernels.transpose(rows, cols, x, xT);
  }

  /**
   * The activation pattern in gates ({@link #reluForwardPanels}) as bit i m + j of bits for point i
   * and unit j; with {@code count}, the number of entries whose pattern differs from bits instead
   * (bits unchanged). d is the net's inputs, as {@link #reluForwardPanels} had it: the layout
   * depends on it.
   */
  public static long gatePattern(int n, int d, int m, float[] gates, int g0, long[] bits, boolean count) {
    return FloatPackedKernels.gatePattern(Blocking.CHOSEN, n, d, m, gates, g0, bits, count);
  }

  /** A float copy (rounded to nearest). */
  public static float[] toFloat(double[] v) {
    float[] out = new float[v.length];
    for (int e = 0; e < v.length; e++) {
      out[e] = (float) v[e];
    }
    return out;
  }
}
