package io.github.overparam.core.train;

import org.ejml.data.DMatrixRMaj;

/**
 * Training losses over n points with outputs f and labels y (n x k). Each is c(n, k) times a sum of
 * per-entry terms, so a mini-batch estimate of the full-data gradient is unbiased when the batch's
 * terms are weighted by c(n, k) n / b.
 */
public enum Loss {
  /** 0.5 sum_i ||f_i - y_i||^2: a sum, not a mean (Du et al.). */
  HALF_SUM_SQUARED,
  /** (1 / (n k)) sum_i ||f_i - y_i||^2, the mean over all entries. */
  MSE,
  /** (1 / (n k)) sum_i log(1 + exp(-y_i f_i)) on labels +-1 (Zou et al.), the mean. */
  LOGISTIC,
  /**
   * (1 / n) sum_i (logsumexp(f_i) - y_i . f_i): softmax cross-entropy over k outputs against one-hot
   * (or any probability-vector) labels, the mean over points (Kawaguchi and Huang's multi-class loss).
   */
  CROSS_ENTROPY;

  /** The normalizing constant c(n, k) of the full-data loss. */
  public double normalizer(int n, int k) {
    return switch (this) {
      case HALF_SUM_SQUARED -> 1.0;
      case MSE -> 1.0 / ((double) n * k);
      case LOGISTIC -> 1.0 / ((double) n * k);
      case CROSS_ENTROPY -> 1.0 / n;
    };
  }

  /** Whether the loss couples the k outputs of a point (so it is not a sum of per-entry terms). */
  public boolean rowWise() {
    return this == CROSS_ENTROPY;
  }

  /** The per-entry term (not for {@link #CROSS_ENTROPY}, whose terms are per row). */
  public double term(double f, double y) {
    return switch (this) {
      case HALF_SUM_SQUARED -> 0.5 * (f - y) * (f - y);
      case MSE -> (f - y) * (f - y);
      case LOGISTIC -> softplus(-y * f);
      case CROSS_ENTROPY -> throw new UnsupportedOperationException("cross_entropy has per-row terms");
    };
  }

  /** The derivative of the per-entry term with respect to f. */
  public double termDerivative(double f, double y) {
    return switch (this) {
      case HALF_SUM_SQUARED -> f - y;
      case MSE -> 2.0 * (f - y);
      case LOGISTIC -> -y * sigmoid(-y * f);
      case CROSS_ENTROPY -> throw new UnsupportedOperationException("cross_entropy has per-row terms");
    };
  }

  /** The loss of outputs f against labels y over all rows, with normalizer c(rows, k). */
  public double value(DMatrixRMaj f, DMatrixRMaj y) {
    return sum(f, y) * normalizer(f.numRows, f.numCols);
  }

  /** The plain sum of per-entry terms. */
  public double sum(DMatrixRMaj f, DMatrixRMaj y) {
    if (this == CROSS_ENTROPY) {
      return crossEntropySum(f, y);
    }
    double[] fd = f.data;
    double[] yd = y.data;
    int size = f.getNumElements();
    double s = 0;
    for (int e = 0; e < size; e++) {
      s += term(fd[e], yd[e]);
    }
    return s;
  }

  /** grad = weight * dTerm/df, elementwise; writes into {@code grad} (same shape as f). */
  public void gradient(DMatrixRMaj f, DMatrixRMaj y, double weight, DMatrixRMaj grad) {
    if (this == CROSS_ENTROPY) {
      crossEntropyGradient(f, y, weight, grad);
      return;
    }
    double[] fd = f.data;
    double[] yd = y.data;
    double[] g = grad.data;
    int size = f.getNumElements();
    for (int e = 0; e < size; e++) {
      g[e] = weight * termDerivative(fd[e], yd[e]);
    }
  }

  private static double crossEntropySum(DMatrixRMaj f, DMatrixRMaj y) {
    int k = f.numCols;
    double[] fd = f.data;
    double[] yd = y.data;
    double s = 0;
    for (int i = 0; i < f.numRows; i++) {
      int base = i * k;
      double max = rowMax(fd, base, k);
      double exp = 0;
      double dot = 0;
      double mass = 0;
      for (int j = 0; j < k; j++) {
        exp += Math.exp(fd[base + j] - max);
        dot += yd[base + j] * fd[base + j];
        mass += yd[base + j];
      }
      s += mass * (max + Math.log(exp)) - dot;
    }
    return s;
  }

  /** weight (mass softmax(f_i) - y_i) per row, mass = sum_j y_ij (1 for one-hot labels). */
  private static void crossEntropyGradient(DMatrixRMaj f, DMatrixRMaj y, double weight, DMatrixRMaj grad) {
    int k = f.numCols;
    double[] fd = f.data;
    double[] yd = y.data;
    double[] g = grad.data;
    for (int i = 0; i < f.numRows; i++) {
      int base = i * k;
      double max = rowMax(fd, base, k);
      double exp = 0;
      double mass = 0;
      for (int j = 0; j < k; j++) {
        double e = Math.exp(fd[base + j] - max);
        g[base + j] = e;
        exp += e;
        mass += yd[base + j];
      }
      for (int j = 0; j < k; j++) {
        g[base + j] = weight * (mass * g[base + j] / exp - yd[base + j]);
      }
    }
  }

  /** The largest of {@code data[base .. base + k - 1]}. */
  private static double rowMax(double[] data, int base, int k) {
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < k; j++) {
      max = Math.max(max, data[base + j]);
    }
    return max;
  }

  private static double softplus(double z) {
    return Math.max(z, 0.0) + Math.log1p(Math.exp(-Math.abs(z)));
  }

  private static double sigmoid(double z) {
    if (z >= 0) {
      return 1.0 / (1.0 + Math.exp(-z));
    }
    double e = Math.exp(z);
    return e / (1.0 + e);
  }
}
