package io.github.overparam.spark.config;

import io.github.overparam.core.Names;
import io.github.overparam.core.data.DataSpec;
import io.github.overparam.core.data.Dataset;
import io.github.overparam.core.data.Datasets;
import io.github.overparam.core.data.UserTables;
import io.github.overparam.core.model.Activation;
import io.github.overparam.core.model.Arch;
import io.github.overparam.core.model.ModelSpec;
import io.github.overparam.core.model.Parameterization;
import io.github.overparam.core.theory.LimitKernels;
import io.github.overparam.core.theory.Spectra;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;

/**
 * The kernel symbols of relative step sizes: {@code lambda0} and {@code lambda_max}, the smallest
 * and largest eigenvalue of the infinite-width kernel of the run's training inputs: H^inf of Du et
 * al. for their two-layer net (first layer trained), else the NTK limit of the net as built
 * ({@link LimitKernels#ntkLimit}: for deep nets in the papers' parameterizations it grows with the
 * width, so it is evaluated at the run's width). Both are eigenvalues of the kernel of the summed
 * loss (half_sum_squared): GD on it is stable for lr &lt; 2 / lambda_max. Relu two_layer and deep nets
 * only (the closed form). Driver side: each (data set, seed, kernel) is computed once and memoized
 * (one O(n^3) eigenvalue problem per data set, not per run).
 */
final class KernelSymbols {
  /** The symbols, as expressions write them. */
  static final List<String> NAMES = List.of("lambda0", "lambda_max");
  private static final int CACHE_ENTRIES = 512;

  private final UserTables tables;
  private final Map<String, double[]> cache = new LinkedHashMap<>(64, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, double[]> eldest) {
      return size() > CACHE_ENTRIES;
    }
  };

  KernelSymbols(UserTables tables) {
    this.tables = tables;
  }

  /** Why the symbols are undefined for {@code model}, or null when they are defined. */
  static String unsupported(ModelSpec model) {
    if (model.activation() != Activation.RELU) {
      return "lambda0 and lambda_max are the eigenvalues of the closed-form relu kernel: not defined for activation "
          + Names.of(model.activation());
    }
    if (model.arch() != Arch.TWO_LAYER && model.arch() != Arch.DEEP) {
      return "lambda0 and lambda_max are defined for two_layer and deep nets, not " + Names.of(model.arch());
    }
    return null;
  }

  /** Whether the kernel is Du et al.'s H^inf, which does not depend on the width. */
  static boolean isHInf(ModelSpec model) {
    return model.arch() == Arch.TWO_LAYER && model.parameterization() == Parameterization.DU && !model.trainOutput()
        && model.lastWidth() == model.width();
  }

  /** {lambda0, lambda_max} of the run's kernel (the model must be supported: {@link #unsupported}). */
  double[] of(DataSpec data, ModelSpec model, long seed) {
    boolean hInf = isHInf(model);
    String key = seed + "|" + data.canonical() + "|" + (hInf ? "hinf" : model.canonical());
    synchronized (cache) {
      double[] hit = cache.get(key);
      if (hit != null) {
        return hit;
      }
    }
    Dataset ds = Datasets.generate(data, seed, tables);
    DMatrixRMaj k = hInf ? LimitKernels.hInf(ds.xTrain()) : LimitKernels.ntkLimit(ds.xTrain(), model);
    double[] v = {Spectra.lambdaMin(k), Spectra.lambdaMax(k)};
    synchronized (cache) {
      cache.put(key, v);
    }
    return v;
  }
}
