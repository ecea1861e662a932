package io.github.overparam.core.run;

import io.github.overparam.core.data.DataSpec;
import io.github.overparam.core.data.Dataset;
import io.github.overparam.core.data.DatasetStats;
import io.github.overparam.core.data.Datasets;
import io.github.overparam.core.data.UserTables;
import io.github.overparam.core.theory.LimitKernels;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Set;

/**
 * What the runs of one process share, passed to {@link Runs#execute(RunSpec, RunContext)} so that
 * the run function reads no static state: the user tables runs may read, and a memo of prepared
 * data sets, least recently used first out, bounded by the bytes of their matrices (the runs of
 * one sweep share data sets: every width and step size of one seed, and H^inf costs O(n^3); a
 * task meets a data set again only after the runs of the other seeds it holds, so the memo holds
 * many small data sets or a few large ones). Memoizing a pure function does not change its
 * results. It also keeps which run shapes the process has warmed the JIT up for ({@link Warmup}),
 * and for how long in all. Thread-safe.
 */
public final class RunContext {
  /** Bytes of data set matrices the memo holds at most by default: 64 MB, or 1/16 of a larger heap. */
  public static final long CACHE_BYTES = Math.max(64L << 20, Runtime.getRuntime().maxMemory() / 16);
  /** Bytes a memo entry costs besides its matrices (key, summary, objects). */
  private static final long ENTRY_BYTES = 1_000;

  private final UserTables tables;
  private final long cacheBytes;
  private long cachedBytes;
  private final LinkedHashMap<String, Prepared> cache = new LinkedHashMap<>(64, 0.75f, true);
  private final Set<String> warmShapes = new HashSet<>();
  private long warmUpNanos;

  /** A context with the given user tables and a memo of at most {@code cacheBytes}. */
  public RunContext(UserTables tables, long cacheBytes) {
    this.tables = tables;
    this.cacheBytes = cacheBytes;
  }

  /** A context with the given user tables. */
  public RunContext(UserTables tables) {
    this(tables, CACHE_BYTES);
  }

  /** A context without user tables. */
  public RunContext() {
    this(new UserTables());
  }

  /** The user tables runs of this context may read (register a shipped table here). */
  public UserTables tables() {
    return tables;
  }

  /** A data set and its summary. */
  record Prepared(Dataset dataset, DatasetSummary summary) {}

  /** The data set of (seed, spec) and its summary, with lambda_0 when n is at most {@code kernelMaxN}. */
  Prepared prepare(DataSpec spec, long seed, int kernelMaxN) {
    boolean withKernel = spec.n() <= kernelMaxN;
    String key = seed + "|" + spec.canonical() + "|kernel=" + withKernel;
    synchronized (cache) {
      Prepared hit = cache.get(key);
      if (hit != null) {
        return hit;
      }
    }
    Dataset ds = Datasets.generate(spec, seed, tables);
    DatasetStats stats = DatasetStats.of(ds.xTrain(), ds.yTrain());
    double lambda0 = Double.NaN;
    String note = null;
    if (withKernel) {
      lambda0 = LimitKernels.lambda0(ds.xTrain());
    } else {
      note = "n = " + spec.n() + " > record.ntk_max_n = " + kernelMaxN;
    }
    Prepared prepared = new Prepared(ds, new DatasetSummary(ds.id(), ds.n(), ds.d(), seed, lambda0, note,
        stats.delta(), stats.phi(), stats.maxAbsCos()));
    synchronized (cache) {
      if (cache.put(key, prepared) == null) {
        cachedBytes += bytes(prepared);
      }
      Iterator<Prepared> eldest = cache.values().iterator();
      while (cachedBytes > cacheBytes && cache.size() > 1) {
        cachedBytes -= bytes(eldest.next());
        eldest.remove();
      }
    }
    return prepared;
  }

  /**
   * Whether the caller is the first to ask for the JIT warm-up of {@code shape} ({@link Warmup}):
   * true once per shape, false when it is done or under way on another thread.
   */
  synchronized boolean claimWarmUp(String shape) {
    return warmShapes.add(shape);
  }

  /** Nanoseconds of warm-up left of {@code max} for the whole context. */
  synchronized long warmUpNanosLeft(long max) {
    return Math.max(0, max - warmUpNanos);
  }

  /** Counts {@code nanos} of warm-up against the context's total. */
  synchronized void warmedUp(long nanos) {
    warmUpNanos += nanos;
  }

  /** Nanoseconds of warm-up done in this context so far (for tests). */
  synchronized long warmUpNanos() {
    return warmUpNanos;
  }

  /** Data sets held by the memo (for tests). */
  int cached() {
    synchronized (cache) {
      return cache.size();
    }
  }

  private static long bytes(Prepared p) {
    Dataset ds = p.dataset();
    return ENTRY_BYTES + 8L * (ds.xTrain().getNumElements() + ds.yTrain().getNumElements() + ds.xTest().getNumElements()
        + ds.yTest().getNumElements());
  }
}
