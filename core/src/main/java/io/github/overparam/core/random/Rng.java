package io.github.overparam.core.random;

import java.util.SplittableRandom;

/**
 * The only source of randomness in overparam: a {@link SplittableRandom} (SplitMix64, whose output
 * is specified bit for bit) plus a Gaussian sampler written here with {@link StrictMath}, so that
 * a seed gives the same numbers on every JVM version, operating system and CPU.
 *
 * <p>{@code java.util.Random#nextGaussian} and {@code RandomGenerator#nextGaussian} are not used:
 * their algorithms are not specified across JDK releases. Not thread-safe; one per use.
 */
public final class Rng {
  private final SplittableRandom random;
  private double spare;
  private boolean hasSpare;

  public Rng(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** A generator for the named sub-stream, independent of this one and of other names. */
  public static Rng forStream(long seed, String stream) {
    return new Rng(Seeds.derive(Long.toString(seed), stream));
  }

  /** Uniform in [0, 1). */
  public double uniform() {
    return random.nextDouble();
  }

  /** Uniform integer in [0, bound). */
  public int uniformInt(int bound) {
    return random.nextInt(bound);
  }

  /** +1 or -1 with probability 1/2 each. */
  public double sign() {
    return random.nextBoolean() ? 1.0 : -1.0;
  }

  /** Standard normal, Marsaglia's polar method. */
  public double gaussian() {
    if (hasSpare) {
      hasSpare = false;
      return spare;
    }
    double u;
    double v;
    double s;
    do {
      u = 2.0 * random.nextDouble() - 1.0;
      v = 2.0 * random.nextDouble() - 1.0;
      s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    double scale = StrictMath.sqrt(-2.0 * StrictMath.log(s) / s);
    spare = v * scale;
    hasSpare = true;
    return u * scale;
  }

  /** Fills {@code out} with N(0, std^2) draws. */
  public void fillGaussian(double[] out, int offset, int length, double std) {
    for (int i = offset; i < offset + length; i++) {
      out[i] = std * gaussian();
    }
  }

  /** A uniformly random permutation of 0..n-1 written into {@code perm} (Fisher-Yates). */
  public void permutation(int[] perm) {
    for (int i = 0; i < perm.length; i++) {
      perm[i] = i;
    }
    shuffle(perm);
  }

  /** Shuffles {@code values} in place (Fisher-Yates). */
  public void shuffle(int[] values) {
    for (int i = values.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = values[i];
      values[i] = values[j];
      values[j] = t;
    }
  }
}
