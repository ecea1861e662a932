package io.github.overparam.core.run;

import io.github.overparam.core.data.Dataset;
import io.github.overparam.core.model.Activation;
import io.github.overparam.core.model.Arch;
import io.github.overparam.core.model.ModelSpec;
import io.github.overparam.core.model.Network;
import io.github.overparam.core.model.Precision;
import io.github.overparam.core.theory.EmpiricalNtk;
import io.github.overparam.core.theory.LimitKernels;
import io.github.overparam.core.theory.Spectra;
import io.github.overparam.core.train.Status;
import java.io.Serializable;

/**
 * The smallest eigenvalues of the NTK Gram on the training points (docs/design.md sections 1, 2).
 *
 * @param lambdaMinInit lambda_min of the empirical NTK Gram J J^T at initialization
 * @param lambdaMinFinal the same at the final weights
 * @param limitLambdaMin lambda_min of the infinite-width NTK ({@link LimitKernels#ntkLimit}) of this
 *     architecture
 * @param note why NTK quantities are NaN, or null
 */
public record NtkSpectra(double lambdaMinInit, double lambdaMinFinal, double limitLambdaMin, String note)
    implements Serializable {

  /** Nothing measured (a failed run). */
  public static final NtkSpectra NONE = new NtkSpectra(Double.NaN, Double.NaN, Double.NaN, null);

  /**
   * Measures the spectra the run's record asks for, where they are defined and n is small enough.
   *
   * @param lambda0 lambda_min(H^inf) of these data (NaN when not computed): the limit's lambda_min
   *     where the limit kernel is H^inf ({@link LimitKernels#ntkLimitIsHInf})
   * @param initial the net at initialization (either precision)
   * @param trained the net after training
   * @param status how training ended (a diverged net's final Gram is skipped)
   */
  public static NtkSpectra measure(RunSpec spec, Dataset data, double lambda0, Network initial, Network trained,
      Status status) {
    double init = Double.NaN;
    double fin = Double.NaN;
    double limit = Double.NaN;
    String note = null;
    ModelSpec model = spec.model();
    boolean cnn = model.arch() == Arch.CNN;
    int maxN = spec.record().ntkMaxN();
    if (!spec.record().ntk()) {
      note = "record.ntk = false";
    } else if (cnn || data.outputs() > 1) {
      note = cnn ? "empirical NTK not computed for arch cnn (shared filters need the position sums)"
          : "empirical NTK not computed for k = " + data.outputs() + " outputs";
    } else if (data.n() > maxN) {
      note = "n = " + data.n() + " > record.ntk_max_n = " + maxN;
    } else {
      init = empiricalLambdaMin(initial, data);
      if (status == Status.DIVERGED) {
        note = "final NTK skipped: the run diverged";
      } else {
        fin = empiricalLambdaMin(trained, data);
      }
    }
    boolean dense = model.arch() == Arch.TWO_LAYER || model.arch() == Arch.DEEP;
    if (spec.record().ntk() && data.n() <= maxN && data.outputs() == 1 && !cnn) {
      if (!dense || model.lastWidth() != model.width()) {
        note = (note == null ? "" : note + "; ")
            + "NTK limit not computed: the closed form is for fully connected nets of one width";
      } else if (LimitKernels.ntkLimitIsHInf(model) && !Double.isNaN(lambda0)) {
        limit = lambda0;
      } else if (model.activation() == Activation.RELU) {
        limit = Spectra.lambdaMin(LimitKernels.ntkLimit(data.xTrain(), model));
      } else {
        note = (note == null ? "" : note + "; ") + "NTK limit not computed: closed form is for relu";
      }
    }
    return new NtkSpectra(init, fin, limit, note);
  }

  /**
   * lambda_min of the empirical NTK Gram J J^T of {@code net} on the training points: 0 exactly when
   * the net has fewer trained parameters p than points n (J is n x p, so the n x n Gram has rank at
   * most p; a decomposition would return rounding noise of either sign about 0), else by {@link
   * Spectra}. A float32 net's Gram is computed in double from its float weights.
   */
  static double empiricalLambdaMin(Network net, Dataset data) {
    if (net.trainedParameterCount() < data.n()) {
      return 0.0;
    }
    return Spectra.lambdaMin(EmpiricalNtk.gram(net.withPrecision(Precision.F64), data.xTrain()));
  }
}
