package io.github.overparam.core.run;

import io.github.overparam.core.data.Dataset;
import io.github.overparam.core.data.DatasetStats;
import io.github.overparam.core.data.Datasets;
import io.github.overparam.core.model.Activation;
import io.github.overparam.core.model.Arch;
import io.github.overparam.core.model.Network;
import io.github.overparam.core.model.Workspace;
import io.github.overparam.core.theory.EmpiricalNtk;
import io.github.overparam.core.theory.Kernels;
import io.github.overparam.core.theory.Spectra;
import io.github.overparam.core.train.Drift;
import io.github.overparam.core.train.Status;
import io.github.overparam.core.train.TrainOptions;
import io.github.overparam.core.train.Trainer;
import io.github.overparam.core.train.Trajectory;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;

/**
 * The one pure entry point: {@link #execute(RunSpec)} maps a run spec to its result. Deterministic
 * (apart from {@code wallMs}), thread-safe, and it never throws for a run's own trouble: a run that
 * throws becomes a {@code failed} result with the message, a diverging one a {@code diverged} result.
 *
 * <p>Data sets and their summaries are memoised per JVM (a small LRU keyed by seed and data spec):
 * the runs of one sweep share few data sets, and H^inf costs O(n^3). Memoising a pure function does
 * not change its results.
 */
public final class Runs {
  private static final int CACHE_ENTRIES = 16;
  private static final Map<String, Prepared> CACHE = new LinkedHashMap<>(32, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Prepared> eldest) {
      return size() > CACHE_ENTRIES;
    }
  };

  private Runs() {}

  private record Prepared(Dataset dataset, DatasetSummary summary) {}

  /** Runs {@code spec} and returns what it measured. */
  public static RunResult execute(RunSpec spec) {
    long start = System.nanoTime();
    DatasetSummary summary = null;
    try {
      Prepared prepared = prepare(spec.data(), spec.seed(), spec.record().ntkMaxN());
      summary = prepared.summary();
      return train(spec, prepared.dataset(), summary, start);
    } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
      return failed(spec, summary, e, start);
    }
  }

  /** The data set of (seed, spec) and its summary, memoised. */
  public static Dataset dataset(io.github.overparam.core.data.DataSpec spec, long seed) {
    return prepare(spec, seed, 0).dataset();
  }

  private static Prepared prepare(io.github.overparam.core.data.DataSpec spec, long seed, int kernelMaxN) {
    boolean withKernel = spec.n() <= kernelMaxN;
    String key = seed + "|" + spec.canonical() + "|kernel=" + withKernel;
    synchronized (CACHE) {
      Prepared hit = CACHE.get(key);
      if (hit != null) {
        return hit;
      }
    }
    Dataset ds = Datasets.generate(spec, seed);
    DatasetStats stats = DatasetStats.of(ds.xTrain(), ds.yTrain());
    double lambda0 = Double.NaN;
    String note = null;
    if (withKernel) {
      lambda0 = Kernels.lambda0(ds.xTrain());
    } else {
      note = "n = " + spec.n() + " > record.ntk_max_n = " + kernelMaxN;
    }
    Prepared prepared = new Prepared(ds, new DatasetSummary(ds.id(), ds.n(), ds.d(), seed, lambda0, note,
        stats.delta(), stats.phi(), stats.maxAbsCos()));
    synchronized (CACHE) {
      CACHE.put(key, prepared);
    }
    return prepared;
  }

  private static RunResult train(RunSpec spec, Dataset data, DatasetSummary summary, long start) {
    Network net = Network.initialize(spec.model(), data.d(), data.outputs(), spec.weightSeed());
    Drift drift = new Drift(net, data.n());
    double[] lossLog = null;
    if (spec.record().surrogate()) {
      lossLog = new double[spec.train().maxSteps() + 1];
      java.util.Arrays.fill(lossLog, Double.NaN);
    }
    TrainOptions options = TrainOptions.of(spec.record().curvePoints(), spec.batchSeed(), drift);
    Trajectory t = Trainer.train(net, data, spec.train(), lossLog == null ? options : options.withLossLog(lossLog));
    RunResult.Surrogate surrogate = lossLog == null ? null : surrogate(spec, data, drift.initial(), t, lossLog);

    int hidden = net.hiddenLayers();
    int trainedCount = 0;
    for (int l = 0; l <= hidden; l++) {
      trainedCount += net.trained(l) ? 1 : 0;
    }
    int[] trainedLayers = new int[trainedCount];
    double[] frob = new double[trainedCount];
    double[] rel = new double[trainedCount];
    double[] maxNeuron = new double[trainedCount];
    for (int l = 0, i = 0; l <= hidden; l++) {
      if (net.trained(l)) {
        trainedLayers[i] = l;
        frob[i] = drift.frobenius(l);
        rel[i] = frob[i] / drift.initialNorm(l);
        maxNeuron[i] = drift.maxNeuronDistance(l);
        i++;
      }
    }
    // The trainer's last evaluation is a full-data forward pass at the final weights.
    Workspace full = t.finalForward();
    double[] flips = new double[hidden];
    double flipMean = 0;
    for (int l = 0; l < hidden; l++) {
      flips[l] = drift.flipFraction(full, l);
      flipMean += flips[l] / hidden;
    }
    boolean classes = data.classes();
    boolean cnn = spec.model().arch() == Arch.CNN;
    double trainAccuracy = classes ? accuracy(full.outputs(), data.yTrain()) : Double.NaN;
    double testLoss = Double.NaN;
    double testAccuracy = Double.NaN;
    if (data.xTest().numRows > 0) {
      Workspace test = net.workspace(data.xTest().numRows);
      net.forward(data.xTest(), test);
      testLoss = spec.train().loss().value(test.outputs(), data.yTest());
      testAccuracy = classes ? accuracy(test.outputs(), data.yTest()) : Double.NaN;
    }

    double ntkInit = Double.NaN;
    double ntkFinal = Double.NaN;
    double ntkLimit = Double.NaN;
    String ntkNote = null;
    if (!spec.record().ntk()) {
      ntkNote = "record.ntk = false";
    } else if (cnn || data.outputs() > 1) {
      ntkNote = cnn ? "empirical NTK not computed for arch cnn (shared filters need the position sums)"
          : "empirical NTK not computed for k = " + data.outputs() + " outputs";
    } else if (data.n() > spec.record().ntkMaxN()) {
      ntkNote = "n = " + data.n() + " > record.ntk_max_n = " + spec.record().ntkMaxN();
    } else {
      ntkInit = Spectra.lambdaMin(EmpiricalNtk.gram(drift.initial(), data.xTrain()));
      if (t.status() == Status.DIVERGED) {
        ntkNote = "final NTK skipped: the run diverged";
      } else {
        ntkFinal = Spectra.lambdaMin(EmpiricalNtk.gram(net, data.xTrain()));
      }
    }
    boolean dense = spec.model().arch() == Arch.TWO_LAYER
        || spec.model().arch() == Arch.DEEP;
    if (spec.record().ntk() && data.n() <= spec.record().ntkMaxN() && data.outputs() == 1 && !cnn) {
      if (!dense || spec.model().lastWidth() != spec.model().width()) {
        ntkNote = (ntkNote == null ? "" : ntkNote + "; ")
            + "NTK limit not computed: the closed form is for fully connected nets of one width";
      } else if (spec.model().activation() == Activation.RELU) {
        ntkLimit = Spectra.lambdaMin(Kernels.ntkLimit(data.xTrain(), spec.model()));
      } else {
        ntkNote = (ntkNote == null ? "" : ntkNote + "; ")
            + "NTK limit not computed: closed form is for relu";
      }
    }
    return new RunResult(spec.runId(), spec, t.status(), null, t.steps(), t.stepsToTarget(), t.initialLoss(),
        t.finalLoss(), t.threshold(), Rates.fitted(t.curve()), Rates.worst(t.curve()), t.curve(), trainedLayers,
        frob, rel, maxNeuron, flips, flipMean, trainAccuracy, testLoss, testAccuracy, net.parameterCount(),
        net.trainedParameterCount(), ntkInit, ntkFinal, ntkLimit, ntkNote, summary, elapsedMs(start),
        t.flops() + (surrogate == null ? 0 : surrogate.flops()), surrogate);
  }

  /**
   * Trains Noy et al.'s surrogate of the net's initial weights for exactly the net's number of steps,
   * with the same batches, and compares the two loss trajectories.
   */
  private static RunResult.Surrogate surrogate(RunSpec spec, Dataset data, Network initial, Trajectory real,
      double[] realLog) {
    Network s = initial.surrogate();
    s.pinGates(data.xTrain());
    double[] log = new double[realLog.length];
    java.util.Arrays.fill(log, Double.NaN);
    Trajectory st = Trainer.train(s, data, spec.train(), TrainOptions.of(spec.record().curvePoints(),
        spec.batchSeed(), new Drift(s, data.n())).withExactSteps(real.steps()).withLossLog(log));
    double scale = realLog[0];
    double gap = 0;
    int last = Math.min(real.steps(), st.steps());
    for (int k = 0; k <= last; k++) {
      double a = realLog[k];
      double b = log[k];
      if (Double.isNaN(a) && Double.isNaN(b)) {
        continue;
      }
      if (!Double.isFinite(a) || !Double.isFinite(b)) {
        gap = Double.POSITIVE_INFINITY;
        break;
      }
      gap = Math.max(gap, Math.abs(a - b) / scale);
    }
    if (st.status() == Status.DIVERGED) {
      gap = Double.POSITIVE_INFINITY;
    }
    // Its curve at the net's recorded steps (the same schedule, so the same steps up to its end).
    Curve c = real.curve();
    double[] losses = new double[c.size()];
    for (int i = 0; i < c.size(); i++) {
      int step = c.steps()[i];
      losses[i] = step < log.length ? log[step] : Double.NaN;
    }
    double[] none = new double[c.size()];
    java.util.Arrays.fill(none, Double.NaN);
    return new RunResult.Surrogate(st.status(), st.finalLoss(), gap,
        new Curve(c.steps().clone(), losses, none, none.clone()), st.flops());
  }

  /**
   * The {@code failed} result of a run that threw {@code e} around {@link #execute} (in the code that
   * schedules it), so that the caller records a row instead of failing its task.
   */
  public static RunResult failed(RunSpec spec, Throwable e) {
    return failed(spec, null, e, System.nanoTime());
  }

  private static RunResult failed(RunSpec spec, DatasetSummary summary, Throwable e, long start) {
    String message = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    Curve empty = new Curve(new int[0], new double[0], new double[0], new double[0]);
    double nan = Double.NaN;
    return new RunResult(spec.runId(), spec, Status.FAILED, message, 0, -1, nan, nan, nan, nan, nan, empty,
        new int[0], new double[0], new double[0], new double[0], new double[0], nan, nan, nan, nan, 0, 0, nan,
        nan, nan, null, summary, elapsedMs(start), 0, null);
  }

  /**
   * Fraction of rows classified correctly: the sign of the output against the +-1 label with one
   * output, the arg max of the outputs against the arg max of the one-hot label with several.
   */
  static double accuracy(DMatrixRMaj f, DMatrixRMaj y) {
    int correct = 0;
    for (int i = 0; i < f.numRows; i++) {
      if (f.numCols == 1) {
        double predicted = f.unsafe_get(i, 0) >= 0 ? 1.0 : -1.0;
        if (predicted == y.unsafe_get(i, 0)) {
          correct++;
        }
      } else if (argMax(f, i) == argMax(y, i)) {
        correct++;
      }
    }
    return f.numRows == 0 ? Double.NaN : (double) correct / f.numRows;
  }

  private static int argMax(DMatrixRMaj m, int row) {
    int best = 0;
    for (int j = 1; j < m.numCols; j++) {
      if (m.unsafe_get(row, j) > m.unsafe_get(row, best)) {
        best = j;
      }
    }
    return best;
  }

  private static long elapsedMs(long start) {
    return (System.nanoTime() - start) / 1_000_000L;
  }
}
