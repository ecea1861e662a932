package io.github.overparam.core.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link Arccos#acos} returns the bits of {@link StrictMath#acos} on every branch of fdlibm's method. */
class ArccosTest {

  private static void same(double x) {
    assertEquals(Double.doubleToLongBits(StrictMath.acos(x)), Double.doubleToLongBits(Arccos.acos(x)),
        () -> "acos(" + x + ") = " + Arccos.acos(x) + ", StrictMath gives " + StrictMath.acos(x));
  }

  @Test
  void specialArgumentsAndBranchEdges() {
    double[] special = {0.0, -0.0, 1.0, -1.0, 0.5, -0.5, Math.nextUp(0.5), Math.nextDown(0.5), Math.nextUp(-0.5),
        Math.nextDown(-0.5), Math.nextDown(1.0), Math.nextUp(-1.0), Math.nextUp(1.0), Math.nextDown(-1.0), 2.0, -2.0,
        Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, -Double.MIN_VALUE,
        Double.MIN_NORMAL, 0x1p-57, -0x1p-57, Math.nextUp(0x1p-57), 0x1p-56, Double.MAX_VALUE};
    for (double x : special) {
      same(x);
    }
  }

  @Test
  void randomArgumentsOverEveryRange() {
    SplittableRandom random = new SplittableRandom(18);
    for (int i = 0; i < 4_000_000; i++) {
      double x = switch (i % 4) {
        case 0 -> random.nextDouble() * 2 - 1;
        // Near +-1, where the correlations of close points are.
        case 1 -> (random.nextBoolean() ? 1 : -1) * (1 - Math.scalb(random.nextDouble(), -random.nextInt(60)));
        // Tiny magnitudes.
        case 2 -> Math.scalb(random.nextDouble() * 2 - 1, -random.nextInt(70));
        // Any bit pattern (NaNs, infinities, |x| > 1).
        default -> Double.longBitsToDouble(random.nextLong());
      };
      same(x);
    }
  }
}
