package io.github.overparam.core.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.overparam.core.data.DataSpec;
import io.github.overparam.core.data.LabelKind;
import io.github.overparam.core.model.ModelSpec;
import io.github.overparam.core.run.RecordSpec;
import io.github.overparam.core.run.RunResult;
import io.github.overparam.core.run.RunSpec;
import io.github.overparam.core.run.Runs;
import io.github.overparam.core.train.Loss;
import io.github.overparam.core.train.Status;
import io.github.overparam.core.train.TargetLoss;
import io.github.overparam.core.train.TrainSpec;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Du et al. (2019), Section 6, at small scale: as the width m grows, the weights move less from
 * initialization (max_r ||w_r(k) - w_r(0)|| = O(m^-1/2), their Lemma 3.2/Theorem 4.1: R' = 4 sqrt(n)
 * ||y - u(0)|| / (sqrt(m) lambda_0)) and fewer activation patterns flip.
 *
 * <p>n = 50, d = 10, m = 100 ... 10,000 (five widths a factor sqrt(10) apart), GD to 1e-3 of the
 * initial loss at eta = 0.5 / lambda_max(H^inf). Tolerance on the log-log slope of the max distance:
 * [-0.75, -0.3] around the theory's -0.5 (at m = 100 the net is far from the kernel regime, which
 * bends the line; a wrong scaling of gradient or output gives slope 0 or -1).
 */
class DuQualitativeTest {

  @Test
  void maxNeuronDistanceAndFlipsShrinkWithWidth() {
    DataSpec data = DataSpec.sphere(50, 10, LabelKind.GAUSSIAN);
    double eta = 0.5 / Spectra.lambdaMax(LimitKernels.hInf(Runs.dataset(data, 0).xTrain()));
    int[] widths = {100, 316, 1000, 3162, 10000};
    double[] logM = new double[widths.length];
    double[] logDist = new double[widths.length];
    double[] flips = new double[widths.length];
    for (int i = 0; i < widths.length; i++) {
      RunResult r = Runs.execute(new RunSpec(data, ModelSpec.du(widths[i]),
          TrainSpec.gd(eta, Loss.HALF_SUM_SQUARED, 20_000, TargetLoss.relative(1e-3)),
          new RecordSpec(20, false, 0), 0));
      assertEquals(Status.CONVERGED, r.status(), "m = " + widths[i]);
      logM[i] = Math.log(widths[i]);
      logDist[i] = Math.log(r.movement().maxNeuronDistance());
      flips[i] = r.movement().flipFraction();
    }
    double slope = slope(logM, logDist);
    System.out.printf("Du qualitative: slope of log max distance vs log m = %.3f; flip fractions %s%n", slope,
        Arrays.toString(flips));
    assertTrue(slope > -0.75 && slope < -0.3, "log-log slope " + slope);
    for (int i = 1; i < widths.length; i++) {
      assertTrue(flips[i] < flips[i - 1], "flip fraction must fall with m: " + Arrays.toString(flips));
    }
    assertTrue(flips[widths.length - 1] < 0.2 * flips[0], "flip fraction must fall severalfold over two decades");
  }

  private static double slope(double[] x, double[] y) {
    double mx = 0;
    double my = 0;
    for (int i = 0; i < x.length; i++) {
      mx += x[i] / x.length;
      my += y[i] / y.length;
    }
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < x.length; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
    }
    return sxy / sxx;
  }
}
