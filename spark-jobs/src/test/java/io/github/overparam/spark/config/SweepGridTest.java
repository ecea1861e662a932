package io.github.overparam.spark.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.overparam.core.run.RunSpec;
import io.github.overparam.spark.data.TableReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The grid as data: runs decoded from their indices, identical runs kept once at the first index,
 * are exactly the runs (and order) of expanding the whole grid into an ordered set, as the loader
 * did before; and the count the load walk reports is that set's size.
 */
class SweepGridTest {
  private static final String BASE = "sweep: g\n"
      + "data: {source: sphere, n: %s, d: 4, labels: %s%s}\n"
      + "model: {arch: two_layer, parameterization: du, width: %s}\n"
      + "train: {lr: %s, loss: half_sum_squared, max_steps: 5%s}\n"
      + "seeds: 3\n";

  static Stream<String> configs() throws IOException {
    List<String> out = new ArrayList<>();
    // Rounded relative widths collide: round(0.5 n) = round(0.51 n) for small n.
    out.add(String.format(BASE, "[2, 3, 4, 5]", "gaussian", "", "{scale: n, factors: [0.5, 0.51, 1]}", "0.5", ""));
    // teacher_width applies only with teacher labels: elsewhere its values give one run.
    out.add(String.format(BASE, "[4, 6]", "[gaussian, teacher]", ", teacher_width: [2, 3, 5]", "[8, 16]", "0.5", ""));
    // batch_size only with sgd; lr relative to the width; a list naming a value twice.
    out.add(String.format(BASE, "[4, 8]", "gaussian", "", "[16, 16, 32]", "{scale: 1 / width, factors: [1, 2]}",
        ", optimizer: [gd, sgd], batch_size: [1, 2, 2]"));
    // Two collapsible axes at once, nothing collapsing.
    out.add(String.format(BASE, "[3, 4]", "gaussian", ", n_test: {scale: n, factors: [0.3, 0.4, 1]}",
        "{scale: n, factors: [1, 1.1]}", "[0.1, 0.2]", ""));
    try (Stream<Path> files = Files.list(Path.of("..", "configs"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        String text = Files.readString(f, StandardCharsets.UTF_8);
        if (!text.contains("source: csv") && !text.contains("source: parquet")) {
          out.add(text);
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest
  @MethodSource("configs")
  void decodingEqualsTheExpansionOfTheWholeGrid(String yaml) throws ConfigException {
    SweepConfig loaded = ConfigLoader.load(yaml, List.of());
    SweepGrid grid = ConfigLoader.grid(loaded.resolvedYaml(), TableReader.NONE);
    Set<RunSpec> expanded = new LinkedHashSet<>();
    List<RunSpec> decoded = new ArrayList<>();
    for (long k = 0; k < grid.size(); k++) {
      expanded.add(grid.assemble(grid.values(k), grid.seed(k), new ConfigErrors()));
      RunSpec r = grid.run(k);
      if (r != null) {
        decoded.add(r);
      }
    }
    assertEquals(List.copyOf(expanded), decoded);
    assertEquals(expanded.size(), loaded.runCount());
    if (loaded.search() == null) {
      assertEquals(decoded, loaded.runs(), "the runs the config lists are the decoded ones");
    }
  }

  @ParameterizedTest
  @MethodSource("configs")
  void theCollisionConfigsDoCollapse(String yaml) throws ConfigException {
    SweepConfig loaded = ConfigLoader.load(yaml, List.of());
    if (yaml.startsWith("sweep: g\n") && !yaml.contains("n_test")) {
      assertTrue(loaded.runCount() < loaded.grid().size(), "repeats merged: " + loaded.runCount() + " of "
          + loaded.grid().size());
    }
  }
}
