package io.github.overparam.core.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every pair's dot product and squared distance from {@link Pairs#fromPoint} has the bits of the
 * plain loop over the coordinates, for every point i: the vector loop and the scalar tail both take
 * part at these sizes (n - i - 1 runs through every remainder).
 */
class PairsTest {

  @ParameterizedTest(name = "n = {0}, d = {1}")
  @CsvSource({"2, 1", "9, 3", "40, 7", "77, 10", "130, 33"})
  void everyPairHasThePlainLoopsBits(int n, int d) {
    assertTrue(Dense.vectorized(), "the test JVM runs the vector kernels");
    SplittableRandom rng = new SplittableRandom(7L * n + d);
    double[] xt = new double[d * n];
    for (int e = 0; e < xt.length; e++) {
      xt[e] = rng.nextGaussian();
    }
    double[] dots = new double[n];
    double[] dist2 = new double[n];
    for (int i = 0; i < n; i++) {
      Pairs.fromPoint(n, d, xt, i, dots, dist2);
      for (int j = i + 1; j < n; j++) {
        double dot = 0;
        double s = 0;
        for (int k = 0; k < d; k++) {
          double u = xt[k * n + i];
          double v = xt[k * n + j];
          dot += u * v;
          double diff = u - v;
          s += diff * diff;
        }
        assertEquals(dot, dots[j], 0.0, "dot, i = " + i + ", j = " + j);
        assertEquals(s, dist2[j], 0.0, "dist2, i = " + i + ", j = " + j);
      }
    }
  }
}
