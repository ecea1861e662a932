package io.github.overparam.spark.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.overparam.core.run.RunSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code search:} block: templates at min_width, options, round trip, and its errors. */
class SearchConfigTest {
  static final String BASE = """
      sweep: s
      data: {n: [16, 32], d: 8, labels: gaussian}
      model: {arch: two_layer, parameterization: du}
      train: {lr: 0.5, loss: half_sum_squared, max_steps: 100}
      seeds: 3
      search: {min_width: 4, max_width: 1024, resolution: 1.19}
      """;

  @Test
  void searchReplacesTheWidthAxis() throws Exception {
    SweepConfig c = ConfigLoader.load(BASE, List.of());
    assertEquals(2 * 3, c.runs().size(), "one template per group and seed");
    assertTrue(c.runs().stream().allMatch(r -> r.model().width() == 4));
    assertEquals(4, c.search().minWidth());
    assertEquals(1024, c.search().maxWidth());
    assertEquals(1.19, c.search().resolution());
    assertEquals(0.5, c.search().threshold());
    assertEquals("search", c.axes().get(0));
    SweepConfig again = ConfigLoader.load(c.resolvedYaml(), List.of());
    assertEquals(c.runs().stream().map(RunSpec::runId).toList(), again.runs().stream().map(RunSpec::runId).toList());
    assertEquals(c.search(), again.search());
    assertTrue(!c.resolvedYaml().contains("\n  width:"), c.resolvedYaml());
  }

  @Test
  void errorsNameTheSearchKeys() {
    ConfigException withWidth = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(BASE.replace("parameterization: du}", "parameterization: du, width: 64}"), List.of()));
    assertTrue(withWidth.errors().stream().anyMatch(e -> e.path().equals("model.width")), withWidth.getMessage());
    ConfigException resolution = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(BASE, List.of("search.resolution=1")));
    assertTrue(resolution.errors().stream().anyMatch(e -> e.path().equals("search.resolution")),
        resolution.getMessage());
    ConfigException missing = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(BASE.replace(", max_width: 1024", ""), List.of()));
    assertTrue(missing.errors().stream().anyMatch(e -> e.path().equals("search.max_width")), missing.getMessage());
    ConfigException unknown = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(BASE, List.of("search.resolutoin=2")));
    assertTrue(unknown.errors().stream().anyMatch(e -> e.path().equals("search.resolutoin")), unknown.getMessage());
  }
}
