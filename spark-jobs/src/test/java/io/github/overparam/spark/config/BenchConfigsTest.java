package io.github.overparam.spark.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.overparam.core.bench.GdStepBenchmark;
import io.github.overparam.core.model.Precision;
import io.github.overparam.core.run.RunSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sweep configs bin/bench-sweeps-vs-jax writes for the reference shapes (scripts/bench_sweeps.py
 * --configs-only) load, and their runs are the runs {@code GdStepBenchmark --impl run} times: the
 * same data, net and training, so that a sweep's figures and the run function's measure one thing.
 */
class BenchConfigsTest {
  private static final Path SCRIPT = Path.of("../scripts/bench_sweeps.py");

  @Test
  void theBenchmarkSweepsRunTheReferenceShapesRuns(@TempDir Path dir) throws Exception {
    List<String> shapes = List.of("S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8", "S9");
    for (String precision : List.of("f64", "f32")) {
      Path out = dir.resolve(precision);
      List<String> cmd = new ArrayList<>(List.of("python3", SCRIPT.toString(), "--configs-only", out.toString(),
          "--seeds", "3", "--precision", precision));
      for (String s : shapes) {
        cmd.add(s + ":" + (s.equals("S6") ? 3000 : 200));
      }
      run(cmd);
      for (String s : shapes) {
        int steps = s.equals("S6") ? 3000 : 200;
        SweepConfig c = ConfigLoader.load(out.resolve("bench_" + s.toLowerCase() + ".yaml"), List.of());
        assertEquals(3, c.runs().size(), s + ": one run per seed");
        assertEquals(List.of("seed"), c.axes(), s);
        RunSpec run = c.runs().get(0);
        RunSpec bench = GdStepBenchmark.runSpec(s, Precision.valueOf(precision.toUpperCase()), steps, run.seed());
        assertEquals(bench.data(), run.data(), s + " " + precision + ": data");
        assertEquals(bench.model(), run.model(), s + " " + precision + ": model");
        assertEquals(bench.train(), run.train(), s + " " + precision + ": training");
      }
    }
  }

  /**
   * Runs the script with python3, which every machine that builds this project has (README: JDK 17,
   * Maven and Python 3); without it the test fails and says so.
   */
  private static void run(List<String> cmd) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError("python3 is needed to run " + SCRIPT + " (README: JDK 17, Maven and Python 3)", e);
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the script finished");
    assertEquals(0, p.exitValue(), String.join(" ", cmd) + "\n" + output);
    assertEquals(9, output.lines().filter(l -> l.endsWith(".yaml") && Files.exists(Path.of(l))).count(), output);
  }
}
