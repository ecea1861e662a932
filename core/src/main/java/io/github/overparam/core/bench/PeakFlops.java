package io.github.overparam.core.bench;

import io.github.overparam.core.linalg.Dense;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.function.LongToDoubleFunction;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * One core's peak: 12 independent chains of vector fused multiply-adds (enough to cover the FMA
 * latency on two pipes), preferred species, best of five, by this thread's CPU time. Prints
 * {@code peak<TAB>f64<TAB>GFLOP/s} and the same for f32. Needs {@code --add-modules=jdk.incubator.vector}.
 */
public final class PeakFlops {
  private PeakFlops() {}

  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
  // Species must be constants for the JIT to emit vector instructions.
  private static final VectorSpecies<Double> SD = DoubleVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Float> SF = FloatVector.SPECIES_PREFERRED;

  public static void main(String[] args) {
    long iterations = args.length > 0 ? Long.parseLong(args[0]) : 50_000_000L;
    System.out.println("# " + Dense.implementation() + "; "
        + System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
    System.out.printf(Locale.ROOT, "peak\tf64\t%.1f%n", f64(iterations));
    System.out.printf(Locale.ROOT, "peak\tf32\t%.1f%n", f32(iterations));
  }

  static double f64(long iterations) {
    return best(iterations, SD.length(), PeakFlops::f64Chains);
  }

  /**
   * GFLOP/s of the best of 6 timed repetitions (after 2 short warm-ups) of {@code chains}: 12 FMA
   * chains of {@code lanes} lanes, 2 flops per lane each, per iteration.
   */
  private static double best(long iterations, int lanes, LongToDoubleFunction chains) {
    double best = 0;
    double sink = 0;
    for (int rep = 0; rep < 8; rep++) {
      long t0 = CPU.getCurrentThreadCpuTime();
      sink += chains.applyAsDouble(rep < 2 ? iterations / 10 : iterations);
      double seconds = (CPU.getCurrentThreadCpuTime() - t0) / 1e9;
      if (rep >= 2) {
        best = Math.max(best, iterations * 12.0 * lanes * 2 / seconds / 1e9);
      }
    }
    return sink == 42 ? -best : best;
  }

  private static double f64Chains(long iterations) {
    VectorSpecies<Double> s = SD;
    DoubleVector x = DoubleVector.broadcast(s, 0.9999999);
    DoubleVector y = DoubleVector.broadcast(s, 1e-7);
    DoubleVector a0 = DoubleVector.broadcast(s, 1);
    DoubleVector a1 = a0;
    DoubleVector a2 = a0;
    DoubleVector a3 = a0;
    DoubleVector a4 = a0;
    DoubleVector a5 = a0;
    DoubleVector a6 = a0;
    DoubleVector a7 = a0;
    DoubleVector a8 = a0;
    DoubleVector a9 = a0;
    DoubleVector a10 = a0;
    DoubleVector a11 = a0;
    for (int i = 0; i < (int) iterations; i++) {
      a0 = a0.fma(x, y);
      a1 = a1.fma(x, y);
      a2 = a2.fma(x, y);
      a3 = a3.fma(x, y);
      a4 = a4.fma(x, y);
      a5 = a5.fma(x, y);
      a6 = a6.fma(x, y);
      a7 = a7.fma(x, y);
      a8 = a8.fma(x, y);
      a9 = a9.fma(x, y);
      a10 = a10.fma(x, y);
      a11 = a11.fma(x, y);
    }
    return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11).lane(0);
  }

  static double f32(long iterations) {
    return best(iterations, SF.length(), PeakFlops::f32Chains);
  }

  private static double f32Chains(long iterations) {
    VectorSpecies<Float> s = SF;
    FloatVector x = FloatVector.broadcast(s, 0.9999f);
    FloatVector y = FloatVector.broadcast(s, 1e-4f);
    FloatVector a0 = FloatVector.broadcast(s, 1);
    FloatVector a1 = a0;
    FloatVector a2 = a0;
    FloatVector a3 = a0;
    FloatVector a4 = a0;
    FloatVector a5 = a0;
    FloatVector a6 = a0;
    FloatVector a7 = a0;
    FloatVector a8 = a0;
    FloatVector a9 = a0;
    FloatVector a10 = a0;
    FloatVector a11 = a0;
    for (int i = 0; i < (int) iterations; i++) {
      a0 = a0.fma(x, y);
      a1 = a1.fma(x, y);
      a2 = a2.fma(x, y);
      a3 = a3.fma(x, y);
      a4 = a4.fma(x, y);
      a5 = a5.fma(x, y);
      a6 = a6.fma(x, y);
      a7 = a7.fma(x, y);
      a8 = a8.fma(x, y);
      a9 = a9.fma(x, y);
      a10 = a10.fma(x, y);
      a11 = a11.fma(x, y);
    }
    return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11).lane(0);
  }

}
