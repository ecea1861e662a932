package io.github.overparam.spark.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.overparam.spark.cli.CliRun;
import io.github.overparam.spark.sweep.FolderLease;
import io.github.overparam.spark.sweep.SparkSessions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end: a small real sweep through the CLI, analyzed at the end of run and again by analyze. */
class AnalyzeCliTest {
  @TempDir
  Path tmp;

  private static List<Row> readSorted(String path) {
    SparkSession spark = SparkSessions.create("local[1]", "overparam-analyze-cli-read");
    try {
      return spark.read().parquet(path).orderBy("quantity", "against", "group_key").collectAsList();
    } finally {
      spark.stop();
    }
  }

  static final String SMALL = """
      sweep: analyze-small
      data: {n: [6, 12, 24], d: 4, labels: gaussian}
      model: {arch: two_layer, parameterization: du, width: [2, 8, 64, 256]}
      train: {lr: 0.5, loss: half_sum_squared, max_steps: 400, target_loss: {relative: 1.0e-2}}
      seeds: 3
      record: {curve_points: 10, ntk: false}
      """;

  @Test
  void runAnalyzesThenAnalyzeRewritesTheTables() throws Exception {
    Path cfg = tmp.resolve("small.yaml");
    Files.writeString(cfg, SMALL);
    String out = tmp.resolve("out").toString();
    CliRun run = CliRun.of("run", cfg.toString(), "--out", out, "--master", "local[2]", "--progress-seconds", "60");
    assertEquals(0, run.code(), run.err() + run.out());
    assertTrue(run.out().contains("noy_growth_n") && run.out().contains("du_distance_sqrt_m"), run.out());
    String dir = out + "/analyze-small";
    for (String t : List.of("critical", "fits", "verdicts")) {
      assertTrue(Files.isDirectory(Path.of(dir, t)), t);
    }

    List<Row> firstFits = readSorted(dir + "/fits");
    assertTrue(firstFits.size() >= 10, firstFits.toString());

    CliRun analyze = CliRun.of("analyze", dir, "--master", "local[2]", "--threshold", "0.6");
    assertEquals(0, analyze.code(), analyze.err() + analyze.out());
    assertTrue(analyze.out().contains("claim") && analyze.out().contains("holds"), analyze.out());
    assertTrue(analyze.out().contains("3 groups"), analyze.out());

    CliRun sql = CliRun.of("sql", dir, "SELECT count(*) AS groups, min(threshold) AS t FROM critical", "--master",
        "local[1]");
    assertEquals(0, sql.code(), sql.err());
    assertTrue(sql.out().contains("3") && sql.out().contains("0.6"), sql.out());

    SparkSession spark = SparkSessions.create("local[2]", "overparam-analyze-cli-test");
    try {
      spark.read().parquet(dir + "/runs").createOrReplaceTempView("runs");
      spark.read().parquet(dir + "/critical").createOrReplaceTempView("critical");
      spark.read().parquet(dir + "/fits").createOrReplaceTempView("fits");
      spark.read().parquet(dir + "/verdicts").createOrReplaceTempView("verdicts");
      // One row per group, and each group's runs are counted per width.
      assertEquals(3L, spark.sql("SELECT count(*) FROM critical").first().getLong(0));
      assertEquals(3L, spark.sql("SELECT count(DISTINCT group_key) FROM critical").first().getLong(0));
      Row widths = spark.sql("SELECT widths, runs_per_width FROM critical WHERE n = 12").first();
      assertEquals(List.of(2, 8, 64, 256), widths.getList(0));
      assertEquals(List.of(3, 3, 3, 3), widths.getList(1));
      assertEquals(spark.sql("SELECT count(*) FROM runs").first().getLong(0),
          spark.sql("SELECT sum(aggregate(runs_per_width, 0, (a, x) -> a + x)) FROM critical").first().getLong(0));
      assertEquals(List.of(AnalysisTables.FITS_SCHEMA.fieldNames()),
          List.of(spark.table("fits").schema().fieldNames()));
      assertEquals(List.of(AnalysisTables.VERDICTS_SCHEMA.fieldNames()),
          List.of(spark.table("verdicts").schema().fieldNames()));
      assertEquals(0L, spark.sql("SELECT count(*) FROM verdicts WHERE holds NOT IN ('true', 'false',"
          + " 'inconclusive')").first().getLong(0));
      assertEquals(3L, spark.sql("SELECT count(*) FROM fits WHERE quantity = 'max_neuron_distance'").first().getLong(
          0));
      assertEquals(1L, spark.sql("SELECT count(*) FROM verdicts WHERE claim = 'noy_growth_n'").first().getLong(0));
      assertEquals(0L, spark.sql("SELECT count(*) FROM verdicts WHERE claim IN ('noy_growth_L',"
          + " 'kh_generalization', 'az_zou_movement_shrinks')").first().getLong(0));
    } finally {
      spark.stop();
    }

    // Deterministic: the same threshold again gives the same fits, intervals included.
    CliRun again = CliRun.of("analyze", dir, "--master", "local[2]");
    assertEquals(0, again.code(), again.err());
    assertEquals(firstFits, readSorted(dir + "/fits"));

    // A sweep in progress holds the folder: analyze refuses and writes nothing; after it ends, it runs.
    try (FolderLease running = new FolderLease(new org.apache.hadoop.fs.Path(dir), new Configuration(), "s-running",
        Duration.ofSeconds(10), Duration.ofSeconds(60))) {
      running.acquire(false);
      CliRun busy = CliRun.of("analyze", dir, "--master", "local[1]");
      assertEquals(2, busy.code(), busy.out());
      assertTrue(busy.err().contains("being written by") && busy.err().contains("s-running")
          && busy.err().contains("waits for the sweep to finish"), busy.err());
      assertEquals(firstFits, readSorted(dir + "/fits"), "analyze beside a live sweep wrote fits/");
    }
    assertFalse(Files.exists(Path.of(dir, FolderLease.FILE)), "the sweep's lease was released");
    CliRun after = CliRun.of("analyze", dir, "--master", "local[1]");
    assertEquals(0, after.code(), after.err());
    assertFalse(Files.exists(Path.of(dir, FolderLease.FILE)), "analyze released its own lease");

    Path empty = Files.createDirectories(tmp.resolve("nothing"));
    CliRun none = CliRun.of("analyze", empty.toString(), "--master", "local[1]");
    assertEquals(2, none.code());
    assertTrue(none.err().contains("no runs table"), none.err());
    CliRun badThreshold = CliRun.of("analyze", dir, "--threshold", "1.5");
    assertEquals(2, badThreshold.code());
    assertTrue(badThreshold.err().contains("--threshold must be in (0, 1]"), badThreshold.err());
    CliRun help = CliRun.of("analyze", "--help");
    assertEquals(0, help.code());
    assertTrue(help.out().contains("--threshold") && help.out().contains("critical/"), help.out());
    CliRun noAnalyze = CliRun.of("run", cfg.toString(), "--out", tmp.resolve("out2").toString(), "--master", "local[2]",
        "--no-analyze");
    assertEquals(0, noAnalyze.code(), noAnalyze.err());
    assertTrue(!Files.exists(tmp.resolve("out2/analyze-small/verdicts")));
  }
}
