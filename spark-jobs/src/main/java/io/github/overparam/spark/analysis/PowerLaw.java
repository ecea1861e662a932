package io.github.overparam.spark.analysis;

import java.util.Arrays;

/** Least-squares fits of scaling laws: log-log (a power law) and semi-log (a logarithm). */
public final class PowerLaw {
  private PowerLaw() {}

  /**
   * A fitted law. For a log-log fit y = prefactor * x^exponent; for a semi-log fit
   * y = prefactor + exponent * ln x. {@code r2} is the coefficient of determination in the fitted
   * coordinates (NaN when the fitted values are all equal).
   */
  public record Fit(double exponent, double prefactor, double r2, int points) {}

  /** Power law y = a x^b by least squares on (ln x, ln y); every x and y must be positive. */
  public static Fit logLog(double[] x, double[] y) {
    double[] u = new double[x.length];
    double[] v = new double[y.length];
    for (int i = 0; i < x.length; i++) {
      if (!(x[i] > 0) || !(y[i] > 0)) {
        throw new IllegalArgumentException("log-log fit needs positive values, got (" + x[i] + ", " + y[i] + ")");
      }
      u[i] = Math.log(x[i]);
      v[i] = Math.log(y[i]);
    }
    Fit line = line(u, v);
    return new Fit(line.exponent(), Math.exp(line.prefactor()), line.r2(), line.points());
  }

  /** Logarithmic law y = a + b ln x by least squares on (ln x, y); every x must be positive. */
  public static Fit semiLog(double[] x, double[] y) {
    double[] u = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      if (!(x[i] > 0)) {
        throw new IllegalArgumentException("semi-log fit needs positive x, got " + x[i]);
      }
      u[i] = Math.log(x[i]);
    }
    return line(u, y);
  }

  /** Ordinary least squares v = a + b u: exponent b, prefactor a. */
  static Fit line(double[] u, double[] v) {
    int n = u.length;
    if (n != v.length || n < 2) {
      throw new IllegalArgumentException("a line needs at least two points");
    }
    double mu = 0;
    double mv = 0;
    for (int i = 0; i < n; i++) {
      mu += u[i];
      mv += v[i];
    }
    mu /= n;
    mv /= n;
    double suu = 0;
    double suv = 0;
    double svv = 0;
    for (int i = 0; i < n; i++) {
      suu += (u[i] - mu) * (u[i] - mu);
      suv += (u[i] - mu) * (v[i] - mv);
      svv += (v[i] - mv) * (v[i] - mv);
    }
    if (suu == 0) {
      throw new IllegalArgumentException("a line needs at least two distinct x values");
    }
    double b = suv / suu;
    double a = mv - b * mu;
    double ssr = 0;
    for (int i = 0; i < n; i++) {
      double r = v[i] - (a + b * u[i]);
      ssr += r * r;
    }
    double r2 = svv == 0 ? Double.NaN : 1 - ssr / svv;
    return new Fit(b, a, r2, n);
  }

  /** How many distinct values {@code x} holds. */
  public static int distinct(double[] x) {
    return (int) Arrays.stream(x).distinct().count();
  }
}
