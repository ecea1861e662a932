package io.github.overparam.core.linalg;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Bytes the packed products allocate per call once compiled, for PackedProductAllocationTest in a
 * JVM of its own ({@link io.github.overparam.core.FreshJvm}): a b, a^T b and a b^T, float64 and
 * float32, 130 x 96 with 300 inner indices, with the blocking of this JVM, 200 calls at a time
 * until below 1 byte a call (at least 30 times, on for up to 30 s). Prints {@code bytes/call X}, or
 * {@code not packed} where the vector kernels or the packed path are not in use.
 */
public final class PackedProductAllocationProbe {
  private PackedProductAllocationProbe() {}

  public static void main(String[] args) {
    if (!Dense.vectorized() || !DoubleKernels.packed(130, 96, 300)) {
      System.out.println("not packed");
      return;
    }
    int rows = 130;
    int cols = 96;
    int inner = 300;
    SplittableRandom rng = new SplittableRandom(5);
    double[] a = new double[rows * inner];
    double[] b = new double[inner * cols];
    double[] c = new double[rows * cols];
    for (int e = 0; e < a.length; e++) {
      a[e] = rng.nextDouble(-1, 1);
    }
    for (int e = 0; e < b.length; e++) {
      b[e] = rng.nextDouble(-1, 1);
    }
    float[] fa = Kernels.toFloat(a);
    float[] fb = Kernels.toFloat(b);
    float[] fc = new float[rows * cols];
    Blocking bl = Blocking.CHOSEN;
    Runnable products = () -> {
      DoubleKernels.mult(bl, rows, cols, inner, 1, a, b, c);
      DoubleKernels.multTransA(bl, rows, cols, inner, 1, a, b, c);
      DoubleKernels.multTransB(bl, rows, cols, inner, 1, a, b, c);
      FloatKernels.multTransB(bl, rows, cols, inner, 1, fa, fb, fc);
      FloatKernels.mult(bl, rows, cols, inner, 1, fa, fb, fc);
      FloatKernels.multTransA(bl, rows, cols, inner, 1, fa, fb, fc);
    };
    var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    // Until the JIT has compiled the kernels, each vector operation allocates its result: repeat
    // until the steady state shows, on a busy machine too.
    double perCall = Double.NaN;
    // At least 30 attempts, and on for up to 30 s while the compiler is still busy (a loaded CI machine).
    long deadline = System.nanoTime() + 30_000_000_000L;
    for (int attempt = 0; !(perCall < 1) && (attempt < 30 || System.nanoTime() < deadline); attempt++) {
      long before = bean.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < 200; i++) {
        products.run();
      }
      perCall = (bean.getCurrentThreadAllocatedBytes() - before) / 200.0;
    }
    System.out.printf(Locale.ROOT, "bytes/call %.3f%n", perCall);
  }
}
