package io.github.overparam.spark.analysis;

/**
 * The critical width of a group: the smallest width at which the success rate (fraction of runs
 * that converged) reaches a threshold, interpolated on a log scale.
 */
public final class CriticalWidth {
  private CriticalWidth() {}

  /**
   * @param width the critical width (null when not reached)
   * @param status how it was found
   * @param params trained parameters at the critical width, interpolated the same way (null when
   *     unknown or not reached)
   */
  public record Result(Double width, CriticalStatus status, Double params) {}

  /**
   * With widths w_0 < w_1 < ... and success rates r_k, let k be the first index with
   * r_k >= threshold. k = 0: the first width already succeeds (below_grid, width w_0). Otherwise
   * the width is interpolated linearly in ln w between (w_{k-1}, r_{k-1}) and (w_k, r_k):
   * ln w* = ln w_{k-1} + t (ln w_k - ln w_{k-1}), t = (threshold - r_{k-1}) / (r_k - r_{k-1}); the
   * parameter count with the same t on ln params. No k: not_reached.
   *
   * @param params trained parameter count per width (entries may be null or NaN when unknown)
   */
  public static Result of(int[] widths, double[] rates, Double[] params, double threshold) {
    for (int k = 0; k < widths.length; k++) {
      if (rates[k] >= threshold) {
        if (k == 0) {
          return new Result((double) widths[0], CriticalStatus.BELOW_GRID, valid(params, 0) ? params[0] : null);
        }
        double t = (threshold - rates[k - 1]) / (rates[k] - rates[k - 1]);
        double w = logInterpolate(widths[k - 1], widths[k], t);
        Double p = valid(params, k - 1) && valid(params, k) ? logInterpolate(params[k - 1], params[k], t) : null;
        return new Result(w, CriticalStatus.BRACKETED, p);
      }
    }
    return new Result(null, CriticalStatus.NOT_REACHED, null);
  }

  /**
   * The critical width of one seed: the smallest grid width from which on the seed converged at
   * every wider width of the grid (so a lucky narrow success followed by a failure does not count),
   * reported as the geometric midpoint sqrt(w_{k-1} w_k) with the previous width; w_0 itself when
   * the seed converged at every width; null when it did not converge at the widest width.
   */
  public static Double seedCritical(int[] widths, boolean[] converged) {
    int k = widths.length;
    while (k > 0 && converged[k - 1]) {
      k--;
    }
    if (k == widths.length) {
      return null;
    }
    return k == 0 ? (double) widths[0] : Math.sqrt((double) widths[k - 1] * widths[k]);
  }

  static double logInterpolate(double a, double b, double t) {
    return Math.exp(Math.log(a) + t * (Math.log(b) - Math.log(a)));
  }

  private static boolean valid(Double[] params, int i) {
    return params != null && params[i] != null && params[i] > 0 && !params[i].isNaN();
  }
}
