package io.github.overparam.spark.sweep;

import static org.apache.spark.sql.functions.col;

import io.github.overparam.spark.table.Table;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The committed rows of a table written in waves, in either layout: the files its {@link
 * TableLayout} lists (partitioned by group, read with their recorded schema so that a filter on a
 * partition column reads only that partition's files), and the committed {@code wave=N} folders the
 * layout does not cover (all of them in a folder never compacted, or written by an older version).
 * What a crash left behind (uncommitted waves, unlisted files) is never read.
 */
final class CommittedTables {
  private CommittedTables() {}

  /** The committed rows of {@code table}, or null when it has none. */
  static Dataset<Row> read(SparkSession spark, SweepFolder folder, Table table) throws IOException {
    TableLayout layout = TableLayout.read(folder);
    Dataset<Row> partitioned = partitioned(spark, folder, layout, table);
    Dataset<Row> waved = waves(spark, folder, table, folder.waveFolders(layout));
    if (partitioned == null || waved == null) {
      return partitioned == null ? waved : partitioned;
    }
    return partitioned.unionByName(waved, true);
  }

  /** The rows of {@code table} in the given committed {@code wave=N} folders, or null when they hold none. */
  static Dataset<Row> waves(SparkSession spark, SweepFolder folder, Table table, Collection<Integer> waves)
      throws IOException {
    List<String> paths = new ArrayList<>();
    FileSystem fs = folder.fs();
    for (int wave : waves) {
      Path w = folder.wavePath(table, wave);
      if (fs.exists(w)) {
        paths.add(w.toString());
      }
    }
    return paths.isEmpty() ? null : spark.read().option("basePath", folder.table(table).toString()).parquet(
        paths.toArray(String[]::new));
  }

  /** The files the layout lists for {@code table}, with their schema in view order; null without any. */
  static Dataset<Row> partitioned(SparkSession spark, SweepFolder folder, TableLayout layout, Table table) {
    if (layout == null || !layout.tables().containsKey(table) || layout.tables().get(table).files().isEmpty()) {
      return null;
    }
    TableLayout.Files files = layout.tables().get(table);
    Path dir = folder.table(table);
    String[] paths = files.files().stream().map(f -> new Path(dir, f.path()).toString()).toArray(String[]::new);
    // The recorded schema types the partition columns (no inference from the folder names); Spark puts
    // them last, so the columns are put back in the recorded order.
    Dataset<Row> df = spark.read().schema(files.schema()).option("basePath", dir.toString()).parquet(paths);
    Column[] order = Arrays.stream(files.schema().fieldNames()).map(c -> col("`" + c + "`")).toArray(Column[]::new);
    return df.select(order);
  }
}
