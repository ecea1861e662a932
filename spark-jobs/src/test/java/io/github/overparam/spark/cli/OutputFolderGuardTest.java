package io.github.overparam.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.overparam.spark.sweep.SparkSessions;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A damaged, foreign or unwritable output folder is refused with a clear message and exit code 1,
 * and nothing in it is touched (every file's size, time and content compared before and after):
 * overparam never appends to what it cannot read back as its own.
 */
class OutputFolderGuardTest {
  @TempDir
  static Path shared;
  @TempDir
  Path tmp;
  private static Path config;
  private static Path base; // <root>/guard: a sweep folder with wave 0 of 2 committed

  static final String CONFIG = """
      sweep: guard
      data: {n: 8, d: 4, labels: gaussian}
      model: {arch: two_layer, parameterization: du, width: [8, 16]}
      train: {lr: 0.5, loss: half_sum_squared, max_steps: 200, target_loss: {relative: 1.0e-3}}
      seeds: 2
      record: {curve_points: 10}
      execution: {wave_size: 2}
      """;

  @BeforeAll
  static void interruptedSweep() throws IOException {
    config = Files.writeString(shared.resolve("guard.yaml"), CONFIG);
    Path root = shared.resolve("base");
    CliRun r = CliRun.of("run", config.toString(), "--out", root.toString(), "--master", "local[1]",
        "--stop-after-waves", "1", "--no-analyze");
    assertEquals(0, r.code(), r.err() + r.out());
    base = root.resolve("guard");
  }

  /** A copy of the interrupted sweep under a fresh root; returns the root. */
  private Path copyOfBase() throws IOException {
    Path root = tmp.resolve("out");
    try (Stream<Path> all = Files.walk(base)) {
      for (Path p : all.toList()) {
        Path target = root.resolve("guard").resolve(base.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    return root;
  }

  private static Path parquetIn(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
    }
  }

  /** {@code run --resume} into {@code root} is refused with {@code says}, and nothing under root changes. */
  private static void refused(Path root, String says, String... extra) throws IOException {
    Map<String, String> before = BadConfigCliTest.snapshot(root);
    String[] args = Stream.concat(Stream.of("run", config.toString(), "--out", root.toString(), "--master",
        "local[1]", "--no-analyze"), Stream.of(extra)).toArray(String[]::new);
    CliRun r = CliRun.of(args);
    assertEquals(1, r.code(), r.err() + r.out());
    assertTrue(r.err().contains(says), "message says \"" + says + "\":\n" + r.err());
    assertEquals(before, BadConfigCliTest.snapshot(root), "the folder was touched");
  }

  @Test
  void aForeignParquetTableAtTheOutputPathIsNeverWrittenInto() throws IOException {
    Path root = tmp.resolve("foreign");
    SparkSession spark = SparkSessions.create("local[1]", "foreign-table");
    try {
      spark.range(20).write().parquet(root.resolve("guard").toString());
    } finally {
      spark.stop();
    }
    refused(root, "is not an overparam sweep folder");
    refused(root, "is not an overparam sweep folder", "--resume");
  }

  @Test
  void foreignFilesInsideASweepFolderAreRefused() throws IOException {
    Path root = copyOfBase();
    Path runs = root.resolve("guard/runs");
    Files.copy(parquetIn(runs.resolve("wave=0")), runs.resolve("part-00000-foreign.parquet"));
    refused(root, "holds what no overparam sweep writes (runs/part-00000-foreign.parquet)", "--resume");
  }

  @Test
  void aTruncatedCommittedFileIsRefused() throws IOException {
    for (String table : List.of("runs", "curves")) {
      Path root = copyOfBase();
      Path file = parquetIn(root.resolve("guard").resolve(table).resolve("wave=0"));
      try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
        f.setLength(f.length() / 2);
      }
      Files.deleteIfExists(file.resolveSibling("." + file.getFileName() + ".crc"));
      refused(root, "committed " + table + "/ in ", "--resume");
      refused(root, "cannot be read back", "--resume");
      deleteTree(root);
    }
  }

  @Test
  void aCommittedWaveOfForeignRowsIsRefused() throws IOException {
    Path root = copyOfBase();
    Path wave = root.resolve("guard/runs/wave=0");
    deleteTree(wave);
    SparkSession spark = SparkSessions.create("local[1]", "foreign-rows");
    try {
      spark.range(5).toDF("run_id").write().parquet(wave.toString());
    } finally {
      spark.stop();
    }
    refused(root, "has no column run_id of type string", "--resume");
  }

  @Test
  void aDuplicatedCommittedWaveIsRefused() throws IOException {
    Path root = copyOfBase();
    Path runs = root.resolve("guard/runs");
    Files.createDirectories(runs.resolve("wave=7"));
    try (Stream<Path> files = Files.list(runs.resolve("wave=0"))) {
      for (Path p : files.toList()) {
        Files.copy(p, runs.resolve("wave=7").resolve(p.getFileName()));
      }
    }
    refused(root, "twice: the folder is corrupted", "--resume");
  }

  @Test
  void aCorruptManifestIsRefused() throws IOException {
    Path root = copyOfBase();
    Files.writeString(root.resolve("guard/manifest.json"), "{\"sweep\": \"gu");
    Files.deleteIfExists(root.resolve("guard/.manifest.json.crc"));
    refused(root, "has no readable manifest.json", "--resume");
  }

  @Test
  void anUnwritableOutputPathIsAClearErrorBeforeAnyWork() throws IOException {
    Path file = Files.writeString(tmp.resolve("a-file"), "not a folder");
    CliRun r = CliRun.of("run", config.toString(), "--out", file.resolve("out").toString(), "--master", "local[1]");
    assertEquals(1, r.code(), r.err() + r.out());
    assertTrue(r.err().contains("cannot write the output folder"), r.err());
    assertEquals("not a folder", Files.readString(file));
  }

  @Test
  void theIntactFolderResumesToTheFullGrid() throws IOException {
    Path root = copyOfBase();
    CliRun r = CliRun.of("run", config.toString(), "--out", root.toString(), "--master", "local[1]", "--resume",
        "--no-analyze");
    assertEquals(0, r.code(), r.err() + r.out());
    assertTrue(r.out().contains("4 runs in the grid, 2 already done, 2 to run"), r.out());
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
