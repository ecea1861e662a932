package io.github.overparam.spark.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.apache.commons.math3.stat.regression.SimpleRegression;
import org.junit.jupiter.api.Test;

class PowerLawTest {
  @Test
  void recoversAKnownPowerLaw() {
    double[] n = {16, 32, 64, 128, 256, 512};
    double[] w = new double[n.length];
    for (int i = 0; i < n.length; i++) {
      w[i] = 3 * Math.pow(n[i], 1.5);
    }
    PowerLaw.Fit f = PowerLaw.logLog(n, w);
    assertEquals(1.5, f.exponent(), 1e-9);
    assertEquals(3.0, f.prefactor(), 1e-9);
    assertEquals(1.0, f.r2(), 1e-12);
    assertEquals(6, f.points());
  }

  @Test
  void noisyPowerLawHasR2BelowOneAndTheRightSlope() {
    double[] x = {1, 2, 4, 8};
    double[] y = {1 * 1.1, Math.pow(2, -0.5) / 1.1, Math.pow(4, -0.5) * 1.1, Math.pow(8, -0.5) / 1.1};
    PowerLaw.Fit f = PowerLaw.logLog(x, y);
    assertEquals(-0.5, f.exponent(), 0.1);
    assertTrue(f.r2() < 1 && f.r2() > 0.9, "r2 " + f.r2());
  }

  @Test
  void semiLogSlopeIsPerUnitLn() {
    double[] n = {10, 20, 40, 80};
    double[] steps = new double[n.length];
    for (int i = 0; i < n.length; i++) {
      steps[i] = 5 + 7 * Math.log(n[i]);
    }
    PowerLaw.Fit f = PowerLaw.semiLog(n, steps);
    assertEquals(7.0, f.exponent(), 1e-9);
    assertEquals(5.0, f.prefactor(), 1e-9);
    assertEquals(1.0, f.r2(), 1e-12);
  }

  /**
   * The hand-written least squares agree with commons-math's SimpleRegression to rounding. The
   * analysis keeps its own two-pass sums: SimpleRegression accumulates differently and gives
   * bit-identical slopes in only about 40% of small fits, which would change fits/ values.
   */
  @Test
  void agreesWithCommonsMathRegression() {
    SplittableRandom random = new SplittableRandom(7);
    for (int t = 0; t < 200; t++) {
      int k = 3 + random.nextInt(8);
      double[] x = new double[k];
      double[] y = new double[k];
      for (int i = 0; i < k; i++) {
        x[i] = 4 * Math.pow(2, i);
        y[i] = 3 * Math.pow(x[i], 0.7) * Math.exp(0.2 * random.nextDouble());
      }
      PowerLaw.Fit f = PowerLaw.logLog(x, y);
      SimpleRegression s = new SimpleRegression();
      for (int i = 0; i < k; i++) {
        s.addData(Math.log(x[i]), Math.log(y[i]));
      }
      assertEquals(s.getSlope(), f.exponent(), 1e-12);
      assertEquals(Math.exp(s.getIntercept()), f.prefactor(), 1e-9 * f.prefactor());
      assertEquals(s.getRSquare(), f.r2(), 1e-12);
    }
  }

  @Test
  void rejectsWhatCannotBeFitted() {
    assertThrows(IllegalArgumentException.class, () -> PowerLaw.logLog(new double[] {1, 2}, new double[] {0, 1}));
    assertThrows(IllegalArgumentException.class, () -> PowerLaw.logLog(new double[] {2, 2}, new double[] {1, 3}));
    assertEquals(2, PowerLaw.distinct(new double[] {2, 2, 3}));
  }

  @Test
  void bootstrapIsDeterministicAndQuantilesInterpolate() {
    assertEquals(2.5, Bootstrap.quantile(new double[] {4, 1, 3, 2}, 0.5), 1e-12);
    assertEquals(1.075, Bootstrap.quantile(new double[] {1, 2, 3, 4}, 0.025), 1e-12);
    long[] seeds = {0, 1, 2, 3, 4, 5, 6, 7};
    SplittableRandom a = Bootstrap.rng("critical_width|n|all");
    SplittableRandom b = Bootstrap.rng("critical_width|n|all");
    long[] ra = Bootstrap.resample(seeds, a);
    assertArrayEquals(ra, Bootstrap.resample(seeds, b));
    assertEquals(8, ra.length);
    assertNotEquals(Bootstrap.rng("x").nextLong(), Bootstrap.rng("y").nextLong());
  }

  /**
   * The one bootstrap engine: resamples drawn from the key's stream as a hand-written loop draws
   * them, and resamples without an estimate counted (here those with fewer than 3 distinct seeds).
   */
  @Test
  void bootstrapCountsResamplesWithoutAnEstimate() {
    long[] seeds = {0, 1, 2, 3};
    Function<long[], Double> estimator = s -> {
      long distinct = Arrays.stream(s).distinct().count();
      return distinct < 3 ? null : (double) Arrays.stream(s).sum();
    };
    Bootstrap.Interval ci = Bootstrap.interval("test|key", seeds, estimator);
    SplittableRandom rng = Bootstrap.rng("test|key");
    double[] values = new double[Bootstrap.RESAMPLES];
    int valid = 0;
    for (int b = 0; b < Bootstrap.RESAMPLES; b++) {
      Double e = estimator.apply(Bootstrap.resample(seeds, rng));
      if (e != null) {
        values[valid++] = e;
      }
    }
    assertEquals(Bootstrap.RESAMPLES - valid, ci.withoutEstimate());
    assertTrue(ci.withoutEstimate() > 0 && valid >= Bootstrap.RESAMPLES / 2, valid + " valid");
    double[] v = Arrays.copyOf(values, valid);
    assertEquals(Bootstrap.quantile(v, 0.025), ci.low(), 0.0);
    assertEquals(Bootstrap.quantile(v, 0.975), ci.high(), 0.0);
    assertTrue(ci.note().contains(valid + " gave a value"), ci.note());
    // Too few estimates: no interval, and the count says why.
    Bootstrap.Interval none = Bootstrap.interval("test|key", seeds, s -> null);
    assertEquals(Bootstrap.RESAMPLES, none.withoutEstimate());
    assertEquals(null, none.low());
  }
}
