package io.github.overparam.core.run;

import io.github.overparam.core.data.DataSpec;
import io.github.overparam.core.data.Dataset;
import io.github.overparam.core.model.Arch;
import io.github.overparam.core.model.Network;
import io.github.overparam.core.model.Precision;
import io.github.overparam.core.model.Workspace;
import io.github.overparam.core.train.Drift;
import io.github.overparam.core.train.Optimizer;
import io.github.overparam.core.train.PackedDeepGd;
import io.github.overparam.core.train.PackedTrainer;
import io.github.overparam.core.train.TrainOptions;
import io.github.overparam.core.train.Trainer;
import io.github.overparam.core.train.Trajectory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
    Setup setup = setUp(spec, data);
    Trajectory t = Trainer.train(setup.net(), data, spec.train(), setup.options());
    return finish(setup, data, summary, t, start, 0);
  }

  /** A run's net, drift and trainer options, ready to train. */
  private record Setup(RunSpec spec, Network net, Drift drift, TrainOptions options, double[] lossLog) {}

  private static Setup setUp(RunSpec spec, Dataset data) {
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
    return new Setup(spec, net, drift, lossLog == null ? options : options.withLossLog(lossLog), lossLog);
  }

  /**
   * The result of a trained run; its wall time is from {@code start} to now plus {@code earlierNanos}
   * (a packed run's own time before: its preparation and its share of the pack's training).
   */
  private static RunResult finish(Setup setup, Dataset data, DatasetSummary summary, Trajectory t, long start,
      long earlierNanos) {
    RunSpec spec = setup.spec();
    Network net = setup.net();
    Drift drift = setup.drift();
    Surrogate surrogate = setup.lossLog() == null ? null : Surrogate.train(spec, data, drift.initial(), t,
        setup.lossLog());
    // The trainer's last evaluation is a full-data forward pass at the final weights.
    Workspace full = t.finalForward();
    Movement movement = Movement.measure(net, drift, full);
    Generalization generalization = Generalization.measure(net, data, spec.train().loss(), full);
    NtkSpectra ntk = NtkSpectra.measure(spec, data, summary.lambda0(), drift.initial(), net, t.status());
    long micros = (System.nanoTime() - start + earlierNanos) / 1_000L;
    Cost cost = new Cost(net.parameterCount(), net.trainedParameterCount(),
        t.flops() + (surrogate == null ? 0 : surrogate.flops()), micros);
    return new RunResult(spec.runId(), spec, Outcome.of(t), t.curve(), movement, generalization, ntk, cost, summary,
        surrogate);
  }

  /**
   * The key under which runs may train packed together ({@link #executeAll}): runs with equal keys
   * have nets of the same shapes on data of the same size. Null for a run that trains alone (not a
   * narrow float64 deep or two-layer net under full-batch GD, or one recording the surrogate). A key is a
   * promise about shapes only: whether the nets really pack is checked once they are built.
   */
  public static String packKey(RunSpec spec) {
    var model = spec.model();
    var train = spec.train();
    if (!packing() || model.arch() != Arch.DEEP && model.arch() != Arch.TWO_LAYER
        || !PackedTrainer.packsWidth(model.arch(), model.width(), spec.data().n()) || model.residual(0)
        || train.precision() != Precision.F64 || train.optimizer() != Optimizer.GD || spec.record().surrogate()
        || train.loss().rowWise()) {
      return null;
    }
    return model.canonical() + "|n=" + spec.data().n() + "|d=" + spec.data().d() + "|map=" + spec.data().inputMap()
        + "|labels=" + spec.data().labels();
  }

  /**
   * Whether runs with a {@link #packKey} train packed: on unless the system property {@code
   * overparam.packed} is false ({@code -Doverparam.packed=false}; the results are the same bits
   * either way, only the time differs).
   */
  public static boolean packing() {
    return !"false".equalsIgnoreCase(System.getProperty("overparam.packed"));
  }

  /**
   * Runs {@code specs} in {@code context}: the same results as {@link #execute} on each, in order,
   * with runs of equal {@link #packKey} trained side by side in packs of up to {@link
   * PackedTrainer#LANES} (the same bits; each run's wall time its own work plus its share of its
   * pack's training). A run whose data or net does not pack after all, or a pack that throws, runs
   * alone; so do runs of a key too few to fill a pack's lanes ({@link PackedTrainer#train}).
   */
  public static List<RunResult> executeAll(List<RunSpec> specs, RunContext context) {
    RunResult[] out = new RunResult[specs.size()];
    String[] keys = new String[specs.size()];
    List<Integer> pending = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      keys[i] = packKey(specs.get(i));
      if (keys[i] == null) {
        out[i] = execute(specs.get(i), context);
      } else {
        pending.add(i);
      }
    }
    while (!pending.isEmpty()) {
      String key = keys[pending.get(0)];
      List<Integer> pack = new ArrayList<>();
      for (int i : pending) {
        if (pack.size() < PackedTrainer.LANES && key.equals(keys[i])) {
          pack.add(i);
        }
      }
      pending.removeAll(pack);
      executePack(pack, specs, context, out);
    }
    return Arrays.asList(out);
  }

  private static void executePack(List<Integer> pack, List<RunSpec> specs, RunContext context, RunResult[] out) {
    List<Integer> members = new ArrayList<>();
    List<Setup> setups = new ArrayList<>();
    List<RunContext.Prepared> prepared = new ArrayList<>();
    List<Long> own = new ArrayList<>();
    List<PackedTrainer.Job> jobs = new ArrayList<>();
    for (int i : pack) {
      RunSpec spec = specs.get(i);
      long start = System.nanoTime();
      try {
        RunContext.Prepared p = context.prepare(spec.data(), spec.seed(), spec.record().ntkMaxN());
        Setup setup = setUp(spec, p.dataset());
        if (!PackedTrainer.packs(setup.net(), p.dataset().n(), spec.train(), setup.options()) || !jobs.isEmpty()
            && (jobs.get(0).data().n() != p.dataset().n() || !PackedDeepGd.sameShapes(jobs.get(0).net(),
                setup.net()))) {
          out[i] = execute(spec, context);
          continue;
        }
        members.add(i);
        setups.add(setup);
        prepared.add(p);
        own.add(System.nanoTime() - start);
        jobs.add(new PackedTrainer.Job(setup.net(), p.dataset(), spec.train(), setup.options()));
      } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
        out[i] = failed(spec, null, e, start);
      }
    }
    if (jobs.isEmpty()) {
      return;
    }
    long[] shares = new long[jobs.size()];
    List<Trajectory> trajectories;
    try {
      trajectories = PackedTrainer.train(jobs, shares);
    } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
      // Nothing of the pack is kept: each run again, alone, from its spec.
      for (int i : members) {
        out[i] = execute(specs.get(i), context);
      }
      return;
    }
    for (int k = 0; k < members.size(); k++) {
      int i = members.get(k);
      RunContext.Prepared p = prepared.get(k);
      // Its own time: its preparation, its share of the pack's training, then its own finishing.
      long earlier = own.get(k) + shares[k];
      long start = System.nanoTime();
      try {
        out[i] = finish(setups.get(k), p.dataset(), p.summary(), trajectories.get(k), start, earlier);
      } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
        out[i] = failed(specs.get(i), p.summary(), e, start - earlier);
      }
    }
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
