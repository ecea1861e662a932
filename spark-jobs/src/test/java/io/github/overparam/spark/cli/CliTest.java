package io.github.overparam.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI run in-process: exit codes and what it prints. Spark runs for real in local mode. */
class CliTest {
  @TempDir
  Path tmp;

  private Path config(String text) throws Exception {
    Path p = Files.createTempFile(tmp, "config", ".yaml");
    Files.writeString(p, text);
    return p;
  }

  static final String SMALL = """
      sweep: cli-small
      data: {n: [8, 12], d: 4, labels: gaussian}
      model: {arch: two_layer, parameterization: du, width: [16, 128]}
      train: {lr: 0.5, loss: half_sum_squared, max_steps: 500, target_loss: {relative: 1.0e-3}}
      seeds: 2
      record: {curve_points: 20}
      """;

  @Test
  void versionAndHelp() {
    CliRun v = CliRun.of("--version");
    assertEquals(0, v.code());
    assertTrue(v.out().startsWith("overparam "), v.out());
    CliRun h = CliRun.of("run", "--help");
    assertEquals(0, h.code());
    assertTrue(h.out().contains("--resume") && h.out().contains("--set"), h.out());
    CliRun none = CliRun.of();
    assertEquals(2, none.code());
  }

  @Test
  void validateAndPlan() throws Exception {
    CliRun ok = CliRun.of("validate", config(SMALL).toString());
    assertEquals(0, ok.code(), ok.err());
    assertTrue(ok.out().contains("8 runs"), ok.out());
    CliRun plan = CliRun.of("plan", config(SMALL).toString(), "--cores", "2");
    assertEquals(0, plan.code(), plan.err());
    assertTrue(plan.out().contains("runs:             8"), plan.out());
    CliRun quick = CliRun.of("validate", "../configs/quickstart.yaml");
    assertEquals(0, quick.code(), quick.err());
    assertTrue(quick.out().contains("216 runs"), quick.out());
  }

  @Test
  void badConfigIsExitCodeTwoWithTheKeyPath() throws Exception {
    CliRun bad = CliRun.of("validate", config(SMALL.replace("width: [16, 128]", "width: [16, -3]")).toString());
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("model.width"), bad.err());
    CliRun missing = CliRun.of("run", tmp.resolve("nope.yaml").toString(), "--out", tmp.toString());
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("cannot read config"), missing.err());
    assertFalse(Files.exists(tmp.resolve("cli-small")), "nothing written for a bad config");
    CliRun badSet = CliRun.of("validate", config(SMALL).toString(), "--set", "model.depht=2");
    assertEquals(2, badSet.code());
    assertTrue(badSet.err().contains("model.depht"), badSet.err());
  }

  @Test
  void runThenSqlThenRefuseRerun() throws Exception {
    String out = tmp.resolve("out").toString();
    Path cfg = config(SMALL);
    CliRun run = CliRun.of("run", cfg.toString(), "--out", out, "--master", "local[2]");
    assertEquals(0, run.code(), run.err() + run.out());
    assertTrue(run.out().contains("sweep folder:"), run.out());
    assertTrue(run.out().contains("success_rate"), run.out());
    CliRun sql = CliRun.of("sql", out + "/cli-small", "SELECT count(*) AS n_runs FROM runs", "--master", "local[1]");
    assertEquals(0, sql.code(), sql.err());
    assertTrue(sql.out().contains("n_runs") && sql.out().contains("8"), sql.out());
    CliRun again = CliRun.of("run", cfg.toString(), "--out", out, "--master", "local[2]");
    assertEquals(1, again.code());
    assertTrue(again.err().contains("--resume"), again.err());
    CliRun resumed = CliRun.of("run", cfg.toString(), "--out", out, "--master", "local[2]", "--resume");
    assertEquals(0, resumed.code(), resumed.err());
    assertTrue(resumed.out().contains("8 already done"), resumed.out());
    CliRun badQuery = CliRun.of("sql", out + "/cli-small", "SELECT nope FROM runs", "--master", "local[1]");
    assertEquals(2, badQuery.code());

    // compact: the waves become partitions by group (n varies; width and seed do not name a group).
    CliRun notASweep = CliRun.of("compact", tmp.resolve("nothing").toString(), "--master", "local[1]");
    assertEquals(2, notASweep.code(), notASweep.out());
    assertTrue(notASweep.err().contains("is not a sweep folder"), notASweep.err());
    CliRun compact = CliRun.of("compact", out + "/cli-small", "--master", "local[1]");
    assertEquals(0, compact.code(), compact.err() + compact.out());
    assertTrue(compact.out().contains("partitioned by n") && compact.out().contains("runs/: 8 rows"), compact.out());
    assertTrue(Files.isDirectory(Path.of(out, "cli-small", "runs", "n=8")), "runs/n=8/");
    CliRun afterCompact = CliRun.of("sql", out + "/cli-small", "SELECT count(*) AS n_runs FROM runs WHERE n = 8",
        "--master", "local[1]");
    assertEquals(0, afterCompact.code(), afterCompact.err());
    assertTrue(afterCompact.out().contains("4"), afterCompact.out());
    CliRun twice = CliRun.of("compact", out + "/cli-small", "--master", "local[1]");
    assertEquals(0, twice.code(), twice.err());
    assertTrue(twice.out().contains("already compacted"), twice.out());
  }

  @Test
  void aSweepOfCasesTablesOneRowPerNetAndStepSizeRule() throws Exception {
    String out = tmp.resolve("cases").toString();
    Path cfg = config("""
        sweep: cli-cases
        data: {n: [8, 12], d: 4}
        model: {width: 32}
        train: {lr: {scale: "1 / lambda_max", factors: [1]}, loss: half_sum_squared, max_steps: 200}
        seeds: 2
        record: {curve_points: 10, ntk: false}
        cases:
          - {model: {arch: two_layer, parameterization: du}}
          - {model: {arch: deep, parameterization: zou, depth: 2}}
        """);
    CliRun run = CliRun.of("run", cfg.toString(), "--out", out, "--master", "local[2]", "--no-analyze");
    assertEquals(0, run.code(), run.err() + run.out());
    String table = run.out().substring(run.out().indexOf("\nmodel "));
    assertTrue(table.startsWith("\nmodel     | parameterization | depth | n  | lr_rule              | runs |"), table);
    // Two nets x two n: four rows of two seeds each, however each seed's lr resolved.
    assertEquals(4, table.lines().filter(l -> l.contains("| 1 * (1 / lambda_max) | 2    |")).count(), table);
    CliRun sql = CliRun.of("sql", out + "/cli-cases", "SELECT count(DISTINCT lr) AS lrs FROM runs", "--master",
        "local[1]");
    assertEquals(0, sql.code(), sql.err());
    assertTrue(sql.out().contains("8"), "one lr per data set and net: " + sql.out());
  }
}
