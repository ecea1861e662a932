package io.github.overparam.spark.sweep;

import io.github.overparam.spark.table.ParquetRows;
import io.github.overparam.spark.table.Table;
import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.spark.sql.Row;

/**
 * The files of one wave that its tasks write themselves, and their commit. A task attempt writes
 * each table's rows to its own file in {@code <table>/wave=N/_temporary/} (readers skip names that
 * start with an underscore); when the wave's job has succeeded, the driver moves the file of each
 * partition's successful attempt to {@code <table>/wave=N/part-<partition>-<wave id>-c000.snappy.parquet}
 * and writes the table's {@code _SUCCESS}: curves/ and datasets/ first, runs/ last, whose marker
 * commits the wave ({@link SweepFolder}). The files of failed or repeated attempts stay in
 * {@code _temporary}, which the commit deletes.
 */
final class WaveFiles implements Serializable {
  @Serial
  private static final long serialVersionUID = 1L;

  static final String TEMPORARY = "_temporary";
  static final String SUCCESS = "_SUCCESS";

  private final Map<Table, String> waveDirs;
  private final String tag;
  private final String sparkVersion;

  WaveFiles(SweepFolder folder, int wave, String sparkVersion) {
    this.waveDirs = Map.of(Table.RUNS, folder.wavePath(Table.RUNS, wave).toString(), Table.CURVES, folder.wavePath(
        Table.CURVES, wave).toString(), Table.DATASETS, folder.wavePath(Table.DATASETS, wave).toString());
    this.tag = UUID.randomUUID().toString();
    this.sparkVersion = sparkVersion;
  }

  /** The Spark version recorded in the files' footers. */
  String sparkVersion() {
    return sparkVersion;
  }

  Path waveDir(Table table) {
    return new Path(waveDirs.get(table));
  }

  /** Where task attempt {@code attempt} (Spark's task attempt id) of {@code partition} writes {@code table}. */
  Path staging(Table table, int partition, long attempt) {
    return new Path(new Path(waveDir(table), TEMPORARY), String.format(Locale.ROOT,
        "part-%05d-%s-a%d.snappy.parquet", partition, tag, attempt));
  }

  /** The committed name of {@code partition}'s file of {@code table}. */
  Path committed(Table table, int partition) {
    return new Path(waveDir(table), String.format(Locale.ROOT, "part-%05d-%s-c000.snappy.parquet", partition, tag));
  }

  /** Moves a successful attempt's file of {@code partition} to its committed name. */
  void moveIn(FileSystem fs, Table table, int partition, String staged) throws IOException {
    Path target = committed(table, partition);
    if (!fs.rename(new Path(staged), target)) {
      throw new IOException("cannot move " + staged + " to " + target);
    }
  }

  /**
   * Finishes {@code table}'s wave folder: an empty file with the schema when no task wrote a row
   * (so that the table reads back with its columns), no temporaries, then the {@code _SUCCESS} marker.
   */
  void finish(FileSystem fs, Configuration conf, Table table, boolean anyFile) throws IOException {
    if (!anyFile) {
      try (ParquetWriter<Row> empty = ParquetRows.writer(committed(table, 0), conf, table, sparkVersion)) {
        // no rows: the footer alone
      }
    }
    Path temporary = new Path(waveDir(table), TEMPORARY);
    if (fs.exists(temporary) && !fs.delete(temporary, true)) {
      throw new IOException("cannot delete " + temporary);
    }
    fs.create(new Path(waveDir(table), SUCCESS), false).close();
  }

  /** Deletes what the wave's tasks left of {@code table} (a wave that had nothing to run). */
  void discard(FileSystem fs, Table table) throws IOException {
    Path dir = waveDir(table);
    if (fs.exists(dir) && !fs.exists(new Path(dir, SUCCESS))) {
      fs.delete(dir, true);
    }
  }
}
