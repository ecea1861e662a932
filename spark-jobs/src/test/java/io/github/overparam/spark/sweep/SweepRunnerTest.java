package io.github.overparam.spark.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.overparam.core.data.DataSpec;
import io.github.overparam.core.data.LabelKind;
import io.github.overparam.core.model.Activation;
import io.github.overparam.core.model.Arch;
import io.github.overparam.core.model.ModelSpec;
import io.github.overparam.core.model.Parameterization;
import io.github.overparam.core.run.RecordSpec;
import io.github.overparam.core.run.RunSpec;
import io.github.overparam.core.train.Loss;
import io.github.overparam.core.train.TargetLoss;
import io.github.overparam.core.train.TrainSpec;
import io.github.overparam.spark.LocalSpark;
import io.github.overparam.spark.config.SweepConfig;
import io.github.overparam.spark.table.Table;
import io.github.overparam.spark.table.Tables;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.FileSourceScanExec;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import scala.collection.Seq;

/** Sweeps on a real local[2] Spark: tables written, read back with Spark SQL, resumed, compared. */
class SweepRunnerTest {
  @RegisterExtension
  static final LocalSpark LOCAL = new LocalSpark(2);
  private static SparkSession spark;
  @TempDir
  static Path tmp;

  @BeforeAll
  static void start() {
    spark = LOCAL.session();
  }

  /** 2 sample sizes x 3 widths x 2 seeds = 12 runs; the narrowest cannot reach the target in time. */
  static SweepConfig request(String name, Integer waveSize, Integer partitions) {
    List<RunSpec> runs = new ArrayList<>();
    for (int n : new int[] {10, 20}) {
      for (int m : new int[] {4, 64, 256}) {
        for (int seed = 0; seed < 2; seed++) {
          runs.add(new RunSpec(DataSpec.sphere(n, 5, LabelKind.GAUSSIAN), ModelSpec.du(m),
              TrainSpec.gd(0.5, Loss.HALF_SUM_SQUARED, 2000, TargetLoss.relative(1e-3)),
              new RecordSpec(20, true, 100), seed));
        }
      }
    }
    return SweepConfig.of(name, runs, "sweep: " + name + "\n", waveSize, partitions);
  }

  private static SweepRunner runner(ByteArrayOutputStream console) {
    return new SweepRunner(spark, new PrintStream(console, true, StandardCharsets.UTF_8), Duration.ofSeconds(30));
  }

  /** A table without its wall-clock columns and without the sweep name (the sweeps compared differ in name). */
  private static Dataset<Row> table(String folder, String table) {
    return spark.read().parquet(folder + "/" + table).drop(Tables.nondeterministicColumns().toArray(
        String[]::new)).drop("sweep");
  }

  private static void assertSameTable(String a, String b, String table) {
    Dataset<Row> ta = table(a, table);
    Dataset<Row> tb = table(b, table);
    assertEquals(ta.count(), tb.count(), table + " row count");
    assertEquals(0, ta.exceptAll(tb).count(), table + ": rows of " + a + " missing from " + b);
    assertEquals(0, tb.exceptAll(ta).count(), table + ": rows of " + b + " missing from " + a);
  }

  /** 8 seeds of one small shape that no other test of this JVM sweeps (so that its warm-up is still to do). */
  private static SweepConfig oneShape(String name) {
    List<RunSpec> runs = new ArrayList<>();
    for (int seed = 0; seed < 8; seed++) {
      runs.add(new RunSpec(DataSpec.sphere(40, 3, LabelKind.GAUSSIAN), ModelSpec.du(12),
          TrainSpec.gd(0.5, Loss.HALF_SUM_SQUARED, 3000, TargetLoss.absolute(1e-300)), new RecordSpec(20, true, 100),
          seed));
    }
    return SweepConfig.of(name, runs, "sweep: " + name + "\n", null, 2);
  }

  @Test
  void theJitWarmUpIsRecordedOnceAndChangesNoRow() throws Exception {
    String out = tmp.resolve("warm").toString();
    runner(new ByteArrayOutputStream()).run(oneShape("cold"), out, false, 0);
    runner(new ByteArrayOutputStream()).warmUp(true).run(oneShape("warm"), out, false, 0);
    Row cold = spark.read().parquet(out + "/cold/runs").selectExpr("count(*)", "count(warmup_ms)",
        "count_if(warmup_ms > 0)").first();
    assertEquals(8L, cold.getLong(0));
    assertEquals(8L, cold.getLong(1), "warmup_ms is never null");
    assertEquals(0L, cold.getLong(2), "no warm-up unless asked for");
    Row warm = spark.read().parquet(out + "/warm/runs").selectExpr("count(warmup_ms)", "count_if(warmup_ms > 0)",
        "count_if(warmup_ms < 0)").first();
    assertEquals(8L, warm.getLong(0));
    // Two task threads, one shape: one of them warms the executor JVM (for at least Warmup's quiet window).
    assertEquals(1L, warm.getLong(1), "the first run of the shape in this JVM carries its warm-up");
    assertEquals(0L, warm.getLong(2));
    for (String table : List.of("runs", "curves", "datasets")) {
      assertSameTable(out + "/cold", out + "/warm", table);
    }
    // A plan calibrated from this sweep counts the warm-up in the time of its shape.
    Dataset<Row> runs = spark.read().parquet(out + "/warm/runs");
    double expected = runs.filter("wall_us > 0 AND flops > 0").selectExpr(
        "sum(flops) / ((sum(wall_us) / 1000.0 + sum(warmup_ms)) / 1000.0) / 1e9").first().getDouble(0);
    // wall_ms is wall_us in whole milliseconds.
    assertEquals(0L, runs.filter("wall_us IS NULL OR wall_us <= 0 OR wall_ms <> wall_us div 1000").count());
    assertEquals(expected, Rates.fromRuns(runs, "warm").gflops(oneShape("any").runs().get(0)), 1e-12 * expected);
  }

  @Test
  void sweepWritesTablesResumesAndIsDeterministic() throws Exception {
    String out = tmp.resolve("out").toString();
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    SweepRunner.Outcome full = runner(console).run(request("full", 4, 2), out, false, 0);
    assertEquals(12, full.gridSize());
    assertEquals(12, full.ran());
    assertEquals(3, full.waves());
    String fullDir = out + "/full";

    // Read back with Spark SQL through views.
    spark.read().parquet(fullDir + "/runs").createOrReplaceTempView("runs");
    spark.read().parquet(fullDir + "/curves").createOrReplaceTempView("curves");
    spark.read().parquet(fullDir + "/datasets").createOrReplaceTempView("datasets");
    assertEquals(12L, spark.sql("SELECT count(*), count(DISTINCT run_id) FROM runs").first().getLong(0));
    assertEquals(12L, spark.sql("SELECT count(DISTINCT run_id) FROM runs").first().getLong(0));
    assertEquals(4L, spark.sql("SELECT count(*) FROM datasets").first().getLong(0));
    assertEquals(0L, spark.sql("SELECT count(*) FROM runs WHERE status IN ('failed', 'diverged')").first().getLong(0));
    // Width 4 is mostly too narrow to fit 10-20 points to 1e-3 in 2000 steps; width 256 always gets there.
    assertTrue(spark.sql("SELECT count(*) FROM runs WHERE width = 4 AND status = 'max_steps'").first().getLong(0) >= 2);
    assertEquals(4L, spark.sql("SELECT count(*) FROM runs WHERE width = 256 AND status = 'converged'").first().getLong(
        0));
    // Every run has a curve from step 0 to its last step, and the curve ends at its final loss.
    Row c = spark.sql(
        "SELECT count(DISTINCT c.run_id), sum(CASE WHEN c.step = 0 THEN 1 ELSE 0 END) FROM curves c").first();
    assertEquals(12L, c.getLong(0));
    assertEquals(12L, c.getLong(1));
    assertEquals(0L, spark.sql("SELECT count(*) FROM runs r JOIN curves c ON r.run_id = c.run_id AND c.step = r.steps"
        + " WHERE c.loss <> r.final_loss").first().getLong(0));
    assertEquals(12L, spark.sql(
        "SELECT count(*) FROM runs r JOIN curves c ON r.run_id = c.run_id AND c.step = r.steps").first().getLong(0));
    assertEquals(0L, spark.sql(
        "SELECT count(*) FROM runs r LEFT ANTI JOIN datasets d ON r.dataset_id = d.dataset_id").first().getLong(0));
    assertTrue(spark.sql("SELECT min(lambda0) FROM datasets").first().getDouble(0) > 0);
    assertTrue(console.toString(StandardCharsets.UTF_8).contains("[wave 3/3] 12/12 runs done"));
    String manifest = Files.readString(Path.of(fullDir, "manifest.json"));
    assertTrue(manifest.contains("\"grid_size\" : 12") && manifest.contains("\"complete\" : true"), manifest);

    // Interrupted after the first wave, then resumed: the same table, no duplicates.
    SweepRunner.Outcome first = runner(console).run(request("resumed", 4, 2), out, false, 1);
    assertEquals(4, first.ran());
    // A wave cut short by a crash leaves files behind; resume must not read them as results.
    Path orphan = Path.of(out, "resumed", "curves", "wave=7");
    Files.createDirectories(orphan);
    Files.writeString(orphan.resolve("part-00000.parquet"), "half written");
    // Before the resume, the views read committed waves only: the orphan is not read.
    assertTrue(SweepViews.register(spark, out + "/resumed").contains(Table.CURVES.dir()));
    assertEquals(4L, spark.sql("SELECT count(DISTINCT run_id) FROM curves").first().getLong(0));
    SweepRunner.Outcome rest = runner(console).run(request("resumed", 4, 2), out, true, 0);
    assertEquals(4, rest.alreadyDone());
    assertEquals(8, rest.ran());
    assertFalse(Files.exists(orphan));
    for (Table t : Table.waveTables()) {
      assertSameTable(fullDir, out + "/resumed", t.dir());
    }
    // Nothing left to do: resume is a no-op.
    assertEquals(0, runner(console).run(request("resumed", 4, 2), out, true, 0).ran());

    // Another partitioning and wave size: identical tables.
    runner(console).run(request("other-partitions", 12, 1), out, false, 0);
    for (Table t : Table.waveTables()) {
      assertSameTable(fullDir, out + "/other-partitions", t.dir());
    }
  }

  /**
   * Narrow deep nets of one shape train packed, several to a task: the same tables, bit for bit, as
   * with packing off (-Doverparam.packed=false), every run alone.
   */
  @Test
  void packedRunsWriteTheTablesOfRunsAlone() throws Exception {
    List<RunSpec> runs = new ArrayList<>();
    for (int seed = 0; seed < 11; seed++) {
      for (int width : new int[] {4, 6}) {
        runs.add(new RunSpec(DataSpec.sphere(20, 5, LabelKind.GAUSSIAN), ModelSpec.of(Arch.DEEP, Parameterization.ZOU,
            Activation.RELU, width, 2), TrainSpec.gd(0.1 * (1 + seed % 3), Loss.HALF_SUM_SQUARED, 300,
                TargetLoss.relative(0.1)), new RecordSpec(10, true, 100), seed));
      }
    }
    String out = tmp.resolve("packed").toString();
    runner(new ByteArrayOutputStream()).run(SweepConfig.of("packed", runs, "sweep: packed\n", null, 2), out, false, 0);
    String before = System.getProperty("overparam.packed");
    System.setProperty("overparam.packed", "false");
    try {
      runner(new ByteArrayOutputStream()).run(SweepConfig.of("alone", runs, "sweep: alone\n", null, 2), out, false, 0);
    } finally {
      if (before == null) {
        System.clearProperty("overparam.packed");
      } else {
        System.setProperty("overparam.packed", before);
      }
    }
    assertEquals(22L, spark.read().parquet(out + "/packed/runs").count());
    assertTrue(spark.read().parquet(out + "/packed/runs").filter("status = 'converged'").count() > 0);
    for (Table t : Table.waveTables()) {
      assertSameTable(out + "/packed", out + "/alone", t.dir());
    }
  }

  @Test
  void refusesToOverwriteOrMix() throws Exception {
    String out = tmp.resolve("refuse").toString();
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    runner(console).run(request("s", 12, 2), out, false, 0);
    SweepException again = assertThrows(SweepException.class,
        () -> runner(console).run(request("s", 12, 2), out, false, 0));
    assertTrue(again.getMessage().contains("already exists; rerun with --resume"), again.getMessage());

    SweepConfig other = request("s", 12, 2);
    SweepConfig smaller = SweepConfig.of("s", other.runs().subList(0, 5), other.resolvedYaml(), 12, 2);
    SweepException mixed = assertThrows(SweepException.class,
        () -> runner(console).run(smaller, out, true, 0));
    assertTrue(mixed.getMessage().contains("different config"), mixed.getMessage());

    Path foreign = tmp.resolve("foreign").resolve("s");
    Files.createDirectories(foreign);
    Files.writeString(foreign.resolve("notes.txt"), "mine");
    SweepException refused = assertThrows(SweepException.class,
        () -> runner(console).run(request("s", 12, 2), tmp.resolve("foreign").toString(), false, 0));
    assertTrue(refused.getMessage().contains("not an overparam sweep folder"), refused.getMessage());
    assertEquals("mine", Files.readString(foreign.resolve("notes.txt")));
  }

  /** The number of files the scans of {@code query}'s executed plan read (Spark's numFiles metric). */
  private static long filesRead(Dataset<Row> query) {
    query.collectAsList();
    SparkPlan plan = query.queryExecution().executedPlan();
    if (plan instanceof AdaptiveSparkPlanExec adaptive) {
      plan = adaptive.executedPlan();
    }
    long files = 0;
    Seq<SparkPlan> leaves = plan.collectLeaves();
    for (int i = 0; i < leaves.length(); i++) {
      if (leaves.apply(i) instanceof FileSourceScanExec scan) {
        files += scan.metrics().apply("numFiles").value();
      }
    }
    return files;
  }

  private static long filesUnder(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".parquet")).count();
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  private static void assertSameView(String a, String b, Table table) {
    Dataset<Row> ta = SweepViews.read(spark, a, table);
    Dataset<Row> tb = SweepViews.read(spark, b, table).select(ta.columns()[0], Arrays.copyOfRange(ta.columns(), 1,
        ta.columns().length));
    assertEquals(ta.count(), tb.count(), table + " row count");
    assertEquals(0, ta.exceptAll(tb).count(), table + ": rows of " + a + " missing from " + b);
    assertEquals(0, tb.exceptAll(ta).count(), table + ": rows of " + b + " missing from " + a);
  }

  /** 2 sample sizes x 2 widths x 2 seeds, 4 steps (5 curve points) each, in 2 waves of 2 tasks: cheap. */
  private static SweepConfig small() {
    List<RunSpec> runs = new ArrayList<>();
    for (int n : new int[] {10, 20}) {
      for (int m : new int[] {4, 8}) {
        for (int seed = 0; seed < 2; seed++) {
          runs.add(new RunSpec(DataSpec.sphere(n, 5, LabelKind.GAUSSIAN), ModelSpec.du(m), TrainSpec.gd(0.5,
              Loss.HALF_SUM_SQUARED, 4, TargetLoss.relative(1e-3)), new RecordSpec(20, false, 100), seed));
        }
      }
    }
    return SweepConfig.of("c", runs, "sweep: c\n", 4, 2);
  }

  @Test
  void compactionPartitionsByGroupCommitsOnceAndKeepsEveryRow() throws Exception {
    String out = tmp.resolve("compact").toString();
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    runner(console).run(small(), out, false, 0);
    Path dir = Path.of(out, "c");
    Path waves = tmp.resolve("compact-waves");
    copy(dir, waves);
    assertEquals(4, filesUnder(dir.resolve("runs"))); // 2 waves of 2 tasks
    // What a compaction cut short by a crash leaves: files under their final names, no record. Not read.
    Path stray = dir.resolve("runs").resolve("n=10");
    Files.createDirectories(stray);
    Files.writeString(stray.resolve("compacted-00000-crashed-a0-c000.snappy.parquet"), "half written");
    // A sweep of one group has no partition folders: its compaction's files lie in the table's folder.
    Path strayTop = dir.resolve("runs").resolve("compacted-00001-crashed-a0-c000.snappy.parquet");
    Files.writeString(strayTop, "half written");
    assertEquals(8L, SweepViews.read(spark, dir.toString(), Table.RUNS).count());

    PrintStream log = new PrintStream(console, true, StandardCharsets.UTF_8);
    SweepFolder folder = new SweepFolder(new org.apache.hadoop.fs.Path(dir.toString()),
        spark.sparkContext().hadoopConfiguration());
    List<Compaction.Sizes> sizes;
    try (FolderLease lease = FolderLease.forSession(folder.root(), spark)) {
      lease.acquire(false);
      sizes = new Compaction(spark, log).compact(folder, lease);
    }
    assertFalse(Files.exists(stray.resolve("compacted-00000-crashed-a0-c000.snappy.parquet")));
    assertFalse(Files.exists(strayTop), "a compaction's unlisted file is ours to delete, not foreign");
    assertTrue(Files.exists(dir.resolve(TableLayout.FILE)));
    assertEquals(List.of("n"), TableLayout.read(folder).partitionColumns());
    for (Table t : Table.waveTables()) {
      try (Stream<Path> s = Files.list(dir.resolve(t.dir()))) {
        String column = t == Table.CURVES ? "run_n" : "n";
        assertEquals(List.of(column + "=10", column + "=20"), s.map(p -> p.getFileName().toString()).filter(
            n -> !n.startsWith(
                ".")).sorted().toList(), t.dir() + "/ holds the two partitions and no wave");
      }
    }
    // Each table: 3 waves' files merged into one file per partition, every row kept.
    assertEquals(List.of(4L, 4L), sizes.subList(0, 2).stream().map(Compaction.Sizes::filesBefore).toList());
    assertEquals(List.of(2L, 2L, 2L), sizes.stream().map(Compaction.Sizes::filesAfter).toList());
    assertEquals(List.of(8L, 8L * 5, 4L), sizes.stream().map(Compaction.Sizes::rows).toList());
    assertTrue(Files.readString(dir.resolve(SweepFolder.MANIFEST_FILE)).contains("\"partition_columns\" : [ \"n\" ]"));
    // Value for value (run ids, wave and wall times included) the same tables as the waves'.
    for (Table t : Table.waveTables()) {
      assertSameView(waves.toString(), dir.toString(), t);
    }
    // curves/ gains the group column of its run as run_n, so a filter on the group prunes it too.
    assertTrue(List.of(SweepViews.read(spark, dir.toString(), Table.CURVES).columns()).contains("run_n"));

    // A query on one group reads only that group's files: the plan filters partitions, the scan opens one file.
    SweepViews.register(spark, dir.toString());
    Dataset<Row> one = spark.sql("SELECT run_id, status FROM runs WHERE n = 10");
    assertTrue(one.queryExecution().executedPlan().toString().contains("PartitionFilters: [isnotnull(n"),
        one.queryExecution().executedPlan().toString());
    assertEquals(1, filesRead(one));
    assertEquals(4, one.count());
    assertEquals(2, filesRead(spark.sql("SELECT run_id FROM runs")));
    assertEquals(1, filesRead(spark.sql("SELECT step, loss FROM curves WHERE run_n = 20")));
    // A query joining runs/ and curves/ by unqualified group names still reads them from runs/.
    assertEquals(20L, spark.sql(
        "SELECT count(*) FROM runs r JOIN curves c ON r.run_id = c.run_id WHERE n = 10").first().getLong(0));

    // A crash after the record, before the replaced waves were deleted: they are never read twice, and
    // a resume (which finds every run done) deletes them.
    copy(waves.resolve("runs").resolve("wave=0"), dir.resolve("runs").resolve("wave=0"));
    assertEquals(8L, SweepViews.read(spark, dir.toString(), Table.RUNS).count());
    assertEquals(Set.of(0, 1), folder.committedWaves());
    assertEquals(0, runner(console).run(small(), out, true, 0).ran());
    assertFalse(Files.exists(dir.resolve("runs").resolve("wave=0")));
    assertEquals(List.of(8L, 40L, 4L), Table.waveTables().stream().map(t -> SweepViews.read(spark, dir.toString(),
        t).count()).toList());
    // Once is enough.
    try (FolderLease lease = FolderLease.forSession(folder.root(), spark)) {
      lease.acquire(true);
      assertEquals(List.of(), new Compaction(spark, log).compact(folder, lease));
    }
    assertTrue(console.toString(StandardCharsets.UTF_8).contains("already compacted"));
  }

  @Test
  void wavesCommittedAfterACompactionAreCompactedIncrementallyUnderTheNextRecord() throws Exception {
    String out = tmp.resolve("recompact").toString();
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    PrintStream log = new PrintStream(console, true, StandardCharsets.UTF_8);
    runner(console).run(small(), out, false, 1); // wave 0 of 2, then stopped
    Path dir = Path.of(out, "c");
    SweepFolder folder = new SweepFolder(new org.apache.hadoop.fs.Path(dir.toString()),
        spark.sparkContext().hadoopConfiguration());
    try (FolderLease lease = FolderLease.forSession(folder.root(), spark)) {
      lease.acquire(false);
      new Compaction(spark, log).compact(folder, lease);
    }
    TableLayout first = TableLayout.read(folder);
    assertEquals(1, first.generation());
    assertEquals(List.of(0), first.waves());
    Set<String> firstFiles = new java.util.HashSet<>(folder.listedFiles(Table.RUNS));

    // The sweep resumed: wave 1 is written as a wave and read beside the compacted files.
    runner(console).run(small(), out, true, 0);
    assertEquals(Set.of(1), folder.waveFolders());
    assertEquals(8L, SweepViews.read(spark, dir.toString(), Table.RUNS).count());
    Path before = tmp.resolve("recompact-before");
    copy(dir, before);

    List<Compaction.Sizes> sizes;
    try (FolderLease lease = FolderLease.forSession(folder.root(), spark)) {
      lease.acquire(true);
      sizes = new Compaction(spark, log).compact(folder, lease);
    }
    assertTrue(console.toString(StandardCharsets.UTF_8).contains(
        "compacting the 1 waves committed since compacted.json"));
    // Only the new wave's rows were written; the first compaction's files are kept and listed again.
    assertEquals(List.of(4L, 4L * 5), sizes.subList(0, 2).stream().map(Compaction.Sizes::rows).toList());
    TableLayout second = TableLayout.read(folder);
    assertEquals(2, second.generation());
    assertEquals(List.of(0, 1), second.waves());
    assertEquals(first.partitionColumns(), second.partitionColumns());
    assertTrue(folder.listedFiles(Table.RUNS).containsAll(firstFiles));
    assertEquals(firstFiles.size() + sizes.get(0).filesAfter(), folder.listedFiles(Table.RUNS).size());
    assertTrue(Files.exists(dir.resolve("compacted.2.json")));
    assertFalse(Files.exists(dir.resolve(TableLayout.FILE)), "the earlier record is deleted after the commit");
    assertEquals(Set.of(), folder.waveFolders());
    assertFalse(Files.exists(dir.resolve("runs").resolve("wave=1")));
    for (Table t : Table.waveTables()) {
      assertSameView(before.toString(), dir.toString(), t);
    }

    // A crash between the commit and the clean-up leaves both records: the highest generation counts, and
    // the next compaction (nothing to compact) deletes the earlier one.
    Files.copy(before.resolve(TableLayout.FILE), dir.resolve(TableLayout.FILE));
    assertEquals(2, TableLayout.read(folder).generation());
    assertEquals(List.of(), folder.foreignEntries());
    assertEquals(8L, SweepViews.read(spark, dir.toString(), Table.RUNS).count());
    try (FolderLease lease = FolderLease.forSession(folder.root(), spark)) {
      lease.acquire(true);
      assertEquals(List.of(), new Compaction(spark, log).compact(folder, lease));
    }
    assertTrue(console.toString(StandardCharsets.UTF_8).contains("already compacted (compacted.2.json)"));
    assertFalse(Files.exists(dir.resolve(TableLayout.FILE)));
  }

  @Test
  void compactionRecordNamesGiveTheirGeneration() {
    assertEquals(1, TableLayout.generationOf("compacted.json"));
    assertEquals(2, TableLayout.generationOf("compacted.2.json"));
    assertEquals(12, TableLayout.generationOf("compacted.12.json"));
    assertEquals(0, TableLayout.generationOf("compacted.1.json"), "generation 1 is compacted.json only");
    assertEquals(0, TableLayout.generationOf("compacted.x.json"));
    assertEquals(0, TableLayout.generationOf("compacted.02.json"));
    assertEquals("compacted.3.json", TableLayout.file(3));
  }
}
