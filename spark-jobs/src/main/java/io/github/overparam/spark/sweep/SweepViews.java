package io.github.overparam.spark.sweep;

import static org.apache.spark.sql.functions.col;

import io.github.overparam.spark.table.Table;
import io.github.overparam.spark.table.TableColumn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;

/**
 * Registers a sweep folder's tables as Spark SQL views named after the tables, each column carrying
 * its declared description as a comment ({@code DESCRIBE runs} shows what every column means, also
 * for folders written before the descriptions existed).
 */
public final class SweepViews {
  private SweepViews() {}

  /** Registers each table present under {@code dir}; returns the names registered. */
  public static List<String> register(SparkSession spark, String dir) {
    List<String> registered = new ArrayList<>();
    for (Table table : Table.values()) {
      Dataset<Row> df = read(spark, dir, table);
      if (df != null) {
        df.createOrReplaceTempView(table.dir());
        registered.add(table.dir());
      }
    }
    return registered;
  }

  /**
   * One table of the sweep folder {@code dir}, or null when absent. The wave-written tables (runs,
   * curves, datasets) are read from what is committed only, in either layout ({@link
   * CommittedTables}), so the leftovers of a wave or a compaction cut short by a crash are never read
   * as results, even before {@code --resume} or {@code compact} removes them.
   */
  public static Dataset<Row> read(SparkSession spark, String dir, Table table) {
    try {
      Path root = new Path(dir);
      FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
      Path p = new Path(root, table.dir());
      if (!fs.exists(p) || fs.listStatus(p).length == 0) {
        return null;
      }
      if (!table.waved()) {
        return described(spark.read().parquet(p.toString()), table);
      }
      Dataset<Row> df = CommittedTables.read(spark, new SweepFolder(root, spark.sparkContext().hadoopConfiguration()),
          table);
      return df == null ? null : described(df, table);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@link #read(SparkSession, String, Table)} by the table's name (runs, curves, datasets, critical,
   * fits, verdicts), as notebooks and scripts write it.
   *
   * @throws IllegalArgumentException for a name that is no table
   */
  public static Dataset<Row> read(SparkSession spark, String dir, String table) {
    return read(spark, dir, Table.named(table).orElseThrow(() -> new IllegalArgumentException("table '" + table
        + "': no such table; tables are runs, curves, datasets, critical, fits, verdicts")));
  }

  /** The columns with their declared comments (the same order and values). */
  static Dataset<Row> described(Dataset<Row> df, Table table) {
    List<Column> columns = new ArrayList<>();
    for (StructField f : df.schema().fields()) {
      Optional<TableColumn<?>> declared = table.column(f.name());
      String comment = declared.map(TableColumn::comment).orElse(f.name().equals(Table.WAVE) ? Table.WAVE_COMMENT
          : null);
      if (comment == null) {
        columns.add(col(f.name()));
      } else {
        Metadata m = new MetadataBuilder().withMetadata(f.metadata()).putString(TableColumn.COMMENT, comment).build();
        columns.add(col(f.name()).as(f.name(), m));
      }
    }
    return df.select(columns.toArray(Column[]::new));
  }
}
