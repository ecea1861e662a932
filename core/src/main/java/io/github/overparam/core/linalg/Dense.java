package io.github.overparam.core.linalg;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The hot-path products and elementwise passes of a training step, in one place: the network calls
 * only these, so a faster implementation (vectorised kernels, DESIGN.md section 6) replaces them
 * without touching the model code. Every matrix is row-major; outputs are written, never allocated.
 */
public final class Dense {
  private Dense() {}

  /** c = alpha a b. */
  public static void mult(double alpha, DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
    if (alpha == 1.0) {
      CommonOps_DDRM.mult(a, b, c);
    } else {
      CommonOps_DDRM.mult(alpha, a, b, c);
    }
  }

  /** c = a^T b (the weight gradient: input^T delta). */
  public static void multTransA(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
    CommonOps_DDRM.multTransA(a, b, c);
  }

  /** c = a b^T (the backpropagated delta: delta W^T). */
  public static void multTransB(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
    CommonOps_DDRM.multTransB(a, b, c);
  }

  /** h = max(z, 0) over the first {@code size} entries. */
  public static void relu(double[] z, double[] h, int size) {
    for (int e = 0; e < size; e++) {
      double v = z[e];
      h[e] = v > 0 ? v : 0.0;
    }
  }

  /** g = 0 where z <= 0 (or NaN), over the first {@code size} entries: the ReLU backward mask. */
  public static void reluMask(double[] g, double[] z, int size) {
    for (int e = 0; e < size; e++) {
      if (!(z[e] > 0)) {
        g[e] = 0.0;
      }
    }
  }

  /** w += alpha g (the update). */
  public static void addScaled(DMatrixRMaj w, double alpha, DMatrixRMaj g) {
    CommonOps_DDRM.addEquals(w, alpha, g);
  }

  /** h = z where gate > 0, else 0: a ReLU whose pattern comes from another net (the surrogate). */
  public static void reluGate(double[] z, double[] gate, double[] h, int size) {
    for (int e = 0; e < size; e++) {
      h[e] = gate[e] > 0 ? z[e] : 0.0;
    }
  }

  /** target += source over the first {@code size} entries. */
  public static void addTo(double[] target, double[] source, int size) {
    for (int e = 0; e < size; e++) {
      target[e] += source[e];
    }
  }

  /** target[t + i] += source[s + i] for i < length. */
  public static void addTo(double[] target, int t, double[] source, int s, int length) {
    for (int i = 0; i < length; i++) {
      target[t + i] += source[s + i];
    }
  }

  /** target = alpha source over the first {@code size} entries. */
  public static void scale(double alpha, double[] source, double[] target, int size) {
    for (int e = 0; e < size; e++) {
      target[e] = alpha * source[e];
    }
  }
}
