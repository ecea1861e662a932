package io.github.overparam.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.overparam.spark.sweep.SparkSessions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every malformed or hostile config of {@code configs/bad/} through the real command line: {@code
 * overparam run} exits with code 2, names the key path and says what is wrong, starts no Spark
 * session, creates nothing under the output root and leaves the sweep folders already there (one of
 * them named like the bad configs' sweep) byte for byte as they were. The first line of each file
 * says what is expected.
 */
class BadConfigCliTest {
  private static final Pattern EXPECT = Pattern.compile("^# (.+) -- expect path=(\\S+) value=.* says=\"(.*)\"$");
  private static final Pattern SET = Pattern.compile("^# set: (.*)$");
  /** Configs the loader refuses, and configs whose runs the memory guard refuses (valid as YAML). */
  private static final List<Path> BAD = List.of(Path.of("src/test/resources/configs/bad"),
      Path.of("src/test/resources/configs/bad-memory"));

  @TempDir
  Path out;

  static Stream<Path> badConfigs() throws IOException {
    List<Path> all = new ArrayList<>();
    for (Path dir : BAD) {
      try (Stream<Path> files = Files.list(dir)) {
        files.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(all::add);
      }
    }
    return all.stream();
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
    existingSweep(out.resolve("bad-case"));
    existingSweep(out.resolve("earlier-sweep"));
    Map<String, String> before = snapshot(out);
    int sessions = SparkSessions.created();
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();
    int code = Main.execute(args.toArray(String[]::new), new PrintWriter(stdout, true), new PrintWriter(stderr, true));
    assertEquals(2, code, "exit code for " + file.getFileName() + "\n" + stderr);
    String path = m.group(2);
    String message = stderr.toString().replace(file.toString(), "CONFIG");
    assertTrue(message.contains(path), "message names " + path + ":\n" + stderr);
    assertTrue(message.contains(m.group(3)), "message says \"" + m.group(3) + "\":\n" + stderr);
    assertEquals(sessions, SparkSessions.created(), "a Spark session was started");
    assertEquals(before, snapshot(out), "the output root changed");
  }

  /** A small committed sweep folder, as an earlier run would have left it. */
  private static void existingSweep(Path dir) throws IOException {
    Files.createDirectories(dir.resolve("runs/wave=0"));
    Files.writeString(dir.resolve("sweep.yaml"), "sweep: " + dir.getFileName() + "\n");
    Files.writeString(dir.resolve("manifest.json"), "{\"grid_fingerprint\": \"abc\"}\n");
    Files.write(dir.resolve("runs/wave=0/part-00000.parquet"), new byte[] {'P', 'A', 'R', '1', 0, 'P', 'A', 'R', '1'});
    Files.writeString(dir.resolve("runs/wave=0/_SUCCESS"), "");
  }

  /** Every file and folder under {@code root}: its path, size, modification time and content digest. */
  static Map<String, String> snapshot(Path root) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.toList()) {
        String key = root.relativize(p).toString();
        if (Files.isDirectory(p)) {
          files.put(key + "/", Files.getLastModifiedTime(p).toString());
        } else {
          files.put(key, Files.size(p) + " " + Files.getLastModifiedTime(p) + " "
              + Arrays.hashCode(Files.readAllBytes(p)));
        }
      }
    }
    return files;
  }
}
