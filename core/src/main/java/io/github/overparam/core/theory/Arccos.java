package io.github.overparam.core.theory;

/**
 * arccos with exactly the bits of {@link StrictMath#acos} (and so of {@link Math#acos}, which
 * delegates to it), written in Java so that the JIT compiles it inline: {@code StrictMath.acos} is a
 * native call into the JDK's fdlibm, about 50-100 ns each, and the limit kernels take one or two per
 * entry of an n x n matrix.
 *
 * <p>The method is fdlibm's {@code __ieee754_acos} (e_acos.c), whose notice it carries: "Copyright
 * (C) 1993 by Sun Microsystems, Inc. All rights reserved. Developed at SunPro, a Sun Microsystems,
 * Inc. business. Permission to use, copy, modify, and distribute this software is freely granted,
 * provided that this notice is preserved." Java evaluates every operation below in IEEE double with
 * no fused multiply-add, as the JDK's C build of fdlibm does, so the results are the same bits
 * ({@code ArccosTest} compares them on tens of millions of arguments and every branch).
 */
final class Arccos {
  private Arccos() {}

  private static final double PI = 0x1.921fb54442d18p1;
  private static final double PIO2_HI = 0x1.921fb54442d18p0;
  private static final double PIO2_LO = 0x1.1a62633145c07p-54;
  private static final double PS0 = 0x1.5555555555555p-3;
  private static final double PS1 = -0x1.4d61203eb6f7dp-2;
  private static final double PS2 = 0x1.9c1550e884455p-3;
  private static final double PS3 = -0x1.48228b5688f3bp-5;
  private static final double PS4 = 0x1.9efe07501b288p-11;
  private static final double PS5 = 0x1.23de10dfdf709p-15;
  private static final double QS1 = -0x1.33a271c8a2d4bp1;
  private static final double QS2 = 0x1.02ae59c598ac8p1;
  private static final double QS3 = -0x1.6066c1b8d0159p-1;
  private static final double QS4 = 0x1.3b8c5b12e9282p-4;

  /** arccos(x), bit for bit {@code StrictMath.acos(x)}. */
  static double acos(double x) {
    long bits = Double.doubleToRawLongBits(x);
    int hx = (int) (bits >>> 32);
    int ix = hx & 0x7fffffff;
    if (ix >= 0x3ff00000) {
      // |x| >= 1, or NaN.
      if (((ix - 0x3ff00000) | (int) bits) == 0) {
        return hx > 0 ? 0.0 : PI + 2.0 * PIO2_LO;
      }
      return (x - x) / (x - x);
    }
    if (ix < 0x3fe00000) {
      // |x| < 0.5.
      if (ix <= 0x3c600000) {
        return PIO2_HI + PIO2_LO;
      }
      double z = x * x;
      double r = ratio(z);
      return PIO2_HI - (x - (PIO2_LO - x * r));
    }
    if (hx < 0) {
      // x <= -0.5.
      double z = (1.0 + x) * 0.5;
      double s = Math.sqrt(z);
      double r = ratio(z);
      double w = r * s - PIO2_LO;
      return PI - 2.0 * (s + w);
    }
    // x >= 0.5: the square root split into a high part df (low word zero) and a correction c.
    double z = (1.0 - x) * 0.5;
    double s = Math.sqrt(z);
    double df = Double.longBitsToDouble(Double.doubleToRawLongBits(s) & 0xffffffff00000000L);
    double c = (z - df * df) / (s + df);
    double r = ratio(z);
    double w = r * s + c;
    return 2.0 * (df + w);
  }

  /** p(z) / q(z) of the rational approximation of asin. */
  private static double ratio(double z) {
    double p = z * (PS0 + z * (PS1 + z * (PS2 + z * (PS3 + z * (PS4 + z * PS5)))));
    double q = 1.0 + z * (QS1 + z * (QS2 + z * (QS3 + z * QS4)));
    return p / q;
  }
}
