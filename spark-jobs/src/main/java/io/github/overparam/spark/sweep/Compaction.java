package io.github.overparam.spark.sweep;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import io.github.overparam.spark.analysis.GroupKeys;
import io.github.overparam.spark.table.Table;
import io.github.overparam.spark.table.Tables;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Rewrites the committed waves of a sweep folder into the partitioned layout (docs/design.md section
 * 4): runs/ partitioned by the columns that name the analysis' groups (the group columns that vary,
 * less those that follow from the ones before them), curves/ by the same values of each point's run
 * (columns {@code run_<column>}), datasets/ by those of the columns it has,
 * in files of about {@link #TARGET_FILE_BYTES}, sorted by the partition columns and the table's key.
 * Tasks write their files under their final names; the commit is one record, {@link TableLayout},
 * written once; the replaced waves are deleted after it. A crash before the record leaves the waves
 * as they were (the new files are unlisted leftovers, deleted by the next compaction or resume);
 * after it, readers read the listed files and never the replaced waves, which the next compaction
 * or resume deletes. Runs while the caller holds the folder's lease.
 *
 * <p>A folder compacted before, with waves committed since (a resumed sweep, later rounds of a
 * search), is compacted incrementally: only the new waves' rows are written, partitioned by the same
 * columns, and the next generation of the record lists the earlier files and the new ones. Small
 * increments add small files; the rows already compacted are never rewritten.
 */
public final class Compaction {
  /** The size files aim at: tens to hundreds of MB is what big-data readers handle best. */
  static final long TARGET_FILE_BYTES = 128L << 20;
  /** At most this many partitions: with more groups, only the leading group columns partition. */
  static final int MAX_PARTITIONS = 1_000;
  /** Longest value of a string partition column (a folder name). */
  private static final int MAX_VALUE_LENGTH = 64;
  /** Columns whose raw value varies inside a group when the named rule column is set. */
  private static final Map<String, String> RULED = Map.of("lr", "lr_rule", "max_steps", "max_steps_rule");

  /** curves/ carries the partition columns of its run's group under this prefix (run_n, ...). */
  public static final String CURVES_PREFIX = "run_";

  private final SparkSession spark;
  private final PrintStream console;

  public Compaction(SparkSession spark, PrintStream console) {
    this.spark = spark;
    this.console = console;
  }

  /** Files and bytes of one table, before and after. */
  public record Sizes(Table table, long filesBefore, long bytesBefore, long filesAfter, long bytesAfter, long rows) {}

  /**
   * Compacts {@code folder} (whose lease {@code lease} holds); returns the sizes, or an empty list
   * when there was nothing to compact.
   */
  public List<Sizes> compact(SweepFolder folder, FolderLease lease) throws IOException, SweepException {
    List<String> foreign = folder.foreignEntries();
    if (!foreign.isEmpty()) {
      throw new SweepException("sweep folder " + folder.root() + " holds what no overparam sweep writes ("
          + String.join(", ", foreign.subList(0, Math.min(5, foreign.size()))) + "): refusing to compact it");
    }
    for (Path p : folder.removeOrphans(Table.waveTables())) {
      console.println("removed uncommitted output " + p);
    }
    TableLayout existing = TableLayout.read(folder);
    List<Integer> waves = new ArrayList<>(folder.waveFolders(existing));
    if (waves.isEmpty()) {
      if (existing != null) {
        existing.removeEarlier(folder); // left by a compaction cut short after its commit
      }
      console.println(existing != null ? "already compacted (" + TableLayout.file(existing.generation())
          + "): nothing to do" : "no committed waves in " + folder.root() + ": nothing to compact");
      return List.of();
    }
    Dataset<Row> runs = existing == null ? CommittedTables.read(spark, folder, Table.RUNS) : CommittedTables.waves(
        spark, folder, Table.RUNS, waves);
    List<String> partitions = existing == null ? partitionColumns(runs) : existing.partitionColumns();
    String grouping = partitions.isEmpty() ? "nothing (one group)" : String.join(", ", partitions);
    if (existing == null) {
      console.printf("compacting %d waves of %s, partitioned by %s%n", waves.size(), folder.root(), grouping);
    } else {
      console.printf("compacting the %d waves committed since %s in %s, partitioned as before by %s%n", waves.size(),
          TableLayout.file(existing.generation()), folder.root(), grouping);
    }
    Broadcast<HadoopConf> conf = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(new HadoopConf(
        spark.sparkContext().hadoopConfiguration()));
    String tag = UUID.randomUUID().toString();
    Map<Table, TableLayout.Files> written = new EnumMap<>(Table.class);
    List<Sizes> sizes = new ArrayList<>();
    for (Table table : Table.waveTables()) {
      Dataset<Row> df = table == Table.RUNS ? runs : existing == null ? CommittedTables.read(spark, folder, table)
          : CommittedTables.waves(spark, folder, table, waves);
      if (df == null) {
        continue;
      }
      long[] before = waveFiles(folder, table, waves);
      List<String> own = partitions.stream().filter(c -> Arrays.asList(df.columns()).contains(c)).toList();
      Dataset<Row> input = df;
      List<String> by = own;
      if (table == Table.CURVES && !partitions.isEmpty()) {
        // curves/ has no group columns: they come from the run of each point (left join: no point is lost),
        // named run_<column> so that a query joining runs/ and curves/ keeps its unqualified names.
        Column[] keys = new Column[partitions.size() + 1];
        keys[0] = col("run_id").as("_run");
        for (int i = 0; i < partitions.size(); i++) {
          keys[i + 1] = col(partitions.get(i)).as(CURVES_PREFIX + partitions.get(i));
        }
        Dataset<Row> groups = runs.select(keys);
        input = df.join(groups, df.col("run_id").equalTo(groups.col("_run")), "left").drop("_run");
        by = partitions.stream().map(c -> CURVES_PREFIX + c).toList();
      }
      if (existing != null && existing.tables().containsKey(table) && !sameColumns(existing.tables().get(
          table).schema(), input.schema())) {
        throw new SweepException("sweep folder " + folder.root() + ": the " + table.dir() + "/ rows of the waves "
            + waves + " have the columns " + Arrays.toString(input.schema().fieldNames()) + ", the compacted files "
            + Arrays.toString(existing.tables().get(table).schema().fieldNames()) + " (an overparam of another"
            + " version wrote them?): not compacted; the folder's tables read both parts as they are");
      }
      long expected = df.count();
      TableLayout.Files files = write(folder, table, input, by, expected, before[1], tag, conf);
      if (files.rows() != expected) {
        throw new SweepException("compaction of " + table.dir() + "/ wrote " + files.rows() + " rows of " + expected
            + ": not committed; the waves are intact in " + folder.root());
      }
      written.put(table, files);
      sizes.add(new Sizes(table, before[0], before[1], files.files().size(), files.bytes(), files.rows()));
    }
    TableLayout layout = existing == null ? TableLayout.of(waves, partitions, written, lease.session()) : existing.next(
        waves, written, lease.session());
    lease.assertHeld();
    layout.commit(folder);
    layout.removeEarlier(folder);
    Manifest.recordLayout(folder, layout.json(false));
    for (Path p : folder.removeOrphans(Table.waveTables())) {
      if (!p.getName().startsWith("wave=")) {
        console.println("removed unlisted file " + p);
      }
    }
    for (Sizes s : sizes) {
      console.printf(Locale.ROOT, "%s/: %d rows; %d files, %.1f MB -> %d files, %.1f MB%n", s.table().dir(), s.rows(),
          s.filesBefore(), s.bytesBefore() / 1e6, s.filesAfter(), s.bytesAfter() / 1e6);
    }
    return sizes;
  }

  /** Writes one table's files: range partitions of about the target size, sorted by partition and key. */
  private TableLayout.Files write(SweepFolder folder, Table table, Dataset<Row> input, List<String> by, long rows,
      long bytes, String tag, Broadcast<HadoopConf> conf) throws SweepException {
    List<String> sortNames = new ArrayList<>(by);
    table.keys().stream().filter(k -> !sortNames.contains(k)).forEach(sortNames::add);
    Column[] sort = sortNames.stream().map(c -> col(c)).toArray(Column[]::new);
    int tasks = (int) Math.max(1, Math.min(100_000, (bytes + TARGET_FILE_BYTES - 1) / TARGET_FILE_BYTES));
    long maxRows = Math.max(1, (long) (rows * (double) TARGET_FILE_BYTES / Math.max(1, bytes)));
    StructType schema = input.schema();
    PartitionWriter writer = new PartitionWriter(folder.table(table), schema, by, maxRows, tag, spark.version(),
        table.keys(), conf);
    List<TableLayout.FileEntry> files;
    try {
      files = input.repartitionByRange(tasks, sort).sortWithinPartitions(sort).javaRDD().mapPartitions(
          writer::apply).collect();
    } catch (Exception e) { // Spark's job failures are undeclared checked exceptions
      throw new SweepException("compaction of " + table.dir() + "/ failed and was not committed: "
          + SweepRunner.rootCause(e) + "; the waves are intact in " + folder.root()
          + ": fix the cause and rerun compact", e);
    }
    // The view's order is the input's: the table's columns, then (curves/) the group columns joined in.
    return new TableLayout.Files(schema, by, files);
  }

  /** Whether two schemas have the same column names and types, in the same order. */
  private static boolean sameColumns(StructType a, StructType b) {
    if (a.fields().length != b.fields().length) {
      return false;
    }
    for (int i = 0; i < a.fields().length; i++) {
      if (!a.fields()[i].name().equals(b.fields()[i].name()) || !a.fields()[i].dataType().equals(
          b.fields()[i].dataType())) {
        return false;
      }
    }
    return true;
  }

  /** Files and bytes of the Parquet files of {@code table} in {@code waves}. */
  private static long[] waveFiles(SweepFolder folder, Table table, List<Integer> waves) throws IOException {
    long[] out = new long[2];
    FileSystem fs = folder.fs();
    for (int wave : waves) {
      Path dir = folder.wavePath(table, wave);
      if (!fs.exists(dir)) {
        continue;
      }
      for (FileStatus st : fs.listStatus(dir)) {
        if (st.isFile() && st.getPath().getName().endsWith(".parquet")) {
          out[0]++;
          out[1] += st.getLen();
        }
      }
    }
    return out;
  }

  /**
   * The partition columns of a sweep's runs: its group columns whose value varies (a value in a
   * folder name: strings of at most 64 characters, never empty; lr and max_steps only when no rule
   * makes them vary inside a group), less each one that is a function of the kept ones before it
   * (hidden_layers of depth, say), and of those the longest prefix with at most {@link
   * #MAX_PARTITIONS} combinations. The reduction is the analysis' group keys' ({@link
   * GroupKeys#independent}), on the raw values.
   */
  static List<String> partitionColumns(Dataset<Row> runs) {
    Set<String> present = new HashSet<>(Arrays.asList(runs.columns()));
    List<String> candidates = Tables.groupColumnNames().stream().filter(present::contains).toList();
    List<Column> aggs = new ArrayList<>(List.of(count(lit(1)).as("_rows")));
    for (String c : candidates) {
      aggs.add(min(col(c)).as("min_" + c));
      aggs.add(max(col(c)).as("max_" + c));
      aggs.add(count(col(c)).as("count_" + c));
      if (runs.schema().apply(c).dataType().equals(DataTypes.StringType)) {
        aggs.add(max(length(col(c))).as("length_" + c));
      }
    }
    Row stats = runs.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new)).first();
    long rows = stats.getLong(stats.fieldIndex("_rows"));
    List<String> varying = new ArrayList<>();
    for (String c : candidates) {
      long nonNull = stats.getLong(stats.fieldIndex("count_" + c));
      boolean varies = !Objects.equals(stats.get(stats.fieldIndex("min_" + c)), stats.get(stats.fieldIndex("max_" + c)))
          || (nonNull > 0 && nonNull < rows);
      String rule = RULED.get(c);
      boolean ruled = rule != null && present.contains(rule) && stats.getLong(stats.fieldIndex("count_" + rule)) > 0;
      boolean tooLong = Arrays.asList(stats.schema().fieldNames()).contains("length_" + c) && !stats.isNullAt(
          stats.fieldIndex("length_" + c)) && stats.getInt(stats.fieldIndex("length_" + c)) > MAX_VALUE_LENGTH;
      if (varies && !ruled && !tooLong) {
        varying.add(c);
      }
    }
    if (varying.isEmpty()) {
      return List.of();
    }
    List<Row> combos = runs.select(varying.stream().map(c -> col(c)).toArray(Column[]::new)).distinct().limit(
        MAX_PARTITIONS * 10 + 1).collectAsList();
    // A value in a folder name is never empty; of the rest, those that name a group (GroupKeys' reduction).
    List<List<Object>> values = combos.stream().map(r -> {
      List<Object> v = new ArrayList<>(varying.size());
      for (int i = 0; i < varying.size(); i++) {
        v.add(r.get(i));
      }
      return v;
    }).toList();
    List<String> named = varying.stream().filter(c -> values.stream().noneMatch(v -> "".equals(v.get(varying.indexOf(
        c))))).toList();
    List<String> kept = GroupKeys.independent(named, varying, values);
    boolean truncated = combos.size() > MAX_PARTITIONS * 10;
    for (int k = kept.size(); k > 0; k--) {
      List<String> prefix = kept.subList(0, k);
      long distinct;
      if (truncated) {
        distinct = runs.select(prefix.stream().map(c -> col(c)).toArray(Column[]::new)).distinct().limit(MAX_PARTITIONS
            + 1).count();
      } else {
        Set<List<Object>> seen = new HashSet<>();
        for (Row r : combos) {
          seen.add(prefix.stream().map(c -> r.get(varying.indexOf(c))).toList());
        }
        distinct = seen.size();
      }
      if (distinct <= MAX_PARTITIONS) {
        return List.copyOf(prefix);
      }
    }
    return List.of();
  }
}
