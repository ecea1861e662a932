package io.github.overparam.spark.cluster;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.overparam.spark.table.Table;
import io.github.overparam.spark.table.Tables;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** What the cluster tests check of a sweep folder, and how they stop the processes they started. */
public final class SweepFolders {
  private SweepFolders() {}

  /**
   * {@code actual} equals {@code expected} in every table written in waves (every column but the
   * non-deterministic ones: wall_ms, wall_us, warmup_ms, host, driver_session, wave), apart from the rows of the
   * {@code excluded} runs, and runs/ holds {@code runs} distinct run ids once each: no row lost,
   * none duplicated.
   */
  public static void assertSameTables(SparkSession spark, Path expected, Path actual, int runs,
      Collection<String> excluded) {
    Dataset<Row> ids = spark.read().parquet(actual.resolve(Table.RUNS.dir()).toString()).select("run_id");
    assertEquals(runs, ids.count(), "rows in runs/ of " + actual);
    assertEquals(runs, ids.distinct().count(), "distinct run ids in runs/ (a duplicate otherwise) of " + actual);
    for (Table table : Table.waveTables()) {
      Dataset<Row> a = comparable(spark, expected, table, excluded);
      Dataset<Row> b = comparable(spark, actual, table, excluded);
      assertEquals(a.count(), b.count(), table.dir() + " rows");
      assertEquals(0, a.exceptAll(b).count(), table.dir() + ": rows of " + expected + " missing from " + actual);
      assertEquals(0, b.exceptAll(a).count(), table.dir() + ": rows of " + actual + " that " + expected + " lacks");
    }
  }

  /** {@link #assertSameTables(SparkSession, Path, Path, int, Collection)} with no run excluded. */
  public static void assertSameTables(SparkSession spark, Path expected, Path actual, int runs) {
    assertSameTables(spark, expected, actual, runs, List.of());
  }

  private static Dataset<Row> comparable(SparkSession spark, Path folder, Table table, Collection<String> excluded) {
    Dataset<Row> df = spark.read().parquet(folder.resolve(table.dir()).toString()).drop(
        Tables.nondeterministicColumns().toArray(String[]::new));
    if (!excluded.isEmpty() && table != Table.DATASETS) {
      df = df.where(not(col("run_id").isin(excluded.toArray())));
    }
    return df;
  }

  /** Stops {@code p} and anything it started, by pid (SIGKILL), and waits for them. */
  public static void stopTree(Process p) {
    List<ProcessHandle> tree = new ArrayList<>();
    p.toHandle().descendants().forEach(tree::add);
    tree.add(p.toHandle());
    for (ProcessHandle h : tree) {
      h.destroyForcibly();
      h.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> h).join();
    }
  }
}
