package io.github.overparam.core.run;

import io.github.overparam.core.data.DataSpec;
import io.github.overparam.core.data.Dataset;
import io.github.overparam.core.data.DatasetStats;
import io.github.overparam.core.data.Datasets;
import io.github.overparam.core.model.Network;
import io.github.overparam.core.model.Workspace;
import io.github.overparam.core.theory.Kernels;
import io.github.overparam.core.train.Drift;
import io.github.overparam.core.train.TrainOptions;
import io.github.overparam.core.train.Trainer;
import io.github.overparam.core.train.Trajectory;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

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
  public static Dataset dataset(DataSpec spec, long seed) {
    return prepare(spec, seed, 0).dataset();
  }

  private static Prepared prepare(DataSpec spec, long seed, int kernelMaxN) {
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
      Arrays.fill(lossLog, Double.NaN);
    }
    TrainOptions options = TrainOptions.of(spec.record().curvePoints(), spec.batchSeed(), drift);
    Trajectory t = Trainer.train(net, data, spec.train(), lossLog == null ? options : options.withLossLog(lossLog));
    Surrogate surrogate = lossLog == null ? null : Surrogate.train(spec, data, drift.initial(), t, lossLog);
    // The trainer's last evaluation is a full-data forward pass at the final weights.
    Workspace full = t.finalForward();
    Movement movement = Movement.measure(net, drift, full);
    Generalization generalization = Generalization.measure(net, data, spec.train().loss(), full);
    NtkSpectra ntk = NtkSpectra.measure(spec, data, drift.initial(), net, t.status());
    Cost cost = new Cost(net.parameterCount(), net.trainedParameterCount(),
        t.flops() + (surrogate == null ? 0 : surrogate.flops()), elapsedMs(start));
    return new RunResult(spec.runId(), spec, Outcome.of(t), t.curve(), movement, generalization, ntk, cost, summary,
        surrogate);
  }

  /**
   * The {@code failed} result of a run that threw {@code e} around {@link #execute} (in the code that
   * schedules it), so that the caller records a row instead of failing its task.
   */
  public static RunResult failed(RunSpec spec, Throwable e) {
    return failed(spec, null, e, System.nanoTime());
  }

  private static RunResult failed(RunSpec spec, DatasetSummary summary, Throwable e, long start) {
    return RunResult.failed(spec, summary, e, elapsedMs(start));
  }

  private static long elapsedMs(long start) {
    return (System.nanoTime() - start) / 1_000_000L;
  }
}
