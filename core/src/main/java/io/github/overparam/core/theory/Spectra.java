package io.github.overparam.core.theory;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/** Eigenvalues of symmetric matrices through EJML's symmetric eigen-decomposition. */
public final class Spectra {
  private Spectra() {}

  /** The smallest eigenvalue of the symmetric matrix {@code a} (not modified). */
  public static double lambdaMin(DMatrixRMaj a) {
    double[] eig = eigenvalues(a);
    double min = Double.POSITIVE_INFINITY;
    for (double v : eig) {
      min = Math.min(min, v);
    }
    return min;
  }

  /** The largest eigenvalue of the symmetric matrix {@code a} (not modified). */
  public static double lambdaMax(DMatrixRMaj a) {
    double[] eig = eigenvalues(a);
    double max = Double.NEGATIVE_INFINITY;
    for (double v : eig) {
      max = Math.max(max, v);
    }
    return max;
  }

  /** All eigenvalues of the symmetric matrix {@code a} (not modified), in no particular order. */
  public static double[] eigenvalues(DMatrixRMaj a) {
    if (a.numRows != a.numCols) {
      throw new IllegalArgumentException("matrix is " + a.numRows + " x " + a.numCols + ", must be square");
    }
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(a.numRows, false, true);
    if (!eig.decompose(a.copy())) {
      throw new ArithmeticException("symmetric eigen-decomposition did not converge (n = " + a.numRows + ")");
    }
    double[] values = new double[a.numRows];
    for (int i = 0; i < values.length; i++) {
      values[i] = eig.getEigenvalue(i).getReal();
    }
    return values;
  }
}
