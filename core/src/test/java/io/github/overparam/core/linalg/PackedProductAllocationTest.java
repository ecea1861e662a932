package io.github.overparam.core.linalg;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The packed products allocate nothing once compiled: a b, a^T b (its left factor packed down the
 * columns) and a b^T, float64 and float32, with the blocking of this JVM. Vector code whose call
 * sites the JIT does not intrinsify (a second vector species in the same method, say) allocates
 * every vector it makes; AllocationTest's small nets do not reach the packed path.
 */
class PackedProductAllocationTest {

  @Test
  void packedProductsAllocateNothing() {
    assumeTrue(Dense.vectorized(), "vector kernels not available in this JVM");
    int rows = 130;
    int cols = 96;
    int inner = 300;
    assumeTrue(DoubleKernels.packed(rows, cols, inner));
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
    assertTrue(perCall < 1, "the packed products allocate " + perCall + " bytes per call");
  }
}
