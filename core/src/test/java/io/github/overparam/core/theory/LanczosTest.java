package io.github.overparam.core.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.overparam.core.data.DataSpec;
import io.github.overparam.core.data.Datasets;
import io.github.overparam.core.data.LabelKind;
import io.github.overparam.core.linalg.Kernels;
import io.github.overparam.core.model.ModelSpec;
import io.github.overparam.core.model.Network;
import io.github.overparam.core.random.Rng;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The Lanczos iteration's convergence check in O(m) (bisection and inverse iteration on the
 * tridiagonal T) agrees with the full decomposition of T it replaced, and the iteration returns the
 * same bits as with the full check, on the matrices a run computes spectra of.
 */
class LanczosTest {

  @Test
  void theTridiagonalRitzPairAgreesWithTheFullDecomposition() {
    SplittableRandom rng = new SplittableRandom(4);
    for (int trial = 0; trial < 200; trial++) {
      int m = 1 + rng.nextInt(120);
      double[] alpha = new double[m];
      double[] beta = new double[m];
      double scale = Math.pow(10, rng.nextInt(7) - 3);
      for (int i = 0; i < m; i++) {
        alpha[i] = scale * rng.nextGaussian();
        beta[i] = scale * (trial % 5 == 0 ? 1e-9 : 1) * Math.abs(rng.nextGaussian());
      }
      double[] full = Lanczos.largestRitz(alpha, beta, m);
      double[] fast = Lanczos.largestRitzTridiagonal(alpha, beta, m);
      assertEquals(full[0], fast[0], 1e-13 * scale * Math.max(1, m), "theta, m = " + m + ", trial " + trial);
      // The last entry of the unit eigenvector, up to sign; where T's top eigenvalues nearly coincide the
      // eigenvector is ill-determined, so compare only well separated cases tightly.
      assertEquals(Math.abs(full[1]), Math.abs(fast[1]), 1e-6, "s_m, m = " + m + ", trial " + trial);
    }
  }

  @Test
  void theIterationReturnsTheBitsOfTheFullCheck() {
    DMatrixRMaj h = LimitKernels.hInf(Datasets.generate(DataSpec.sphere(520, 10, LabelKind.GAUSSIAN), 3).xTrain());
    DMatrixRMaj x = Datasets.generate(DataSpec.sphere(600, 100, LabelKind.GAUSSIAN), 5).xTrain();
    DMatrixRMaj ntk = EmpiricalNtk.gram(Network.initialize(ModelSpec.du(300), 100, 1, 7), x);
    for (DMatrixRMaj a : new DMatrixRMaj[] {h, ntk}) {
      int n = a.numRows;
      Lanczos.Operator max = (v, y) -> Kernels.mult(n, 1, n, 1.0, a.data, v, y);
      double top = Lanczos.largest(max, n, 300, Spectra.TOLERANCE);
      assertEquals(reference(max, n, 300, Spectra.TOLERANCE), top, 0.0, "lambda_max, n = " + n);
      Lanczos.Operator shifted = (v, y) -> {
        Kernels.mult(n, 1, n, -1.0, a.data, v, y);
        for (int i = 0; i < n; i++) {
          y[i] = Math.fma(top, v[i], y[i]);
        }
      };
      double low = Lanczos.largest(shifted, n, 300, Spectra.TOLERANCE);
      assertTrue(Double.isFinite(low), "the shifted iteration converges, n = " + n);
      assertEquals(reference(shifted, n, 300, Spectra.TOLERANCE), low, 0.0, "top of c I - a, n = " + n);
    }
  }

  /** The iteration as it was, the check by the full decomposition of T at every check. */
  private static double reference(Lanczos.Operator op, int n, int maxIterations, double tol) {
    int k = Math.min(maxIterations, n);
    double[] v = new double[(k + 1) * n];
    double[] alpha = new double[k];
    double[] beta = new double[k];
    double[] q = new double[n];
    new Rng(0x5eed_1a4c_205L).fillGaussian(q, 0, n, 1.0);
    double q0 = 1.0 / Math.sqrt(dot(q, q, n));
    for (int i = 0; i < n; i++) {
      v[i] = q[i] * q0;
    }
    double[] w = new double[n];
    double[] vj = new double[n];
    double[] coefficients = new double[k + 1];
    double[] correction = new double[n];
    int nextCheck = 8;
    for (int j = 0; j < k; j++) {
      System.arraycopy(v, j * n, vj, 0, n);
      op.apply(vj, w);
      alpha[j] = dot(w, vj, n);
      for (int pass = 0; pass < 2; pass++) {
        Kernels.mult(j + 1, 1, n, 1.0, v, w, coefficients);
        Kernels.mult(1, n, j + 1, 1.0, coefficients, v, correction);
        for (int i = 0; i < n; i++) {
          w[i] -= correction[i];
        }
      }
      double b = Math.sqrt(dot(w, w, n));
      beta[j] = b;
      boolean breakdown = !(b > 1e-14 * Math.abs(alpha[j])) || j == n - 1;
      if (breakdown || j + 1 >= nextCheck || j == k - 1) {
        nextCheck = Math.max(nextCheck + 8, (int) (nextCheck * 1.25));
        double[] ritz = Lanczos.largestRitz(alpha, beta, j + 1);
        if (breakdown || Math.abs(b * ritz[1]) <= tol * Math.abs(ritz[0])) {
          return ritz[0];
        }
      }
      double inv = 1.0 / b;
      int next = (j + 1) * n;
      for (int i = 0; i < n; i++) {
        v[next + i] = w[i] * inv;
      }
    }
    return Double.NaN;
  }

  private static double dot(double[] a, double[] b, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
