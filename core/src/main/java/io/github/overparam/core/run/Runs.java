package io.github.overparam.core.run;

import io.github.overparam.core.data.DataSpec;
import io.github.overparam.core.data.Dataset;
import io.github.overparam.core.model.Network;
import io.github.overparam.core.model.Workspace;
import io.github.overparam.core.train.Drift;
import io.github.overparam.core.train.TrainOptions;
import io.github.overparam.core.train.Trainer;
import io.github.overparam.core.train.Trajectory;
import java.util.Arrays;

/**
 * The one pure entry point: {@link #execute(RunSpec, RunContext)} maps a run spec to its result.
 * Deterministic (apart from its wall time), thread-safe, and it never throws for a run's own
 * trouble: a run that throws becomes a {@code failed} result with the message, a diverging one a
 * {@code diverged} result. What runs share (user tables, memoized data sets) comes in through the
 * {@link RunContext}; the function itself holds no state.
 */
public final class Runs {
  private Runs() {}

  /** Runs {@code spec} in {@code context} and returns what it measured. */
  public static RunResult execute(RunSpec spec, RunContext context) {
    long start = System.nanoTime();
    DatasetSummary summary = null;
    try {
      RunContext.Prepared prepared = context.prepare(spec.data(), spec.seed(), spec.record().ntkMaxN());
      summary = prepared.summary();
      return train(spec, prepared.dataset(), summary, start);
    } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
      return failed(spec, summary, e, start);
    }
  }

  /** Runs {@code spec}, which reads no user table, in a context of its own. */
  public static RunResult execute(RunSpec spec) {
    return execute(spec, new RunContext());
  }

  /** The data set of (seed, spec), which reads no user table. */
  public static Dataset dataset(DataSpec spec, long seed) {
    return new RunContext().prepare(spec, seed, 0).dataset();
  }

  private static RunResult train(RunSpec spec, Dataset data, DatasetSummary summary, long start) {
    // A float32 net starts from the float64 net's weights rounded to float.
    Network net = Network.initialize(spec.model(), data.d(), data.outputs(), spec.weightSeed()).withPrecision(
        spec.train().precision());
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
    NtkSpectra ntk = NtkSpectra.measure(spec, data, summary.lambda0(), drift.initial(), net, t.status());
    Cost cost = new Cost(net.parameterCount(), net.trainedParameterCount(),
        t.flops() + (surrogate == null ? 0 : surrogate.flops()), elapsedMicros(start));
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
    return RunResult.failed(spec, summary, e, elapsedMicros(start));
  }

  private static long elapsedMicros(long start) {
    return (System.nanoTime() - start) / 1_000L;
  }
}
