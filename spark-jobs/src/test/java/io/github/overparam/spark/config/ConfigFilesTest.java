package io.github.overparam.spark.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.overparam.core.run.RunSpec;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The config files under {@code configs/}: every good one loads, every bad one fails with an error
 * at the path its first line names. A bad file's first line reads
 * {@code # <what is wrong> -- expect path=<path> value=<value, quoted if it has spaces, or -> says="<message fragment>"};
 * lines {@code # set: key=value} are passed as overrides.
 */
class ConfigFilesTest {
  private static final Pattern EXPECT = Pattern.compile(
      "^# (.+) -- expect path=(\\S+) value=('[^']*'|\\S+) says=\"(.*)\"$");
  private static final Pattern SET = Pattern.compile("^# set: (.*)$");

  static Path folder(String name) throws URISyntaxException {
    return Path.of(ConfigFilesTest.class.getResource("/configs/" + name).toURI());
  }

  static Stream<Path> bad() throws IOException, URISyntaxException {
    List<Path> files;
    try (Stream<Path> s = Files.list(folder("bad"))) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    return files.stream();
  }

  static Stream<Path> good() throws IOException, URISyntaxException {
    List<Path> files;
    try (Stream<Path> s = Files.list(folder("good"))) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    return files.stream();
  }

  @Test
  void thereAreManyBadFiles() throws Exception {
    assertTrue(bad().count() >= 25);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bad")
  void badConfigFailsAtTheExpectedPath(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    String[] lines = text.split("\n");
    Matcher m = EXPECT.matcher(lines[0]);
    assertTrue(m.matches(), "first line of " + file.getFileName() + " must say what is expected: " + lines[0]);
    String path = m.group(2);
    String value = m.group(3).replaceAll("^'(.*)'$", "$1");
    String says = m.group(4);
    List<String> overrides = new ArrayList<>();
    for (String line : lines) {
      Matcher set = SET.matcher(line);
      if (set.matches()) {
        overrides.add(set.group(1));
      }
    }
    // A bad config is refused before any grid walk: the longest here, huge-grid.yaml, reads two ranges of
    // 10^6 values (9 s at load average 10 on 2 cores), while walking its 10^19 points would never end.
    ConfigException e = assertTimeoutPreemptively(Duration.ofSeconds(60),
        () -> assertThrows(ConfigException.class, () -> ConfigLoader.load(text, overrides)));
    assertFalse(e.errors().isEmpty());
    boolean found = e.errors().stream().anyMatch(err -> err.path().startsWith(path)
        && (value.equals("-") || err.toString().contains(value)) && err.toString().contains(says));
    if (!found) {
      fail(file.getFileName() + " (" + m.group(1) + "): no error at " + path + " naming " + value + " and saying '"
          + says + "'; got:\n" + e.getMessage());
    }
    for (ConfigError err : e.errors()) {
      assertTrue(e.getMessage().contains(err.toString()));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("good")
  void goodConfigLoadsAndRoundTrips(Path file) throws Exception {
    SweepConfig c = ConfigLoader.load(file, List.of());
    assertFalse(c.runs().isEmpty());
    SweepConfig again = ConfigLoader.load(c.resolvedYaml(), List.of());
    assertEquals(c.runs().stream().map(RunSpec::runId).toList(), again.runs().stream().map(RunSpec::runId).toList());
    assertEquals(c.execution(), again.execution());
  }

  @Test
  void duWidthPreset() throws Exception {
    SweepConfig c = ConfigLoader.load(folder("good").resolve("du-width.yaml"), List.of());
    assertEquals("du-width", c.sweep());
    assertEquals(List.of("data.n", "model.width", "seed"), c.axes());
    assertEquals(3 * 9 * 8, c.runs().size());
    assertEquals(new ExecutionOptions(200, 8), c.execution());
  }

  @Test
  void relativePresetGivesExactWidths() throws Exception {
    SweepConfig c = ConfigLoader.load(folder("good").resolve("relative-width.yaml"), List.of());
    assertEquals(List.of("data.n", "model.depth", "model.width", "train.lr", "seed"), c.axes());
    List<Integer> widths = new ArrayList<>();
    for (int i = 0; i < c.runs().size(); i += 6) { // 2 step sizes x 3 seeds per width
      widths.add(c.runs().get(i).model().width());
    }
    // n^2 * depth = 512, 1024, 2048, 4096 (n 16, 32; depth 2, 4) times 1/8, 1/4, 1/2, 1.
    assertEquals(List.of(64, 128, 256, 512, 128, 256, 512, 1024, 256, 512, 1024, 2048, 512, 1024, 2048, 4096),
        widths);
    RunSpec first = c.runs().get(0);
    assertEquals(4, first.train().batchSize());
    assertEquals(1.0 / 32, first.train().lr(), 1e-15);
    assertEquals(2 * 2 * 4 * 2 * 3, c.runs().size());
  }

  @Test
  void oversizedInputFailsCleanly() {
    String big = "sweep: big\n# " + "x".repeat(YamlTree.MAX_CHARS) + "\n";
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(big, List.of()));
    assertEquals("(yaml)", e.errors().get(0).path());
    assertTrue(e.getMessage().contains("at most 1000000"), e.getMessage());
  }
}
