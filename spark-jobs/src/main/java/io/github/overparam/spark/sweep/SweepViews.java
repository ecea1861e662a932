package io.github.overparam.spark.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/** Registers a sweep folder's tables as Spark SQL views named after the tables. */
public final class SweepViews {
  /** Every table a sweep folder can hold. */
  public static final List<String> TABLES = List.of(Tables.RUNS, Tables.CURVES, Tables.DATASETS, "critical", "fits",
      "verdicts");

  private SweepViews() {}

  /** Registers each table present under {@code dir}; returns the names registered. */
  public static List<String> register(SparkSession spark, String dir) {
    List<String> registered = new ArrayList<>();
    try {
      Path root = new Path(dir);
      FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
      for (String table : TABLES) {
        Path p = new Path(root, table);
        if (fs.exists(p) && fs.listStatus(p).length > 0) {
          spark.read().parquet(p.toString()).createOrReplaceTempView(table);
          registered.add(table);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return registered;
  }
}
