package io.github.overparam.core.run;

import io.github.overparam.core.data.DataSpec;
import io.github.overparam.core.data.Dataset;
import io.github.overparam.core.data.DatasetStats;
import io.github.overparam.core.data.Datasets;
import io.github.overparam.core.data.UserTables;
import io.github.overparam.core.theory.LimitKernels;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the runs of one process share, passed to {@link Runs#execute(RunSpec, RunContext)} so that
 * the run function reads no static state: the user tables runs may read, and a small memo of
 * prepared data sets (the runs of one sweep share few data sets, and H^inf costs O(n^3)). Memoizing
 * a pure function does not change its results. Thread-safe.
 */
public final class RunContext {
  private static final int CACHE_ENTRIES = 16;

  private final UserTables tables;
  private final Map<String, Prepared> cache = new LinkedHashMap<>(32, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Prepared> eldest) {
      return size() > CACHE_ENTRIES;
    }
  };

  /** A context with the given user tables. */
  public RunContext(UserTables tables) {
    this.tables = tables;
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
      cache.put(key, prepared);
    }
    return prepared;
  }
}
