package io.github.overparam.spark.analysis;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * The one seed bootstrap of the analysis: percentile intervals over resampled seeds. Deterministic:
 * the generator of an interval is a {@link SplittableRandom} seeded from {@link #SEED} and the
 * interval's key (a 64-bit FNV-1a digest of its UTF-8 text), so the same tables give the same
 * intervals on any machine. Resamples whose estimator gives no value are counted
 * ({@link Interval#withoutEstimate()}).
 */
public final class Bootstrap {
  private Bootstrap() {}

  /** The fixed seed of every bootstrap generator. */
  public static final long SEED = 0x6F76657270617261L; // "overpara"

  /** Resamples per interval. */
  public static final int RESAMPLES = 1000;

  /** The generator for the fit named {@code key}. */
  public static SplittableRandom rng(String key) {
    long h = 0xcbf29ce484222325L;
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return new SplittableRandom(SEED ^ h);
  }

  /** {@code seeds.length} seeds drawn with replacement from {@code seeds}, sorted. */
  public static long[] resample(long[] seeds, SplittableRandom rng) {
    long[] out = new long[seeds.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = seeds[rng.nextInt(seeds.length)];
    }
    Arrays.sort(out);
    return out;
  }

  /**
   * The 95% percentile interval of {@code estimator} over {@link #RESAMPLES} resamples of
   * {@code seeds} (each sorted, with repetition), drawn from {@link #rng}({@code key}). The
   * estimator returns null when a resample gives no estimate.
   */
  public static Interval interval(String key, long[] seeds, Function<long[], Double> estimator) {
    SplittableRandom rng = rng(key);
    double[] values = new double[RESAMPLES];
    int valid = 0;
    for (int b = 0; b < RESAMPLES; b++) {
      Double e = estimator.apply(resample(seeds, rng));
      if (e != null) {
        values[valid++] = e;
      }
    }
    return interval(values, valid, seeds.length);
  }

  /**
   * The {@code p} quantile (0..1) of {@code values} with linear interpolation between order
   * statistics (position p (N - 1), as numpy's default).
   */
  public static double quantile(double[] values, double p) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] s = values.clone();
    Arrays.sort(s);
    double pos = p * (s.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(s.length - 1, lo + 1);
    return s[lo] + (pos - lo) * (s[hi] - s[lo]);
  }

  /**
   * The 95% percentile interval of the first {@code valid} bootstrap values, or nulls when fewer
   * than half the resamples gave a value or there are fewer than 2 seeds; {@code note} says which.
   */
  static Interval interval(double[] values, int valid, int seeds) {
    int without = RESAMPLES - valid;
    if (valid >= RESAMPLES / 2 && seeds >= 2) {
      double[] v = Arrays.copyOf(values, valid);
      return new Interval(quantile(v, 0.025), quantile(v, 0.975), String.format(Locale.ROOT,
          "; 95%% percentile bootstrap over %d seeds, %d resamples (%d gave a value)", seeds, RESAMPLES, valid),
          without);
    }
    return new Interval(null, null, String.format(Locale.ROOT,
        "; no interval: %d seeds, %d of %d resamples gave a value", seeds, valid, RESAMPLES), without);
  }

  /**
   * A bootstrap interval (null bounds when there is none), the note describing it, and how many
   * resamples gave no estimate.
   */
  public record Interval(Double low, Double high, String note, int withoutEstimate) {}
}
