package io.github.overparam.core.bench;

import static io.github.overparam.core.linalg.Kernels.Product.AT_B;
import static io.github.overparam.core.linalg.Kernels.Product.A_B;
import static io.github.overparam.core.linalg.Kernels.Product.A_BT;

import io.github.overparam.core.linalg.Kernels;
import io.github.overparam.core.linalg.Kernels.Product;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * GFLOP/s of each product of the training step at the reference shapes' sizes, float64 and float32,
 * single-threaded: which product limits a step. Figures, not a test.
 *
 * <p>Usage: {@code KernelBenchmark [seconds-per-case]}. Needs {@code --add-modules=jdk.incubator.vector}.
 */
public final class KernelBenchmark {
  private KernelBenchmark() {}

  public static void main(String[] args) {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 1.0;
    // (label, product, rows, cols, inner).
    Object[][] cases = {
        {"S1 fwd X W", A_B, 100, 1000, 10}, {"S1 grad X^T D", AT_B, 10, 1000, 100},
        {"S2 fwd X W", A_B, 1000, 1000, 100}, {"S2 grad X^T D", AT_B, 100, 1000, 1000},
        {"S3 fwd X W", A_B, 200, 10000, 50}, {"S3 grad X^T D", AT_B, 50, 10000, 200},
        {"S4 fwd H W", A_B, 500, 128, 128}, {"S4 grad H^T D", AT_B, 128, 128, 500}, {"S4 back D W^T", A_BT, 500, 128,
            128},
        {"S5 fwd H W", A_B, 500, 512, 512}, {"S5 grad H^T D", AT_B, 512, 512, 500}, {"S5 back D W^T", A_BT, 500, 512,
            512},
        {"S5 fwd X A", A_B, 500, 512, 50}, {"1024^3", A_B, 1024, 1024, 1024},
    };
    System.out.println("# " + Kernels.describe());
    System.out.printf(Locale.ROOT, "%-16s %6s %6s %6s %10s %10s%n", "product", "rows", "cols", "inner", "f64 GF/s",
        "f32 GF/s");
    SplittableRandom rng = new SplittableRandom(1);
    for (Object[] c : cases) {
      Product op = (Product) c[1];
      int rows = (Integer) c[2];
      int cols = (Integer) c[3];
      int inner = (Integer) c[4];
      double[] a = random(rows * inner, rng);
      double[] b = random(inner * cols, rng);
      double[] out = new double[rows * cols];
      float[] fa = Kernels.toFloat(a);
      float[] fb = Kernels.toFloat(b);
      float[] fout = new float[rows * cols];
      double flops = 2.0 * rows * cols * inner;
      double g64 = gflops(() -> Kernels.product(op, rows, cols, inner, a, b, out), flops, seconds);
      double g32 = gflops(() -> Kernels.product(op, rows, cols, inner, fa, fb, fout), flops, seconds);
      System.out.printf(Locale.ROOT, "%-16s %6d %6d %6d %10.1f %10.1f%n", c[0], rows, cols, inner, g64, g32);
    }
  }

  /**
   * Best of three timings, in this thread's CPU time (not wall time), so that a busy machine's
   * other processes do not count; they still share the caches and the memory bus.
   */
  static double gflops(Runnable r, double flops, double seconds) {
    ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    GdStepBenchmark.warmUp(r, seconds);
    long t0 = System.nanoTime();
    r.run();
    double per = Math.max(1e-7, (System.nanoTime() - t0) / 1e9);
    int count = (int) Math.max(3, seconds / 3 / per);
    double best = 0;
    for (int rep = 0; rep < 3; rep++) {
      long s = bean.getCurrentThreadCpuTime();
      for (int i = 0; i < count; i++) {
        r.run();
      }
      best = Math.max(best, count * flops / ((bean.getCurrentThreadCpuTime() - s) / 1e9) / 1e9);
    }
    return best;
  }

  static double[] random(int size, SplittableRandom rng) {
    double[] v = new double[size];
    for (int e = 0; e < size; e++) {
      v[e] = rng.nextDouble(-1, 1);
    }
    return v;
  }
}
