package io.github.overparam.spark.sweep;

import io.github.overparam.core.Names;
import io.github.overparam.core.run.RunResult;
import io.github.overparam.core.run.RunSpec;
import io.github.overparam.core.run.Runs;
import io.github.overparam.core.run.Warmup;
import io.github.overparam.core.train.Status;
import io.github.overparam.spark.table.ParquetRows;
import io.github.overparam.spark.table.RunRecord;
import io.github.overparam.spark.table.Table;
import io.github.overparam.spark.table.Tables;
import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple2;

/**
 * One Spark task of a wave: runs its runs one at a time (through the pure {@link Runs#execute}), or
 * a few side by side where they train packed ({@link Runs#executeAll}: the same results), and
 * streams their rows straight into its own Parquet files of runs/ and curves/ (in the wave's
 * {@code _temporary} folders; the driver moves the files of the successful attempts in when the
 * wave commits), so that a wave is one Spark job and no row is held in memory. Its output is what
 * the rest of the job needs: each data set its runs used, once per task (keyed by id, for the
 * job's deduplication), and last its {@link Summary}.
 */
final class WaveTask implements Serializable {
  @Serial
  private static final long serialVersionUID = 1L;

  /**
   * The key of a task's summary in the job's shuffle (data set ids are hex digits, so no id is
   * ever equal to it); the partition follows.
   */
  static final String SUMMARY_KEY = "~task ";

  /**
   * What one task did: its status counts and summed run time (the JIT warm-ups before its runs
   * included), and the files it wrote (null for a table it wrote no row to).
   */
  record Summary(int partition, long runs, Map<String, Long> statusCounts, long sumRunMs, String runsFile,
      String curvesFile) implements Serializable {}

  private final String sweep;
  private final String session;
  private final int wave;
  private final Faults faults;
  private final Map<String, Integer> searchRounds;
  private final WaveFiles files;
  private final Broadcast<HadoopConf> conf;
  private final LongAccumulator finished;
  private final LongAccumulator converged;
  private final LongAccumulator failed;
  private final boolean warmUp;

  WaveTask(String sweep, String session, int wave, Faults faults, Map<String, Integer> searchRounds, WaveFiles files,
      Broadcast<HadoopConf> conf, LongAccumulator finished, LongAccumulator converged, LongAccumulator failed,
      boolean warmUp) {
    this.sweep = sweep;
    this.session = session;
    this.wave = wave;
    this.faults = faults;
    this.searchRounds = searchRounds;
    this.files = files;
    this.conf = conf;
    this.finished = finished;
    this.converged = converged;
    this.failed = failed;
    this.warmUp = warmUp;
  }

  /** The task over {@code specs}: lazily, each data set as its first run is done, then the summary. */
  Iterator<Tuple2<String, Object>> apply(Iterator<RunSpec> specs) throws IOException {
    return new Output(specs, TaskContext.get(), InetAddress.getLocalHost().getHostName());
  }

  private final class Output implements Iterator<Tuple2<String, Object>> {
    private final Iterator<RunSpec> specs;
    private final int partition;
    private final long attempt;
    private final String host;
    private final Configuration hadoop;
    private final Set<String> datasetIds = new HashSet<>();
    private final Map<String, Long> counts = new LinkedHashMap<>();
    private ParquetWriter<Row> runsWriter;
    private ParquetWriter<Row> curvesWriter;
    private Path runsPath;
    private Path curvesPath;
    private long runs;
    private long sumMs;
    private Tuple2<String, Object> next;
    private boolean summarized;
    /** A spec read past the end of a pack, to run next. */
    private RunSpec lookahead;
    /** Data set rows of the runs done, not yet handed out. */
    private final ArrayDeque<Tuple2<String, Object>> ready = new ArrayDeque<>();

    Output(Iterator<RunSpec> specs, TaskContext context, String host) {
      this.specs = specs;
      this.partition = context.partitionId();
      this.attempt = context.taskAttemptId();
      this.host = host;
      this.hadoop = conf.value().get();
    }

    @Override
    public boolean hasNext() {
      try {
        while (next == null && !summarized) {
          if (!ready.isEmpty()) {
            next = ready.poll();
          } else if (lookahead != null || specs.hasNext()) {
            runGroup();
          } else {
            close();
            summarized = true;
            next = new Tuple2<>(SUMMARY_KEY + partition, new Summary(partition, runs, counts, sumMs,
                runsPath == null ? null : runsPath.toString(), curvesPath == null ? null : curvesPath.toString()));
          }
        }
        return next != null;
      } catch (IOException e) {
        abort(e);
        throw new UncheckedIOException(e);
      } catch (RuntimeException | Error e) {
        abort(e);
        throw e;
      }
    }

    /**
     * The next run, with the runs right after it that train packed with it (the same {@link
     * Runs#packKey}, up to {@link WavePlan#PACK}: the plan deals them side by side), executed together
     * and written in order; each new data set's (id, row) queued for the output.
     */
    private void runGroup() throws IOException {
      List<RunSpec> group = new ArrayList<>();
      group.add(lookahead != null ? lookahead : specs.next());
      lookahead = null;
      String key = Runs.packKey(group.get(0));
      while (key != null && group.size() < WavePlan.PACK && specs.hasNext()) {
        RunSpec spec = specs.next();
        if (key.equals(Runs.packKey(spec))) {
          group.add(spec);
        } else {
          lookahead = spec;
          break;
        }
      }
      RunResult[] results = new RunResult[group.size()];
      long[] warmUpMs = new long[group.size()];
      // Each run's own trouble stays its own: a run whose hook throws is a failed row, the others run.
      List<Integer> toRun = new ArrayList<>();
      for (int k = 0; k < group.size(); k++) {
        try {
          faults.beforeRun(group.get(k), wave);
          toRun.add(k);
        } catch (RuntimeException e) {
          results[k] = Runs.failed(group.get(k), e);
        }
      }
      try {
        if (warmUp && !toRun.isEmpty()) {
          // The JIT's warm-up for a small shape new to this executor JVM, outside the runs' wall time,
          // recorded with the first of them: the run's own code (data set, spectra, records, training),
          // through a pack of copies and one run alone where the shape trains packed.
          int k = toRun.get(0);
          warmUpMs[k] = Warmup.ensure(group.get(k), WaveExecutor.EXECUTOR_CONTEXT);
        }
        if (!toRun.isEmpty()) {
          List<RunSpec> specsToRun = new ArrayList<>();
          for (int k : toRun) {
            specsToRun.add(group.get(k));
          }
          List<RunResult> done = Runs.executeAll(specsToRun, WaveExecutor.EXECUTOR_CONTEXT);
          for (int t = 0; t < toRun.size(); t++) {
            results[toRun.get(t)] = done.get(t);
          }
        }
      } catch (RuntimeException e) {
        // Runs.execute turns a run's own exceptions into results; this catches what is thrown around
        // it, so that one bad run is a failed row and not a task that Spark retries and then aborts.
        for (int k : toRun) {
          if (results[k] == null) {
            results[k] = Runs.failed(group.get(k), e);
          }
        }
      }
      for (int k = 0; k < group.size(); k++) {
        Tuple2<String, Object> dataset = write(group.get(k), results[k], warmUpMs[k]);
        if (dataset != null) {
          ready.add(dataset);
        }
      }
    }

    @Override
    public Tuple2<String, Object> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Tuple2<String, Object> out = next;
      next = null;
      return out;
    }

    /** Writes a run's rows; its data set's (id, row) when the task had not seen it, else null. */
    private Tuple2<String, Object> write(RunSpec spec, RunResult r, long warmUpMs) throws IOException {
      // curves/ first, as the waves' writes always were: a task caught writing runs/ has curves/ open.
      // The fault hooks run with the file open, as they did inside Spark's writer.
      for (Row row : Tables.curveRows(r)) {
        if (curvesWriter == null) {
          curvesPath = files.staging(Table.CURVES, partition, attempt);
          curvesWriter = ParquetRows.writer(curvesPath, hadoop, Table.CURVES, files.sparkVersion());
        }
        faults.duringWrite(Table.CURVES.dir(), wave);
        curvesWriter.write(row);
      }
      Integer round = searchRounds == null ? null : searchRounds.get(r.runId());
      Row runRow = Tables.runRow(new RunRecord(sweep, r, host, round, session, warmUpMs));
      if (runsWriter == null) {
        runsPath = files.staging(Table.RUNS, partition, attempt);
        runsWriter = ParquetRows.writer(runsPath, hadoop, Table.RUNS, files.sparkVersion());
      }
      faults.duringWrite(Table.RUNS.dir(), wave);
      runsWriter.write(runRow);
      runs++;
      counts.merge(Names.of(r.status()), 1L, Long::sum);
      sumMs += r.cost().wallMs() + warmUpMs;
      finished.add(1);
      if (r.status() == Status.CONVERGED) {
        converged.add(1);
      } else if (r.status() == Status.FAILED || r.status() == Status.DIVERGED) {
        failed.add(1);
      }
      if (r.dataset() != null && datasetIds.add(r.dataset().datasetId())) {
        return new Tuple2<>(r.dataset().datasetId(), Tables.datasetRow(spec.data(), r.dataset()));
      }
      return null;
    }

    private void close() throws IOException {
      try {
        if (curvesWriter != null) {
          curvesWriter.close();
        }
      } finally {
        curvesWriter = null;
        if (runsWriter != null) {
          ParquetWriter<Row> w = runsWriter;
          runsWriter = null;
          w.close();
        }
      }
    }

    /** After a failure: the half-written files stay in _temporary (never moved in), closed if they can be. */
    private void abort(Throwable cause) {
      try {
        close();
      } catch (IOException | RuntimeException e) {
        cause.addSuppressed(e);
      }
    }
  }
}
