package io.github.overparam.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/jit-directives.json}, the compiler directives the local launchers pass to the JVM: C2
 * compiles overparam's code in the foreground, compiles no Spark, Scala or serialization plumbing,
 * and still compiles the training code and Spark's data path. HotSpot reports a malformed file and ignores unknown keys without failing, so
 * this reads the directives back as the JVM parsed them ({@code -XX:+CompilerDirectivesPrint}) and
 * matches class names against them, first matching directive first, as HotSpot does.
 */
class JitDirectivesTest {

  private static final Path FILE = Path.of("..", "bin", "jit-directives.json");

  /** One parsed directive: its class patterns, whether it excludes C2, whether C2 compiles in the background. */
  private record Directive(List<String> patterns, boolean c2Excluded, boolean c2Background) {

    boolean matches(String className) {
      for (String p : patterns) {
        String cls = p.substring(0, p.indexOf('.'));
        if (cls.equals("*") || (cls.endsWith("*") && className.startsWith(cls.substring(0, cls.length() - 1)))
            || cls.equals(className)) {
          return true;
        }
      }
      return false;
    }
  }

  @Test
  void theJvmParsesTheFileIntoThreeDirectives() throws Exception {
    String out = print();
    assertTrue(out.contains("3 compiler directives added"), out);
    assertFalse(out.toLowerCase().contains("error"), out);
    List<Directive> ds = directives(out);
    // The file's three, then HotSpot's default (matching everything, excluding nothing).
    assertEquals(4, ds.size(), out);
    assertEquals(List.of("io/github/overparam/*.*"), ds.get(0).patterns());
    assertFalse(ds.get(0).c2Background(), "overparam's code compiles in the foreground: " + ds.get(0));
    assertFalse(ds.get(0).c2Excluded());
    assertFalse(ds.get(1).c2Excluded(), "the second directive keeps C2 for Spark's data path: " + ds.get(1));
    assertTrue(ds.get(1).c2Background());
    assertTrue(ds.get(2).c2Excluded(), "the third directive excludes C2: " + ds.get(2));
    assertEquals(List.of("*.*"), ds.get(3).patterns());
    assertFalse(ds.get(3).c2Excluded());
    assertTrue(ds.get(3).c2Background());
  }

  @Test
  void trainingCodeAndTheDataPathKeepC2AndPlumbingDoesNot() throws Exception {
    List<Directive> ds = directives(print());
    for (String kept : List.of("io/github/overparam/core/linalg/DoublePackedKernels",
        "io/github/overparam/core/train/Trainer", "io/github/overparam/spark/table/ParquetRows$RowWriteSupport",
        "org/ejml/dense/row/decomposition/eig/SymmetricQRAlgorithmDecomposition_DDRM",
        "jdk/incubator/vector/Double512Vector", "jdk/internal/vm/vector/VectorSupport", "java/lang/Math",
        "java/util/Arrays", "java/util/HashMap",
        "org/apache/spark/sql/catalyst/expressions/GeneratedClass$GeneratedIteratorForCodegenStage1",
        "org/apache/spark/sql/execution/datasources/parquet/VectorizedColumnReader",
        "org/apache/parquet/column/values/plain/PlainValuesWriter", "org/apache/spark/unsafe/Platform")) {
      assertFalse(firstMatch(ds, kept).c2Excluded(), kept + " must keep C2");
    }
    for (String excluded : List.of("org/apache/spark/util/ClosureCleaner$", "org/apache/xbean/asm9/ClassReader",
        "java/io/ObjectInputStream", "java/io/ObjectOutputStream", "java/io/ObjectStreamClass",
        "jdk/internal/loader/BuiltinClassLoader", "org/antlr/v4/runtime/atn/ParserATNSimulator",
        "org/codehaus/janino/UnitCompiler", "org/apache/hadoop/util/Shell", "scala/collection/immutable/List",
        "org/apache/spark/scheduler/DAGScheduler")) {
      assertTrue(firstMatch(ds, excluded).c2Excluded(), excluded + " must be left to C1");
    }
  }

  private static Directive firstMatch(List<Directive> ds, String className) {
    return ds.stream().filter(d -> d.matches(className)).findFirst().orElseThrow();
  }

  private static String print() throws IOException, InterruptedException {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UnlockDiagnosticVMOptions", "-XX:CompilerDirectivesFile=" + FILE.toAbsolutePath(),
        "-XX:+CompilerDirectivesPrint", "-version").redirectErrorStream(true).start();
    byte[] bytes = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "java -version did not finish");
    assertEquals(0, p.exitValue());
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** The directives as HotSpot prints them: a "matching:" line, then the c1 and the c2 flags. */
  private static List<Directive> directives(String out) {
    List<Directive> ds = new ArrayList<>();
    String[] blocks = out.split("Directive:");
    for (int b = 1; b < blocks.length; b++) {
      String block = blocks[b];
      int m = block.indexOf("matching:");
      String line = block.substring(m + "matching:".length(), block.indexOf('\n', m)).trim();
      String c2 = block.substring(block.indexOf("c2 directives:"));
      boolean excluded = c2.contains(" Exclude:true ");
      assertTrue(excluded || c2.contains(" Exclude:false "), c2);
      boolean background = c2.contains(" BackgroundCompilation:true ");
      assertTrue(background || c2.contains(" BackgroundCompilation:false "), c2);
      ds.add(new Directive(Arrays.stream(line.split(",")).map(String::trim).toList(), excluded, background));
    }
    return ds;
  }
}
