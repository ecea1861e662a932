package io.github.overparam.core.bench;

import static io.github.overparam.core.linalg.Kernels.Product.AT_B;
import static io.github.overparam.core.linalg.Kernels.Product.A_B;
import static io.github.overparam.core.linalg.Kernels.Product.A_BT;

import io.github.overparam.core.linalg.Blocking;
import io.github.overparam.core.linalg.Kernels;
import io.github.overparam.core.linalg.Kernels.Product;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * GFLOP/s of each product of the training step at the reference shapes' sizes, float64 and float32,
 * single-threaded: which product limits a step, and which register tile and cache blocks suit this
 * machine. Figures, not a test.
 *
 * <p>Usage: {@code KernelBenchmark [seconds-per-case] [--blockings 6x2,4x3:256:10] [--repeat N]
 * [LABEL-PREFIX ...]} (a number is the seconds only as the first argument: {@code KernelBenchmark 1
 * 1024} selects "1024^3"): each product under each blocking ({@link Blocking#parse}; default: the one
 * chosen for this JVM), interleaved blocking by blocking within each of N rounds, by this thread's
 * CPU time; prints the best and the median round. Prefixes ("S2", "S5 back") pick products. Needs
 * {@code --add-modules=jdk.incubator.vector}.
 *
 * <p>{@code KernelBenchmark [seconds] --micro [--blockings ...] [--repeat N]}: the micro-kernel
 * alone instead, on operands that stay in L1 (a tile of A, a panel of B kb steps deep, the c tile),
 * with the panel on a 64-byte line and 16 bytes past one: what the kernel itself does, and what a
 * 512-bit load straddling two lines costs it. Run it with {@code -XX:ObjectAlignmentInBytes=64}
 * (every array's data then starts 16 bytes past a line) to compare JVMs: otherwise where the JVM
 * puts the c tiles relative to the panel moves the figures by 10-20% (on the Intel core of
 * 2026-12-01: 84.8-88.7 GFLOP/s f64 on a line and 73.7-74.4 off with it, 65.8-77.7 either way
 * without it).
 */
public final class KernelBenchmark {
  private KernelBenchmark() {}

  /** (label, product, rows, cols, inner). */
  static final Object[][] CASES = {
      {"S1 fwd X W", A_B, 100, 1000, 10}, {"S1 grad X^T D", AT_B, 10, 1000, 100},
      {"S2 fwd X W", A_B, 1000, 1000, 100}, {"S2 grad X^T D", AT_B, 100, 1000, 1000},
      {"S3 fwd X W", A_B, 200, 10000, 50}, {"S3 grad X^T D", AT_B, 50, 10000, 200},
      {"S4 fwd H W", A_B, 500, 128, 128}, {"S4 grad H^T D", AT_B, 128, 128, 500},
      {"S4 back D W^T", A_BT, 500, 128, 128}, {"S5 fwd H W", A_B, 500, 512, 512},
      {"S5 grad H^T D", AT_B, 512, 512, 500}, {"S5 back D W^T", A_BT, 500, 512, 512},
      {"S5 fwd X A", A_B, 500, 512, 50}, {"1024^3", A_B, 1024, 1024, 1024},
  };

  public static void main(String[] args) {
    double seconds = 1.0;
    int repeat = 1;
    List<Blocking> blockings = new ArrayList<>();
    List<String> only = new ArrayList<>();
    boolean micro = false;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--blockings")) {
        for (String b : args[++i].split(",")) {
          blockings.add(Blocking.parse(b));
        }
      } else if (args[i].equals("--micro")) {
        micro = true;
      } else if (args[i].equals("--repeat")) {
        repeat = Integer.parseInt(args[++i]);
      } else if (i == 0 && args[i].matches("[0-9.]+")) {
        seconds = Double.parseDouble(args[i]);
      } else {
        only.add(args[i]);
      }
    }
    if (blockings.isEmpty()) {
      blockings.add(Blocking.CHOSEN);
    }
    if (micro) {
      micro(blockings, seconds, repeat);
      return;
    }
    System.out.println("# " + Kernels.describe() + "; " + repeat + " rounds, best / median GFLOP/s by CPU time");
    System.out.printf(Locale.ROOT, "%-16s %6s %6s %6s %-22s %15s %15s%n", "product", "rows", "cols", "inner",
        "blocking", "f64 best/med", "f32 best/med");
    SplittableRandom rng = new SplittableRandom(1);
    for (Object[] c : CASES) {
      if (!only.isEmpty() && only.stream().noneMatch(((String) c[0])::startsWith)) {
        continue;
      }
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
      int k = blockings.size();
      double[][] g64 = new double[k][repeat];
      double[][] g32 = new double[k][repeat];
      for (int round = 0; round < repeat; round++) {
        for (int q = 0; q < k; q++) {
          Blocking bl = blockings.get(q);
          g64[q][round] = gflops(() -> Kernels.product(bl, op, rows, cols, inner, a, b, out), flops, seconds);
          g32[q][round] = gflops(() -> Kernels.product(bl, op, rows, cols, inner, fa, fb, fout), flops, seconds);
        }
      }
      for (int q = 0; q < k; q++) {
        System.out.printf(Locale.ROOT, "%-16s %6d %6d %6d %-22s %7.1f/%-7.1f %7.1f/%-7.1f%n", c[0], rows, cols,
            inner, blockings.get(q).describe(), max(g64[q]), median(g64[q]), max(g32[q]), median(g32[q]));
      }
    }
  }

  /** The c tiles {@code --micro} goes through in turn. */
  private static final int TILES = 8;

  /** The micro-kernel alone, each blocking with its panel on a line and 16 bytes off; see the class doc. */
  private static void micro(List<Blocking> blockings, double seconds, int repeat) {
    System.out.println("# " + Kernels.describe() + "; micro-kernel alone, operands in L1; " + repeat
        + " rounds, best / median GFLOP/s by CPU time");
    System.out.printf(Locale.ROOT, "%-22s %-12s %15s %15s%n", "blocking", "panel", "f64 best/med", "f32 best/med");
    SplittableRandom rng = new SplittableRandom(3);
    for (Blocking bl : blockings) {
      int kc = bl.kb();
      int pw = Kernels.panelWidth(bl, false);
      int fpw = Kernels.panelWidth(bl, true);
      double[] pa = random(bl.rows() * kc, rng);
      double[] pb = random(kc * pw + 64, rng);
      // Eight c tiles in turn, every other call starting its chains: as in a product, a tile's c is
      // not the one the call before stored.
      double[] c = new double[TILES * bl.rows() * pw];
      float[] fpa = Kernels.toFloat(pa);
      float[] fpb = Kernels.toFloat(random(kc * fpw + 64, rng));
      float[] fc = new float[TILES * bl.rows() * fpw];
      int[] call = new int[1];
      for (boolean aligned : new boolean[] {true, false}) {
        // 16 bytes past the line: 2 doubles, 4 floats.
        int off = Kernels.lineSkip(pb) + (aligned ? 0 : 2);
        int foff = Kernels.lineSkip(fpb) + (aligned ? 0 : 4);
        double[] g64 = new double[repeat];
        double[] g32 = new double[repeat];
        for (int round = 0; round < repeat; round++) {
          g64[round] = gflops(() -> {
            int k = call[0]++;
            Kernels.microKernel(bl, pa, pb, off, kc, (k & 1) == 0, c, (k % TILES) * bl.rows() * pw);
          }, 2.0 * bl.rows() * pw * kc, seconds);
          g32[round] = gflops(() -> {
            int k = call[0]++;
            Kernels.microKernel(bl, fpa, fpb, foff, kc, (k & 1) == 0, fc, (k % TILES) * bl.rows() * fpw);
          }, 2.0 * bl.rows() * fpw * kc, seconds);
        }
        System.out.printf(Locale.ROOT, "%-22s %-12s %7.1f/%-7.1f %7.1f/%-7.1f%n", bl.describe(),
            aligned ? "on a line" : "16 B off", max(g64), median(g64), max(g32), median(g32));
      }
    }
  }

  private static double max(double[] v) {
    return Arrays.stream(v).max().orElse(0);
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
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
