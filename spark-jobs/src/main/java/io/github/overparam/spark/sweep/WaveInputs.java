package io.github.overparam.spark.sweep;

import io.github.overparam.core.data.UserTable;
import io.github.overparam.core.run.RunSpec;
import io.github.overparam.spark.config.RunGrid;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * The runs of a wave as a Spark RDD, decoded on the executors: a task carries an index range (with a
 * stride) of the grid (and the grid's small description), never a list of runs. Every task first registers the
 * shipped user tables in its JVM's run context.
 */
final class WaveInputs {
  private final JavaSparkContext jsc;
  private final List<Broadcast<UserTable>> tables;

  WaveInputs(JavaSparkContext jsc, List<Broadcast<UserTable>> tables) {
    this.jsc = jsc;
    this.tables = List.copyOf(tables);
  }

  /** A task's share of a wave: indices {@code from}, {@code from + step}, ... below {@code to}. */
  record Range(long from, long to, long step) implements Serializable {}

  /**
   * Deals [from, to) to {@code tasks} tasks: task t gets every tasks-th index from {@code from + t},
   * so each task holds every part of the grid (the last axes vary fastest: widths, step sizes,
   * seeds) and tasks are of nearly equal cost.
   */
  static List<Range> ranges(long from, long to, int tasks) {
    List<Range> out = new ArrayList<>();
    for (int t = 0; t < tasks && from + t < to; t++) {
      out.add(new Range(from + t, to, tasks));
    }
    return out;
  }

  /** The runs of indices [from, to) of {@code grid}, in {@code tasks} tasks. */
  JavaRDD<RunSpec> range(RunGrid grid, long from, long to, int tasks) {
    List<Broadcast<UserTable>> shipped = tables;
    List<Range> ranges = ranges(from, to, tasks);
    return jsc.parallelize(ranges, ranges.size()).mapPartitions(it -> decode(grid, shipped, it));
  }

  /**
   * The runs of indices [from, to) of {@code grid} that {@code done} (a table with a run_id column,
   * the committed runs) does not hold: an anti-join on the run id, on the executors.
   */
  JavaRDD<RunSpec> remaining(RunGrid grid, long from, long to, int tasks, Dataset<Row> done) {
    JavaPairRDD<String, RunSpec> planned = range(grid, from, to, tasks).mapToPair(s -> new Tuple2<>(s.runId(), s));
    JavaPairRDD<String, Boolean> ids = done.select("run_id").javaRDD().mapToPair(r -> new Tuple2<>(r.getString(0),
        Boolean.TRUE));
    return planned.subtractByKey(ids).values();
  }

  /** Explicit buckets of runs (a search's probes), one task each. */
  JavaRDD<RunSpec> buckets(List<List<RunSpec>> buckets) {
    List<Broadcast<UserTable>> shipped = tables;
    return jsc.parallelize(buckets, buckets.size()).mapPartitions(it -> {
      register(shipped);
      List<RunSpec> out = new ArrayList<>();
      it.forEachRemaining(out::addAll);
      return out.iterator();
    });
  }

  private static void register(List<Broadcast<UserTable>> shipped) {
    for (Broadcast<UserTable> table : shipped) {
      WaveExecutor.EXECUTOR_CONTEXT.tables().register(table.value());
    }
  }

  /** The runs of a task's ranges, decoded one at a time as the task consumes them. */
  private static Iterator<RunSpec> decode(RunGrid grid, List<Broadcast<UserTable>> shipped, Iterator<Range> ranges) {
    register(shipped);
    RunGrid.Decoder decoder = grid.decoder(WaveExecutor.EXECUTOR_CONTEXT.tables());
    return new Iterator<>() {
      private Range range;
      private long k;
      private RunSpec next;

      @Override
      public boolean hasNext() {
        while (next == null) {
          if (range == null || k >= range.to()) {
            if (!ranges.hasNext()) {
              return false;
            }
            range = ranges.next();
            k = range.from();
            continue;
          }
          next = decoder.run(k);
          k += range.step();
        }
        return true;
      }

      @Override
      public RunSpec next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        RunSpec out = next;
        next = null;
        return out;
      }
    };
  }
}
