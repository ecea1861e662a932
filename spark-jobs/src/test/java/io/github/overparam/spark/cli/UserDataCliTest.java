package io.github.overparam.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep on a user's CSV through the command line, in-process with a real local Spark: the table
 * is read on the driver, shipped to the tasks, and the runs are read back with Spark SQL; a bad
 * table is exit code 2 naming its key; a changed file is another sweep.
 */
class UserDataCliTest {
  @TempDir
  Path tmp;

  /** 60 points in 3-D, a text label by the side of a plane through the mean (so binary, -1 / +1). */
  private Path table() throws Exception {
    Random rng = new Random(7);
    StringBuilder csv = new StringBuilder("u,v,w,side\n");
    for (int i = 0; i < 60; i++) {
      double u = rng.nextGaussian();
      double v = rng.nextGaussian();
      double w = rng.nextGaussian();
      csv.append(String.format(Locale.ROOT, "%.5f,%.5f,%.5f,%s%n", u, v, w, u + v > 0 ? "right" : "left"));
    }
    Path p = tmp.resolve("points.csv");
    Files.writeString(p, csv.toString());
    return p;
  }

  private Path config(Path csv) throws Exception {
    Path p = tmp.resolve("user.yaml");
    Files.writeString(p, """
        sweep: user-cli
        data: {source: csv, path: '%s', label: side, n: [20, 40], n_test: 20}
        model: {arch: two_layer, parameterization: standard, width: [32, 256]}
        train: {lr: 2.0, loss: logistic, max_steps: 3000, target_loss: {absolute: 0.05}}
        seeds: 2
        record: {curve_points: 20}
        """.formatted(csv));
    return p;
  }

  @Test
  void sweepOnACsvThenSqlThenAChangedFileIsAnotherSweep() throws Exception {
    Path csv = table();
    Path cfg = config(csv);
    CliRun valid = CliRun.of("validate", cfg.toString());
    assertEquals(0, valid.code(), valid.err());
    assertTrue(valid.out().contains("8 runs"), valid.out());
    assertTrue(valid.out().contains("data: csv " + csv + " (sha256 "), valid.out());

    String out = tmp.resolve("out").toString();
    CliRun run = CliRun.of("run", cfg.toString(), "--out", out, "--master", "local[2]", "--no-analyze");
    assertEquals(0, run.code(), run.err() + run.out());
    assertTrue(run.out().contains("failed=0"), run.out());

    CliRun sql = CliRun.of("sql", out + "/user-cli", "SELECT count(*) AS runs, count(DISTINCT dataset_id) AS sets,"
        + " min(d) AS d, min(data_source) AS src, min(labels) AS lab, min(train_accuracy) AS train_acc,"
        + " sum(IF(status = 'failed', 1, 0)) AS failed, sum(IF(data_note LIKE '%scaled to unit norm%', 1, 0)) AS noted"
        + " FROM runs", "--master", "local[1]");
    assertEquals(0, sql.code(), sql.err());
    String row = sql.out().lines().filter(l -> l.startsWith("8 ")).findFirst().orElse("");
    assertTrue(row.matches(
        "8\\s+\\|\\s+4\\s+\\|\\s+3\\s+\\|\\s+csv\\s+\\|\\s+column\\s+\\|\\s+\\S+\\s+\\|\\s+0\\s+\\|\\s+8\\s*"),
        "8 runs on 4 data sets (2 n x 2 seeds), d 3, labels from the column, none failed, all noted:\n" + sql.out());
    CliRun sets = CliRun.of("sql", out + "/user-cli", "SELECT count(*) AS c FROM datasets WHERE data_note LIKE"
        + " 'csv %points.csv (sha256 %, 60 rows x 3 features), label side: binary, left -> -1, right -> +1%'",
        "--master", "local[1]");
    assertTrue(sets.out().lines().anyMatch(l -> l.trim().equals("4")), sets.out());

    CliRun resumed = CliRun.of("run", cfg.toString(), "--out", out, "--master", "local[2]", "--resume", "--no-analyze");
    assertEquals(0, resumed.code(), resumed.err());
    assertTrue(resumed.out().contains("8 already done"), "the same file gives the same run ids:\n" + resumed.out());

    Files.writeString(csv, Files.readString(csv).replaceFirst("\n(-?\\d)", "\n1$1"));
    CliRun changed = CliRun.of("run", cfg.toString(), "--out", out, "--master", "local[2]", "--resume");
    assertEquals(1, changed.code(), changed.out());
    assertTrue(changed.err().contains("different config"), "a changed file gives other run ids:\n" + changed.err());
  }

  @Test
  void badTableIsExitCodeTwoNamingTheKeyAndWritesNothing() throws Exception {
    Path cfg = config(table());
    Path out = tmp.resolve("bad-out");
    CliRun label = CliRun.of("run", cfg.toString(), "--out", out.toString(), "--master", "local[1]", "--set",
        "data.label=sides");
    assertEquals(2, label.code(), label.err());
    assertTrue(label.err().contains("data.label: value sides: no such column"), label.err());
    CliRun file = CliRun.of("validate", cfg.toString(), "--set", "data.path=" + tmp.resolve("gone.csv"));
    assertEquals(2, file.code(), file.err());
    assertTrue(file.err().contains("data.path: value " + tmp.resolve("gone.csv") + ": no such file or folder"),
        file.err());
    CliRun tooMany = CliRun.of("plan", cfg.toString(), "--set", "data.n=50");
    assertEquals(2, tooMany.code(), tooMany.err());
    assertTrue(tooMany.err().contains("data.n: value 50: n + n_test = 70 but the table"), tooMany.err());
    assertFalse(Files.exists(out), "a bad config writes nothing");
  }

  @Test
  void theShippedExampleValidates() {
    CliRun example = CliRun.of("validate", "../configs/user-data.yaml", "--set",
        "data.path=../configs/data/two-class.csv");
    assertEquals(0, example.code(), example.err());
    assertTrue(example.out().contains("18 runs"), example.out());
  }
}
