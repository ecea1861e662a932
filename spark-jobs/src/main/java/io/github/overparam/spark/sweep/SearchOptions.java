package io.github.overparam.spark.sweep;
import java.io.Serializable;

/**
 * The critical-width search (config block {@code search:}), which replaces the width axis: for
 * every group, bracket the critical width between {@code minWidth} and {@code maxWidth} and bisect
 * it on a log scale until the bracket's ratio is at most {@code resolution}.
 *
 * @param minWidth smallest width probed, >= 1
 * @param maxWidth largest width probed, > minWidth
 * @param resolution stop when the bracket [lo, hi] has hi / lo <= resolution (> 1, e.g. 2^(1/4))
 * @param threshold success rate (over seeds) that counts as success, in (0, 1]
 */
public record SearchOptions(int minWidth, int maxWidth, double resolution, double threshold)
    implements Serializable {

  public SearchOptions {
    if (minWidth < 1) {
      throw new IllegalArgumentException("search.min_width = " + minWidth + ": must be an integer >= 1");
    }
    if (maxWidth <= minWidth) {
      throw new IllegalArgumentException("search.max_width = " + maxWidth + ": must be larger than search.min_width = "
          + minWidth);
    }
    if (!(resolution > 1) || !Double.isFinite(resolution)) {
      throw new IllegalArgumentException("search.resolution = " + resolution + ": must be a finite number > 1"
          + " (the bracket ratio to stop at, e.g. 1.19 for 2^(1/4))");
    }
    if (!(threshold > 0 && threshold <= 1)) {
      throw new IllegalArgumentException("search.threshold = " + threshold + ": must be in (0, 1]");
    }
  }

  public String canonical() {
    return "min_width=" + minWidth + ";max_width=" + maxWidth + ";resolution=" + resolution + ";threshold="
        + threshold;
  }
}
