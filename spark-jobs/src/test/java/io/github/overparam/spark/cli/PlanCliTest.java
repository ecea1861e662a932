package io.github.overparam.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plan: calibrated rates cached per machine, rates from an earlier sweep's runs/, the output's
 * size, and a run that cannot fit refused before anything runs (not even the calibration).
 */
class PlanCliTest {
  @TempDir
  Path tmp;

  private static final Pattern RATE = Pattern.compile("rate: +([0-9.e+-]+) GFLOP/s per core");

  private Path config(String text) throws Exception {
    Path p = Files.createTempFile(tmp, "config", ".yaml");
    Files.writeString(p, text);
    return p;
  }

  @Test
  void calibratesOnceThenReadsTheCache() throws Exception {
    Path cfg = config(CliTest.SMALL);
    Path cache = tmp.resolve("rates");
    CliRun first = CliRun.of("plan", cfg.toString(), "--cores", "2", "--rates-cache", cache.toString());
    assertEquals(0, first.code(), first.err());
    assertTrue(first.out().contains("calibrated on this machine (2 shapes measured now, 0 from"), first.out());
    try (var files = Files.list(cache)) {
      assertEquals(1, files.filter(f -> f.getFileName().toString().startsWith("rates-")).count());
    }
    Matcher m = RATE.matcher(first.out());
    assertTrue(m.find(), first.out());
    assertTrue(Double.parseDouble(m.group(1)) > 0, first.out());
    assertTrue(first.out().contains("runs/ 8 rows"), first.out());
    CliRun second = CliRun.of("plan", cfg.toString(), "--cores", "2", "--rates-cache", cache.toString());
    assertEquals(0, second.code(), second.err());
    assertTrue(second.out().contains("(0 shapes measured now, 2 from"), second.out());
    Matcher again = RATE.matcher(second.out());
    assertTrue(again.find());
    assertEquals(m.group(1), again.group(1), "the cached rates give the same plan");
  }

  @Test
  void aRecordedCurveThatCannotFitIsRefusedBeforeAnythingRuns() throws Exception {
    Path cfg = config(CliTest.SMALL.replace("max_steps: 500", "max_steps: 2000000000").replace("curve_points: 20",
        "curve_points: 2000000000"));
    Path cache = tmp.resolve("never");
    CliRun plan = CliRun.of("plan", cfg.toString(), "--rates-cache", cache.toString(), "--max-run-memory", "1g");
    assertEquals(2, plan.code(), plan.out());
    assertTrue(plan.err().contains("record.curve_points: value 2000000000"), plan.err());
    assertFalse(Files.exists(cache), "no calibration ran");
    CliRun run = CliRun.of("run", cfg.toString(), "--out", tmp.resolve("out").toString(), "--max-run-memory", "1g");
    assertEquals(2, run.code(), run.out());
    assertTrue(run.err().contains("record.curve_points"), run.err());
    assertFalse(Files.exists(tmp.resolve("out")), "nothing written");
  }

  @Test
  void ratesFromAnEarlierSweep() throws Exception {
    // Every run trains its 20,000 steps (a target it cannot reach): a rate needs runs that take a
    // measurable time, and a 500-step run of width 16 takes a fraction of a millisecond.
    Path cfg = config(CliTest.SMALL.replace("max_steps: 500, target_loss: {relative: 1.0e-3}",
        "max_steps: 20000, target_loss: {relative: 1.0e-300}"));
    String out = tmp.resolve("out").toString();
    CliRun run = CliRun.of("run", cfg.toString(), "--out", out, "--master", "local[2]", "--no-analyze");
    assertEquals(0, run.code(), run.err() + run.out());
    CliRun plan = CliRun.of("plan", cfg.toString(), "--calibrate-from", out + "/cli-small");
    assertEquals(0, plan.code(), plan.err());
    assertTrue(plan.out().contains("measured by the sweep in " + out + "/cli-small (2 shapes)"), plan.out());
  }
}
