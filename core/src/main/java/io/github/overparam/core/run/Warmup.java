package io.github.overparam.core.run;

import io.github.overparam.core.Names;
import io.github.overparam.core.theory.Spectra;
import io.github.overparam.core.train.Optimizer;
import io.github.overparam.core.train.PackedTrainer;
import io.github.overparam.core.train.Status;
import io.github.overparam.core.train.TargetLoss;
import io.github.overparam.core.train.TrainSpec;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * The JIT warm-up of a process for the runs it is about to time: before the first run of a small
 * shape, throwaway runs of it (shortened, in a context of their own, their results dropped; a pack of
 * them, and one alone, where the shape trains packed) until
 * the JIT has nothing left to compile for them, so that the run times of runs/ are the code's steady
 * state and not the compiler at work on the same core.
 *
 * <p>A fresh JVM runs its first runs of a shape interpreted, then through profiling code, while the
 * compiler threads take cores from the task threads: a 64-seed sweep of 3,000-step nets with n = 128
 * and width 8 on one core spent 2 s in runs that take 6-7 ms each once compiled, and its median run
 * took twice that. Large runs are not warmed: the warm-up is a small share of their first run, and a
 * throwaway run of them would cost more than it saves.
 *
 * <p>Nothing a run computes depends on it: a warm-up changes how fast code runs, never what it
 * computes (runs are deterministic functions of their specs). The time it took is reported, so
 * that a sweep's total time and its cost model still count it.
 */
public final class Warmup {
  private Warmup() {}

  /**
   * Runs whose whole training takes more than this many flops are not warmed: a few seconds of
   * training on one core (30 GFLOP/s), where the compiler's work on a new shape (0.3-1 s of the
   * core) is a tenth of the first run or less. It was 2e9 until measured: in the memorization
   * preset the first deep net 32 wide on 256 points (8e9 flops, 0.19 s once compiled) took 1.02 s,
   * and the first two-layer nets 8 to 32 wide on 256 points (2e9-9e9 flops) 2.5-5.6 times their
   * steady state (docs/benchmarks.md, 2026-12-02).
   */
  public static final double MAX_RUN_FLOPS = 1e11;
  /** A warm-up run is shortened (fewer max_steps) to about this much training. */
  static final double WARM_RUN_FLOPS = 1e8;
  /**
   * The warm-up ends when the JIT compiled for at most {@link #QUIET_FRACTION} of the time of the
   * last this many warm-up runs at least...
   */
  static final int QUIET_RUNS = 3;
  /** ... and of at least this many milliseconds of them... */
  static final long QUIET_MS = 30;
  /** ... (compilers keep finishing small methods now and then long after the hot ones). */
  static final double QUIET_FRACTION = 0.05;
  /** Warm-up runs whose start the warm-up remembers (runs of well under a millisecond see a shorter window). */
  private static final int RING = 256;
  /** The warm-up of one shape stops after this many nanoseconds whatever the JIT does. */
  static final long MAX_SHAPE_NANOS = 3_000_000_000L;
  /** A process warms up for at most this many nanoseconds in all. */
  static final long MAX_PROCESS_NANOS = 30_000_000_000L;

  private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();
  private static final ObjectName DIAGNOSTICS = diagnostics();

  /**
   * Warms the JIT for {@code spec}'s shape unless {@code context} has warmed it (or is warming it on
   * another thread) or the run is too large to need it, after its {@link #proxy} where it has one;
   * the milliseconds it took (0 when it did not warm).
   */
  public static long ensure(RunSpec spec, RunContext context) {
    return ensure(spec, context, MAX_SHAPE_NANOS);
  }

  /** {@link #ensure(RunSpec, RunContext)} with at most {@code maxShapeNanos} for this shape. */
  static long ensure(RunSpec spec, RunContext context, long maxShapeNanos) {
    if (!needed(spec) || !context.claimWarmUp(shape(spec))) {
      return 0;
    }
    RunSpec proxy = proxy(spec);
    long proxyMs = proxy == null ? 0 : ensure(proxy, context, maxShapeNanos);
    long start = System.nanoTime();
    long budget = Math.min(maxShapeNanos, context.warmUpNanosLeft(MAX_PROCESS_NANOS));
    RunSpec warm = Costs.shortened(spec, WARM_RUN_FLOPS);
    boolean monitored = JIT != null && JIT.isCompilationTimeMonitoringSupported();
    // The start time and the JIT's total at the start of each of the last RING runs.
    long[] runStarts = new long[RING];
    long[] jitAtStarts = new long[RING];
    int idleRuns = 0;
    for (int runs = 0; System.nanoTime() - start < budget; runs++) {
      runStarts[runs % RING] = System.nanoTime();
      jitAtStarts[runs % RING] = monitored ? JIT.getTotalCompilationTime() : 0;
      // A context of its own each time, so that every warm-up run prepares its data set (generation,
      // statistics, lambda_0) as the sweep's runs of new seeds do, and the sweep's memo keeps its own.
      RunResult r = warmRun(warm, new RunContext(context.tables(), 0));
      // A run that fails does not reach the code the others run; without the JIT's figures one run warms.
      if (r.status() == Status.FAILED || !monitored) {
        break;
      }
      idleRuns = compilerIdle() ? idleRuns + 1 : 0;
      if (idleRuns >= QUIET_RUNS && quiet(runStarts, jitAtStarts, runs)) {
        break;
      }
    }
    long spent = System.nanoTime() - start;
    context.warmedUp(spent);
    return proxyMs + spent / 1_000_000L;
  }

  /**
   * One warm-up run of {@code warm} as the sweep will train it: alone, or, when it packs ({@link
   * Runs#packKey}), in a full pack of {@link PackedTrainer#LANES} copies whose nets stop at different
   * steps ({@link #staggered}), so that the packed kernels warm up and not only the path of a run
   * alone (the memorization preset's first packs ran at 3-4 times the time per net-step of the next
   * ones, 2026-12-02), and then alone as well: a group of runs too few for a pack trains alone (the
   * first deep net 32 wide on 256 points of the memorization preset to go on alone ran at 3-4 times
   * the time per step of the others, the warm-up having compiled the pack only). The result of its
   * last (full-length) packed run.
   */
  static RunResult warmRun(RunSpec warm, RunContext context) {
    if (Runs.packKey(warm) == null) {
      return Runs.execute(warm, context);
    }
    List<RunSpec> pack = staggered(warm);
    RunResult packed = Runs.executeAll(pack, context).get(pack.size() - 1);
    Runs.execute(warm, context);
    return packed;
  }

  /**
   * {@link PackedTrainer#LANES} copies of {@code warm} (one pack) whose nets stop as a real pack's
   * do, at different steps: copy 0 converges early (its target 0.9 times its initial loss), copy k of
   * the others stops at k / LANES of warm's max_steps, the last runs them all. A pack of identical
   * copies stops all its nets at one step, so the compiled pack had never seen a lane stop while the
   * others go on (an emptied lane, a converged one, the nets going on alone once too few are left):
   * the first real pack of a shape to lose a net threw the compiled loop away and waited for the
   * compiler again (8 deep nets 6 wide on 16 points with the warm-up: 1.19-1.53 us a net-step,
   * 0.43-0.44 with this pack, a full pack compiled 0.34; docs/benchmarks.md, 2026-12-03).
   */
  static List<RunSpec> staggered(RunSpec warm) {
    int lanes = PackedTrainer.LANES;
    int steps = warm.train().maxSteps();
    List<RunSpec> pack = new ArrayList<>(lanes);
    for (int k = 0; k < lanes; k++) {
      TrainSpec train = k == lanes - 1 ? warm.train()
          : k == 0 ? warm.train().withTarget(TargetLoss.relative(0.9))
          : warm.train().withMaxSteps(Math.max(1, (int) ((long) steps * k / lanes)));
      pack.add(new RunSpec(warm.data(), warm.model(), train, warm.record(), warm.seed()));
    }
    return pack;
  }

  /**
   * Whether the JIT compiled for at most {@link #QUIET_FRACTION} of the time since the start of the
   * latest run that leaves at least {@link #QUIET_RUNS} runs and {@link #QUIET_MS} behind (false when
   * the ring does not reach back that far).
   */
  private static boolean quiet(long[] runStarts, long[] jitAtStarts, int last) {
    long now = System.nanoTime();
    long jitNow = JIT.getTotalCompilationTime();
    for (int back = QUIET_RUNS - 1; back < RING && back <= last; back++) {
      int i = (last - back) % RING;
      long windowMs = (now - runStarts[i]) / 1_000_000L;
      if (windowMs >= QUIET_MS) {
        return jitNow - jitAtStarts[i] <= QUIET_FRACTION * windowMs;
      }
    }
    return false;
  }

  /**
   * Whether the JIT has nothing queued and nothing being compiled right now, from HotSpot's
   * {@code Compiler.queue} diagnostic command (true where the JVM has no such command: the time
   * fraction of {@link #quiet} decides alone).
   */
  static boolean compilerIdle() {
    return idle(compilerQueue());
  }

  /** Whether {@code Compiler.queue}'s text shows no compile under way and every queue empty (true for null). */
  static boolean idle(String queue) {
    if (queue == null) {
      return true;
    }
    for (String line : queue.split("\n")) {
      String l = line.strip();
      // Anything but a title, a blank line and "Empty" is a compile under way or a queued one.
      if (!l.isEmpty() && !l.equals("Empty") && !l.endsWith(":")) {
        return false;
      }
    }
    return true;
  }

  static String compilerQueue() {
    try {
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      return (String) server.invoke(DIAGNOSTICS, "compilerQueue", new Object[] {null},
          new String[] {String[].class.getName()});
    } catch (JMException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The run that warms {@code spec}'s n x n kernels first, or null: where the run computes them (n at
   * most record.ntk_max_n) for more than {@link #PROXY_N} points, the same run on PROXY_N points,
   * the smallest n that takes the same paths (shift and invert, the vector kernels'
   * Grams; {@link Spectra#SHIFT_INVERT_FROM}). Those kernels run a few times a run, so the full
   * shape's warm-up runs, a few seconds of them at n = 1,000, call them too few times for the JIT:
   * after them the first calls of a sweep's runs still took 2-4 times their steady time (lambda_0
   * 90-200 ms against 40-50, an NTK Gram 50-80 against 20), and none after the proxy's cheaper
   * runs had come first (S2, n = 1,000, d = 100, width 1,000; docs/benchmarks.md, 2026-12-03).
   */
  static RunSpec proxy(RunSpec spec) {
    int n = spec.data().n();
    if (n <= PROXY_N || n > spec.record().ntkMaxN() || spec.train().batchSize() > PROXY_N) {
      return null;
    }
    try {
      return new RunSpec(spec.data().withN(PROXY_N), spec.model(), spec.train(), spec.record(), spec.seed());
    } catch (IllegalArgumentException e) {
      return null; // a spec valid on n points only: its shape warms alone
    }
  }

  /** The points of a {@link #proxy} run. */
  static final int PROXY_N = Spectra.SHIFT_INVERT_FROM;

  /** Whether a run of {@code spec} is small enough for its JIT warm-up to matter. */
  static boolean needed(RunSpec spec) {
    return Costs.flops(spec) <= MAX_RUN_FLOPS;
  }

  /**
   * The shape of a run as far as the JIT is concerned: what chooses the code it runs (architecture,
   * parameterization, activation, depth, optimizer, loss, precision, the spectra it records, one or
   * several outputs), the power-of-two buckets of its sizes (the kernels take other paths for
   * narrow widths and few rows) and whether its width ends in a ragged tile: a whole number of 8
   * units, of 4, or neither (the products' edge tiles are code of their own: 5 deep nets 6 wide on 16
   * points, warmed as nets 4 wide, took 381 ms, 131-139 ms warmed as a shape of their own;
   * docs/benchmarks.md, 2026-12-03). The rows' edge (n not a multiple of 4) is not told apart.
   */
  static String shape(RunSpec spec) {
    var m = spec.model();
    var t = spec.train();
    int n = spec.data().n();
    int rows = t.optimizer() == Optimizer.SGD ? t.batchSize() : n;
    return Names.of(m.arch()) + "|" + Names.of(m.parameterization()) + "|" + Names.of(m.activation()) + "|L"
        + m.depth() + "|w" + log2(m.width()) + "|" + Names.of(t.optimizer()) + "|" + Names.of(t.loss()) + "|"
        + Names.of(t.precision()) + "|rows" + log2(rows) + "|n" + log2(n) + "|d" + log2(spec.data().d()) + "|out"
        + Math.min(spec.data().outputs(), 2) + "|edge" + (m.width() % 8 == 0 ? 0 : m.width() % 4 == 0 ? 4 : 1) + "|ntk"
        + (spec.record().ntk() && n <= spec.record().ntkMaxN())
        + "|surrogate" + spec.record().surrogate();
  }

  private static ObjectName diagnostics() {
    try {
      return new ObjectName("com.sun.management:type=DiagnosticCommand");
    } catch (MalformedObjectNameException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int log2(int v) {
    return 31 - Integer.numberOfLeadingZeros(Math.max(1, v));
  }
}
