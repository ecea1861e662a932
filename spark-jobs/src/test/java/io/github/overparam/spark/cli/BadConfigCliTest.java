package io.github.overparam.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every malformed config of {@code configs/bad/} through the real command line: {@code overparam run}
 * exits with code 2, names the key path in its message, and starts nothing (no Spark session, no
 * output folder). The first line of each file says what is expected.
 */
class BadConfigCliTest {
  private static final Pattern EXPECT = Pattern.compile("^# (.+) -- expect path=(\\S+) value=.* says=.*$");
  private static final Pattern SET = Pattern.compile("^# set: (.*)$");
  private static final Path BAD = Path.of("src/test/resources/configs/bad");

  @TempDir Path out;

  static Stream<Path> badConfigs() throws IOException {
    try (Stream<Path> files = Files.list(BAD)) {
      return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badConfigs")
  void exitCodeTwoAndTheKeyPath(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file);
    Matcher m = EXPECT.matcher(lines.get(0));
    assertTrue(m.matches(), "first line must say what is expected: " + lines.get(0));
    List<String> args = new ArrayList<>(List.of("run", file.toString(), "--out", out.toString(), "--master",
        "local[1]"));
    for (String line : lines) {
      Matcher set = SET.matcher(line);
      if (set.matches()) {
        args.add("--set");
        args.add(set.group(1));
      }
    }
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();
    int code = Main.execute(args.toArray(String[]::new), new PrintWriter(stdout, true), new PrintWriter(stderr, true));
    assertEquals(2, code, "exit code for " + file.getFileName() + "\n" + stderr);
    String path = m.group(2);
    assertTrue(stderr.toString().contains(path), "message names " + path + ":\n" + stderr);
    try (Stream<Path> written = Files.list(out)) {
      assertFalse(written.findAny().isPresent(), "a bad config must not create any output");
    }
  }
}
