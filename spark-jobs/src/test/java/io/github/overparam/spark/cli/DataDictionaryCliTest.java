package io.github.overparam.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.overparam.spark.sweep.SparkSessions;
import io.github.overparam.spark.sweep.SweepViews;
import io.github.overparam.spark.table.DataDictionary;
import io.github.overparam.spark.table.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every column of every table says what it means: in DESCRIBE, in {@code overparam schema}. */
class DataDictionaryCliTest {
  @TempDir
  Path tmp;

  /** Two n and four widths: enough for critical widths, a fit against n and verdicts. */
  static final String SWEEP = """
      sweep: describe
      data: {n: [8, 16], d: 4, labels: gaussian}
      model: {arch: two_layer, parameterization: du, width: [2, 8, 64, 256]}
      train: {lr: 0.5, loss: half_sum_squared, max_steps: 400, target_loss: {relative: 1.0e-3}}
      seeds: 2
      record: {curve_points: 10}
      """;

  @Test
  void describeShowsACommentForEveryColumnOfEveryTable() throws Exception {
    Path cfg = tmp.resolve("describe.yaml");
    Files.writeString(cfg, SWEEP);
    String out = tmp.resolve("out").toString();
    CliRun run = CliRun.of("run", cfg.toString(), "--out", out, "--master", "local[2]");
    assertEquals(0, run.code(), run.err() + run.out());
    String dir = out + "/describe";

    SparkSession spark = SparkSessions.create("local[1]", "describe-test");
    try {
      List<String> views = SweepViews.register(spark, dir);
      assertEquals(List.of(Table.values()).stream().map(Table::dir).toList(), views, "every table is written");
      List<String> missing = new ArrayList<>();
      for (String view : views) {
        List<Row> rows = spark.sql("DESCRIBE " + view).collectAsList();
        assertFalse(rows.isEmpty(), view);
        for (Row r : rows) {
          String name = r.getString(0);
          if (name == null || name.isBlank() || name.startsWith("#")) {
            continue;
          }
          String comment = r.getString(2);
          if (comment == null || comment.isBlank()) {
            missing.add(view + "." + name);
          }
        }
      }
      assertTrue(missing.isEmpty(), "columns without a comment in DESCRIBE: " + missing);
    } finally {
      spark.stop();
    }

    CliRun describe = CliRun.of("sql", dir, "DESCRIBE runs", "--master", "local[1]", "--max-rows", "500");
    assertEquals(0, describe.code(), describe.err());
    assertTrue(describe.out().contains("hidden width m (cnn: channels) [neurons]"), describe.out());
  }

  @Test
  void schemaPrintsTheDataDictionary() {
    CliRun runs = CliRun.of("schema", "runs");
    assertEquals(0, runs.code(), runs.err());
    assertEquals(DataDictionary.text(Table.RUNS), runs.out());
    CliRun all = CliRun.of("schema", "--markdown");
    assertEquals(0, all.code(), all.err());
    for (Table t : Table.values()) {
      assertTrue(all.out().contains(DataDictionary.markdown(t)), t.dir());
    }
    CliRun bad = CliRun.of("schema", "run");
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("TABLE 'run'") && bad.err().contains("runs, curves, datasets"), bad.err());
  }
}
