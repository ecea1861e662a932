package io.github.overparam.core.linalg;

import java.lang.System.Logger.Level;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The hot-path products and elementwise passes of a training step, in one place: the network calls
 * only these. Every matrix is row-major; outputs are written (reshaped if needed), never allocated,
 * and an output must not be one of the inputs.
 *
 * <p>Two implementations, chosen once when this class is initialized:
 * <ul>
 *   <li>vector kernels ({@link DoubleKernels}: {@code jdk.incubator.vector}, register-blocked, the
 *       wide dimension contiguous; DESIGN.md section 6), used when the JVM was started with
 *       {@code --add-modules=jdk.incubator.vector} (bin/overparam, the Maven build and Spark 4.1
 *       executors all pass it);
 *   <li>EJML's {@code CommonOps_DDRM} (the reference), used otherwise, or when the system property
 *       {@code overparam.kernels=ejml} asks for it. The choice is logged once.
 * </ul>
 * Both are single-threaded with a fixed summation order, so a run is bit-identical from one run to
 * the next, and the vector kernels give the same bits on every vector width (single-column
 * products too: {@link DoubleKernels#PARTIALS}). The two paths agree within about 1e-14 relative,
 * not bitwise.
 */
public final class Dense {
  private Dense() {}

  /**
   * The per-method trap limit the JVM needs for the vector kernels to compile as vectors every time:
   * {@code -XX:PerMethodTrapLimit} (HotSpot's default 100). C2 adds up the traps recorded in every
   * method it inlines into one compilation, and {@code jdk.incubator.vector}'s shared helpers (the
   * operator lookup each vector operation inlines) may carry a few traps each from elsewhere in the
   * JVM; a kernel that inlines them a few dozen times passes 100, and from there C2 guards the calls
   * it inlines by their profiles with a virtual call instead of a trap, the vectors' exact types are
   * lost, and their loads and stores fall back to Java code that allocates a vector per operation.
   * In the packed deep nets' products that happened in 16 of 45 JVMs and made the sweep's runs
   * 3 times slower (docs/benchmarks.md, 2026-12-04 17:07).
   */
  public static final int TRAP_LIMIT = 10_000;

  private static final boolean VECTOR;
  private static final String DESCRIPTION;

  static {
    String wanted = System.getProperty("overparam.kernels", "auto");
    boolean vector = false;
    String why;
    if (wanted.equals("ejml")) {
      why = "EJML (system property overparam.kernels=ejml)";
    } else if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      why = "EJML: module jdk.incubator.vector is not in this JVM; start it with "
          + "--add-modules=jdk.incubator.vector for the vector kernels";
    } else {
      String d;
      try {
        d = DoubleKernels.describe();
        vector = true;
      } catch (LinkageError | RuntimeException e) {
        d = "EJML: the vector kernels failed to load (" + e + ")";
      }
      why = vector ? "vector kernels, " + d : d;
    }
    VECTOR = vector;
    DESCRIPTION = why;
    System.getLogger(Dense.class.getName()).log(vector ? Level.DEBUG : Level.WARNING,
        "overparam hot-path products: " + why);
    int limit = trapLimit();
    if (vector && limit < TRAP_LIMIT) {
      System.getLogger(Dense.class.getName()).log(Level.WARNING, "overparam: this JVM runs with "
          + "-XX:PerMethodTrapLimit=" + limit + "; start it with -XX:PerMethodTrapLimit=" + TRAP_LIMIT
          + " (bin/overparam does; README, \"The JIT's trap limit\"), or the vector kernels may run"
          + " several times slower in some JVMs");
    }
  }

  /** This JVM's {@code -XX:PerMethodTrapLimit}, or {@link #TRAP_LIMIT} where it cannot be read. */
  static int trapLimit() {
    return VmOptions.intOption("PerMethodTrapLimit", TRAP_LIMIT);
  }

  /** True when the vector kernels are in use, false on the EJML path. */
  public static boolean vectorized() {
    return VECTOR;
  }

  /** Which implementation is in use, for logs and provenance ("vector kernels, DoubleVector, 8 lanes ..."). */
  public static String implementation() {
    return DESCRIPTION;
  }

  /** c = alpha a b. a, b not modified; c modified. */
  public static void mult(double alpha, DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
    if (!VECTOR) {
      if (alpha == 1.0) {
        CommonOps_DDRM.mult(a, b, c);
      } else {
        CommonOps_DDRM.mult(alpha, a, b, c);
      }
      return;
    }
    check(a.numCols == b.numRows, a, b, "a b");
    prepare(c, a.numRows, b.numCols, a, b);
    DoubleKernels.mult(a.numRows, b.numCols, a.numCols, alpha, a.data, b.data, c.data);
  }

  /** c = a^T b (the weight gradient: input^T delta). a, b not modified; c modified. */
  public static void multTransA(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
    if (!VECTOR) {
      CommonOps_DDRM.multTransA(a, b, c);
      return;
    }
    check(a.numRows == b.numRows, a, b, "a^T b");
    prepare(c, a.numCols, b.numCols, a, b);
    DoubleKernels.multTransA(a.numCols, b.numCols, a.numRows, 1.0, a.data, b.data, c.data);
  }

  /** c = a b^T (the backpropagated delta: delta W^T). a, b not modified; c modified. */
  public static void multTransB(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
    if (!VECTOR) {
      CommonOps_DDRM.multTransB(a, b, c);
      return;
    }
    check(a.numCols == b.numCols, a, b, "a b^T");
    prepare(c, a.numRows, b.numRows, a, b);
    DoubleKernels.multTransB(a.numRows, b.numRows, a.numCols, 1.0, a.data, b.data, c.data);
  }

  /**
   * z = alpha a b and h = max(z, 0): the forward product with its ReLU fused (each tile rectified
   * while in cache, one memory pass over z instead of two). a, b not modified; z, h modified.
   */
  public static void multRelu(double alpha, DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj z, DMatrixRMaj h) {
    if (!VECTOR) {
      mult(alpha, a, b, z);
      h.reshape(z.numRows, z.numCols);
      relu(z.data, h.data, z.getNumElements());
      return;
    }
    check(a.numCols == b.numRows, a, b, "a b");
    prepare(z, a.numRows, b.numCols, a, b);
    prepare(h, a.numRows, b.numCols, a, b);
    DoubleKernels.multRelu(a.numRows, b.numCols, a.numCols, alpha, a.data, b.data, z.data, h.data);
  }

  /**
   * c = a b^T where gate > 0, else 0: the backpropagated delta (delta W^T) through the ReLU mask of
   * the layer below in one pass. gate has c's shape. a, b, gate not modified; c modified.
   */
  public static void multTransBMasked(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj gate, DMatrixRMaj c) {
    if (!VECTOR) {
      multTransB(a, b, c);
      reluMask(c.data, gate.data, c.getNumElements());
      return;
    }
    check(a.numCols == b.numCols, a, b, "a b^T");
    prepare(c, a.numRows, b.numRows, a, b);
    if (gate.numRows != c.numRows || gate.numCols != c.numCols) {
      throw new IllegalArgumentException("gate is " + gate.numRows + " x " + gate.numCols + ", the product "
          + c.numRows + " x " + c.numCols);
    }
    DoubleKernels.multTransBMasked(a.numRows, b.numRows, a.numCols, 1.0, a.data, b.data, gate.data, c.data);
  }

  /**
   * h = max(x w, 0), f = alpha h a: the forward pass of a two-layer ReLU net with one output, x (n x
   * d), w (d x m), a (m x 1), f (n x 1); the bits of h and f of {@link #multRelu} then {@link #mult},
   * which the EJML path computes. On the vector kernels one pass, h consumed in registers, x w not
   * stored ({@link Kernels#reluForward}): z (n x m) is scratch, its contents unspecified afterwards.
   */
  public static void reluForward(double alpha, DMatrixRMaj x, DMatrixRMaj w, DMatrixRMaj a, DMatrixRMaj z,
      DMatrixRMaj h, DMatrixRMaj f) {
    reluForward(alpha, x, w, a, z, h, f, null);
  }

  /**
   * {@link #reluForward} that also writes h's gates into gateBytes (entry i m + j 1 exactly where h
   * is > 0, else 0) where {@link Kernels#gateBytes} holds for x's rows, x's columns and w's columns;
   * gateBytes must be null elsewhere.
   */
  public static void reluForward(double alpha, DMatrixRMaj x, DMatrixRMaj w, DMatrixRMaj a, DMatrixRMaj z,
      DMatrixRMaj h, DMatrixRMaj f, byte[] gateBytes) {
    if (!VECTOR) {
      multRelu(1.0, x, w, z, h);
      mult(alpha, h, a, f);
      return;
    }
    check(x.numCols == w.numRows, x, w, "x w");
    check(w.numCols == a.numRows && a.numCols == 1, w, a, "w a");
    prepare(z, x.numRows, w.numCols, x, w);
    prepare(h, x.numRows, w.numCols, x, w);
    prepare(f, x.numRows, 1, w, a);
    Kernels.reluForward(x.numRows, x.numCols, w.numCols, alpha, x.data, w.data, a.data, z.data, h.data, f.data,
        gateBytes);
  }

  /**
   * grad = x^T ((delta a^T) where gate > 0, else 0): the first-layer gradient of a two-layer ReLU
   * net with one output, x (n x d), delta (n x 1), a (m x 1), gate (n x m); the same bits as
   * {@link #multTransBMasked} of delta and a into {@code scratch} (n x m) followed by {@link
   * #multTransA} of x and scratch, which is what the EJML path computes, with scratch. On the vector
   * kernels it is one pass with the masked product kept in registers ({@link Kernels#reluOuterGradient}).
   */
  public static void reluOuterGradient(DMatrixRMaj x, DMatrixRMaj delta, DMatrixRMaj a, DMatrixRMaj gate,
      DMatrixRMaj scratch, DMatrixRMaj grad) {
    reluOuterGradient(x, delta, a, gate, null, scratch, grad);
  }

  /**
   * {@link #reluOuterGradient} with gate also as bytes (entry i m + j 1 exactly where gate is > 0,
   * else 0, as {@link #reluForward} writes them), or null: the same bits of grad ({@link
   * Kernels#reluOuterGradient}).
   */
  public static void reluOuterGradient(DMatrixRMaj x, DMatrixRMaj delta, DMatrixRMaj a, DMatrixRMaj gate,
      byte[] gateBytes, DMatrixRMaj scratch, DMatrixRMaj grad) {
    int n = x.numRows;
    int m = a.numRows;
    if (delta.numRows != n || delta.numCols != 1 || a.numCols != 1 || gate.numRows != n || gate.numCols != m) {
      throw new IllegalArgumentException("reluOuterGradient: x " + x.numRows + " x " + x.numCols + ", delta "
          + delta.numRows + " x " + delta.numCols + ", a " + a.numRows + " x " + a.numCols + ", gate " + gate.numRows
          + " x " + gate.numCols + " (needs delta n x 1, a m x 1, gate n x m)");
    }
    if (!VECTOR) {
      multTransBMasked(delta, a, gate, scratch);
      multTransA(x, scratch, grad);
      return;
    }
    grad.reshape(x.numCols, m);
    scratch.reshape(n, m);
    Kernels.reluOuterGradient(n, x.numCols, m, x.data, delta.data, a.data, gate.data, gateBytes, scratch.data,
        grad.data);
  }

  /** h = max(z, 0) over the first {@code size} entries (NaN gives 0). z not modified; h modified. */
  public static void relu(double[] z, double[] h, int size) {
    if (VECTOR) {
      DoubleKernels.relu(z, h, size);
      return;
    }
    for (int e = 0; e < size; e++) {
      double v = z[e];
      h[e] = v > 0 ? v : 0.0;
    }
  }

  /** g = 0 where z <= 0 (or NaN), over the first {@code size} entries: the ReLU backward mask. */
  public static void reluMask(double[] g, double[] z, int size) {
    if (VECTOR) {
      DoubleKernels.reluMask(g, z, size);
      return;
    }
    for (int e = 0; e < size; e++) {
      if (!(z[e] > 0)) {
        g[e] = 0.0;
      }
    }
  }

  /** w += alpha g (the update). g not modified; w modified. */
  public static void addScaled(DMatrixRMaj w, double alpha, DMatrixRMaj g) {
    if (!VECTOR) {
      CommonOps_DDRM.addEquals(w, alpha, g);
      return;
    }
    if (w.numRows != g.numRows || w.numCols != g.numCols) {
      throw new IllegalArgumentException("addScaled: w is " + w.numRows + " x " + w.numCols + ", g is "
          + g.numRows + " x " + g.numCols);
    }
    DoubleKernels.addScaled(w.data, alpha, g.data, w.getNumElements());
  }

  private static void check(boolean ok, DMatrixRMaj a, DMatrixRMaj b, String what) {
    if (!ok) {
      throw new IllegalArgumentException(what + ": inner dimensions differ, a is " + a.numRows + " x " + a.numCols
          + ", b is " + b.numRows + " x " + b.numCols);
    }
  }

  private static void prepare(DMatrixRMaj c, int rows, int cols, DMatrixRMaj a, DMatrixRMaj b) {
    if (c == a || c == b) {
      throw new IllegalArgumentException("the output must not be one of the inputs");
    }
    if (c.numRows != rows || c.numCols != cols) {
      c.reshape(rows, cols);
    }
  }

  /** h = z where gate > 0, else 0: a ReLU whose pattern comes from another net (the surrogate). */
  public static void reluGate(double[] z, double[] gate, double[] h, int size) {
    if (VECTOR) {
      DoubleKernels.reluGate(z, gate, h, size);
      return;
    }
    for (int e = 0; e < size; e++) {
      h[e] = gate[e] > 0 ? z[e] : 0.0;
    }
  }

  /** target += source over the first {@code size} entries. */
  public static void addTo(double[] target, double[] source, int size) {
    if (VECTOR) {
      DoubleKernels.addTo(target, 0, source, 0, size);
      return;
    }
    for (int e = 0; e < size; e++) {
      target[e] += source[e];
    }
  }

  /** target[t + i] += source[s + i] for i < length. */
  public static void addTo(double[] target, int t, double[] source, int s, int length) {
    if (VECTOR) {
      DoubleKernels.addTo(target, t, source, s, length);
      return;
    }
    for (int i = 0; i < length; i++) {
      target[t + i] += source[s + i];
    }
  }

  /** target = alpha source over the first {@code size} entries. */
  public static void scale(double alpha, double[] source, double[] target, int size) {
    if (VECTOR) {
      DoubleKernels.scale(alpha, source, target, size);
      return;
    }
    for (int e = 0; e < size; e++) {
      target[e] = alpha * source[e];
    }
  }
}
