package io.github.overparam.spark.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Registers a sweep folder's tables as Spark SQL views named after the tables. */
public final class SweepViews {
  /** Every table a sweep folder can hold. */
  public static final List<String> TABLES = List.of(Tables.RUNS, Tables.CURVES, Tables.DATASETS, "critical", "fits",
      "verdicts");
  private static final Set<String> WAVED = Set.of(Tables.RUNS, Tables.CURVES, Tables.DATASETS);

  private SweepViews() {}

  /** Registers each table present under {@code dir}; returns the names registered. */
  public static List<String> register(SparkSession spark, String dir) {
    List<String> registered = new ArrayList<>();
    for (String table : TABLES) {
      Dataset<Row> df = read(spark, dir, table);
      if (df != null) {
        df.createOrReplaceTempView(table);
        registered.add(table);
      }
    }
    return registered;
  }

  /**
   * One table of the sweep folder {@code dir}, or null when absent. The wave-written tables (runs,
   * curves, datasets) are read from committed waves only, so the leftovers of a wave cut short by
   * a crash are never read as results, even before {@code --resume} removes them.
   */
  public static Dataset<Row> read(SparkSession spark, String dir, String table) {
    try {
      Path root = new Path(dir);
      FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
      Path p = new Path(root, table);
      if (!fs.exists(p) || fs.listStatus(p).length == 0) {
        return null;
      }
      if (!WAVED.contains(table)) {
        return spark.read().parquet(p.toString());
      }
      SweepFolder folder = new SweepFolder(root, spark.sparkContext().hadoopConfiguration());
      List<String> waves = new ArrayList<>();
      for (int wave : folder.committedWaves()) {
        Path w = folder.wavePath(table, wave);
        if (fs.exists(w)) {
          waves.add(w.toString());
        }
      }
      if (waves.isEmpty()) {
        return null;
      }
      return spark.read().option("basePath", p.toString()).parquet(waves.toArray(String[]::new));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
