package io.github.overparam.core.run;

/** Geometric convergence rates read off a loss curve. */
public final class Rates {
  private Rates() {}

  /**
   * r such that loss(k) ~ loss(0) (1 - r)^k: a weighted least-squares line through (k, ln loss(k))
   * over the recorded points with positive finite loss, each weighted by the span of steps it
   * stands for (half the gap to each neighbor), so that log-spaced points do not overweight the
   * first steps. NaN with fewer than two usable points.
   */
  public static double fitted(Curve curve) {
    int[] k = curve.steps();
    double[] loss = curve.loss();
    int size = k.length;
    double sw = 0;
    double sx = 0;
    double sy = 0;
    int used = 0;
    double[] w = new double[size];
    for (int i = 0; i < size; i++) {
      if (!(loss[i] > 0) || !Double.isFinite(loss[i])) {
        continue;
      }
      double left = i > 0 ? k[i] - k[i - 1] : 0;
      double right = i + 1 < size ? k[i + 1] - k[i] : 0;
      w[i] = Math.max(0.5 * (left + right), 0.5);
      sw += w[i];
      sx += w[i] * k[i];
      sy += w[i] * Math.log(loss[i]);
      used++;
    }
    if (used < 2) {
      return Double.NaN;
    }
    double mx = sx / sw;
    double my = sy / sw;
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < size; i++) {
      if (w[i] > 0) {
        double dx = k[i] - mx;
        sxy += w[i] * dx * (Math.log(loss[i]) - my);
        sxx += w[i] * dx * dx;
      }
    }
    if (sxx == 0) {
      return Double.NaN;
    }
    return 1 - Math.exp(sxy / sxx);
  }

  /** min over recorded k > 0 of 1 - (loss(k) / loss(0))^(1/k); NaN without such a point. */
  public static double worst(Curve curve) {
    int[] k = curve.steps();
    double[] loss = curve.loss();
    if (k.length == 0 || k[0] != 0 || !(loss[0] > 0)) {
      return Double.NaN;
    }
    double min = Double.NaN;
    for (int i = 1; i < k.length; i++) {
      if (k[i] > 0 && Double.isFinite(loss[i]) && loss[i] >= 0) {
        double r = 1 - Math.pow(loss[i] / loss[0], 1.0 / k[i]);
        min = Double.isNaN(min) ? r : Math.min(min, r);
      }
    }
    return min;
  }
}
