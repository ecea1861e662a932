package io.github.overparam.spark.sweep;

import io.github.overparam.spark.table.ParquetRows;
import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.catalog.ExternalCatalogUtils;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A task of a compaction: writes its rows (sorted by the partition columns) under their final names
 * in Hive-style partition folders ({@code n=16/depth=2/part-...}, the folder names escaped as
 * Spark's writer escapes them, null as {@code __HIVE_DEFAULT_PARTITION__}), the partition columns
 * left out of the files, at most {@code maxRows} rows a file. Its output is the list of files it
 * wrote; files of a failed attempt are never listed, and the commit record lists only what the
 * successful attempts returned.
 */
final class PartitionWriter implements Serializable {
  @Serial
  private static final long serialVersionUID = 1L;

  private final String tableDir;
  private final StructType input;
  private final List<String> partitionColumns;
  private final StructType data;
  private final int[] partitionIndex;
  private final int[] dataIndex;
  private final long maxRows;
  private final String tag;
  private final String sparkVersion;
  private final List<String> plain;
  private final Broadcast<HadoopConf> conf;

  PartitionWriter(Path tableDir, StructType input, List<String> partitionColumns, long maxRows, String tag,
      String sparkVersion, List<String> plain, Broadcast<HadoopConf> conf) {
    this.tableDir = tableDir.toString();
    this.input = input;
    this.partitionColumns = List.copyOf(partitionColumns);
    this.partitionIndex = partitionColumns.stream().mapToInt(input::fieldIndex).toArray();
    List<StructField> kept = new ArrayList<>();
    List<Integer> keptIndex = new ArrayList<>();
    for (int i = 0; i < input.fields().length; i++) {
      if (!partitionColumns.contains(input.fields()[i].name())) {
        kept.add(input.fields()[i]);
        keptIndex.add(i);
      }
    }
    this.data = new StructType(kept.toArray(StructField[]::new));
    this.dataIndex = keptIndex.stream().mapToInt(Integer::intValue).toArray();
    this.maxRows = Math.max(1, maxRows);
    this.tag = tag;
    this.sparkVersion = sparkVersion;
    this.plain = List.copyOf(plain);
    this.conf = conf;
  }

  /** The schema of the files: the input's columns but the partition columns. */
  StructType dataSchema() {
    return data;
  }

  /** The folder of a partition, relative to the table's folder ("" without partition columns). */
  static String folder(List<String> columns, Object[] values) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < columns.size(); i++) {
      Object v = values[i];
      s.append(ExternalCatalogUtils.escapePathName(columns.get(i))).append('=').append(v == null
          ? ExternalCatalogUtils.DEFAULT_PARTITION_NAME() : ExternalCatalogUtils.escapePathName(v.toString())).append(
              '/');
    }
    return s.toString();
  }

  Iterator<TableLayout.FileEntry> apply(Iterator<Row> rows) throws IOException {
    TaskContext context = TaskContext.get();
    Configuration hadoop = conf.value().get();
    FileSystem fs = new Path(tableDir).getFileSystem(hadoop);
    List<TableLayout.FileEntry> out = new ArrayList<>();
    Object[] key = null;
    ParquetWriter<Row> writer = null;
    String relative = null;
    long inFile = 0;
    int sequence = 0;
    try {
      while (rows.hasNext()) {
        Row row = rows.next();
        Object[] k = new Object[partitionIndex.length];
        for (int i = 0; i < k.length; i++) {
          k[i] = row.get(partitionIndex[i]);
        }
        if (writer == null || inFile >= maxRows || !Objects.deepEquals(k, key)) {
          if (writer != null) {
            writer.close();
            out.add(entry(fs, relative, inFile));
          }
          key = k;
          relative = folder(partitionColumns, k) + String.format(Locale.ROOT, SweepFolder.COMPACTED_PREFIX
              + "%05d-%s-a%d-c%03d.snappy.parquet",
              context.partitionId(), tag, context.taskAttemptId(), sequence++);
          writer = ParquetRows.writer(new Path(tableDir, relative), hadoop, data, sparkVersion, plain);
          inFile = 0;
        }
        writer.write(dataRow(row));
        inFile++;
      }
    } finally {
      if (writer != null) {
        writer.close();
      }
    }
    if (writer != null) {
      out.add(entry(fs, relative, inFile));
    }
    return out.iterator();
  }

  private TableLayout.FileEntry entry(FileSystem fs, String relative, long rows) throws IOException {
    return new TableLayout.FileEntry(relative, rows, fs.getFileStatus(new Path(tableDir, relative)).getLen());
  }

  /** The row's data columns, arrays as Java lists (what {@link ParquetRows} writes). */
  private Row dataRow(Row row) {
    Object[] values = new Object[dataIndex.length];
    for (int i = 0; i < values.length; i++) {
      int j = dataIndex[i];
      values[i] = row.isNullAt(j) ? null : input.fields()[j].dataType() instanceof ArrayType ? row.getList(j)
          : row.get(j);
    }
    return RowFactory.create(values);
  }
}
