package io.github.overparam.core.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.overparam.core.data.DataSpec;
import io.github.overparam.core.data.Datasets;
import io.github.overparam.core.data.LabelKind;
import io.github.overparam.core.linalg.Kernels;
import io.github.overparam.core.model.ModelSpec;
import io.github.overparam.core.model.Network;
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

  /** The iteration as it was: the check by the full decomposition of T (with eigenvectors) at every check. */
  private static double reference(Lanczos.Operator op, int n, int maxIterations, double tol) {
    return Lanczos.largest(op, n, maxIterations, tol, (alpha, beta, m, b, t) -> {
      double[] ritz = Lanczos.largestRitz(alpha, beta, m);
      return Math.abs(b * ritz[1]) <= t * Math.abs(ritz[0]);
    });
  }
}
