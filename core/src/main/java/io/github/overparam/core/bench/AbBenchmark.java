package io.github.overparam.core.bench;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Two builds of overparam (or one build under two sets of system properties) trained side by side
 * in one JVM, interleaved: the ratio of their step times, robust to the host's slow stretches.
 *
 * <p>Each side's core jar is loaded by a class loader of its own (with the rest of this JVM's class
 * path: EJML and the other dependencies), its system properties set while its classes initialize
 * ({@code Blocking}, {@code Kernels} read theirs then), and its {@link GdStepBenchmark#step} task
 * built on the same shape. After a warm-up of both (the JIT compiles each side's classes apart)
 * the two tasks alternate, A B then B A, round after round; each round times the same number of
 * steps of each, some 20 ms of them. A stretch of the host that slows the core slows both
 * sides of the rounds it covers, so the ratio of their times holds where figures taken minutes
 * apart (or in JVMs one after the other) do not: on the AMD Zen 5 guest of docs/benchmarks.md,
 * steps/s of one build varied by 1.3-1.5x between JVMs, while one build against itself here gives
 * a ratio within 2% of 1.
 *
 * <p>Usage: {@code AbBenchmark [--rounds N] [--steps K] [--warm-up SECONDS] [--precision f64|f32] A B
 * shape...} (200 rounds, steps of a round from the pace after at least 4 s of warm-up, until the
 * pace settles), where a
 * side is {@code JAR[@name=value,name=value...]} (e.g. {@code old.jar} and {@code
 * core.jar@overparam.kernels.kb=200}) and a shape is S1..S9 or {@code n:d:m:depth[:parameterization]}.
 * Prints, per shape, ms per step of each side over all rounds and B's time over A's: the total's
 * ratio and the median and quartiles of the rounds' ratios. A benchmark, not a test.
 */
public final class AbBenchmark {
  private AbBenchmark() {}

  /** One side: a core jar and the system properties its classes initialize under. */
  record Side(Path jar, Map<String, String> properties) {
    static Side parse(String text) {
      int at = text.indexOf('@');
      Path jar = Path.of(at < 0 ? text : text.substring(0, at));
      if (!Files.isRegularFile(jar)) {
        throw new IllegalArgumentException("side: '" + text + "': no jar at " + jar);
      }
      Map<String, String> props = new LinkedHashMap<>();
      if (at >= 0) {
        for (String kv : text.substring(at + 1).split(",")) {
          int eq = kv.indexOf('=');
          if (eq <= 0) {
            throw new IllegalArgumentException("side: '" + text + "': property '" + kv + "' is not name=value");
          }
          props.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
      }
      return new Side(jar, props);
    }

    /** The shape's step task of this side's build, its classes initialized under its properties. */
    Runnable task(String shape, String precision) throws ReflectiveOperationException {
      List<URL> urls = new ArrayList<>();
      urls.add(url(jar));
      for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
        // The rest of the class path, without any core classes: those come from this side's jar.
        String name = Path.of(entry).getFileName().toString();
        if (!entry.isEmpty() && !name.startsWith("overparam-core") && !entry.endsWith("classes")) {
          urls.add(url(Path.of(entry)));
        }
      }
      ClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
      Map<String, String> saved = new LinkedHashMap<>();
      properties.forEach((k, v) -> saved.put(k, System.setProperty(k, v)));
      try {
        Class<?> bench = Class.forName(GdStepBenchmark.class.getName(), true, loader);
        return (Runnable) bench.getMethod("step", String.class, String.class).invoke(null, shape, precision);
      } finally {
        saved.forEach((k, v) -> {
          if (v == null) {
            System.clearProperty(k);
          } else {
            System.setProperty(k, v);
          }
        });
      }
    }

    private static URL url(Path p) {
      try {
        return p.toUri().toURL();
      } catch (MalformedURLException e) {
        throw new IllegalArgumentException(p.toString(), e);
      }
    }
  }

  public static void main(String[] args) throws ReflectiveOperationException {
    int rounds = 200;
    int steps = 0;
    double warmSeconds = 4;
    String precision = "f64";
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--steps" -> steps = Integer.parseInt(args[++i]);
        case "--warm-up" -> warmSeconds = Double.parseDouble(args[++i]);
        case "--precision" -> precision = args[++i];
        default -> rest.add(args[i]);
      }
    }
    if (rest.size() < 3) {
      throw new IllegalArgumentException(
          "usage: AbBenchmark [--rounds N] [--steps K] [--warm-up SECONDS] [--precision f64|f32] A B shape..., a side"
              + " JAR[@name=value,...]");
    }
    Side a = Side.parse(rest.get(0));
    Side b = Side.parse(rest.get(1));
    System.out.printf(Locale.ROOT, "# A %s%n# B %s%n", describe(a), describe(b));
    System.out.println("shape\tprec\trounds\tsteps\tA ms/step\tB ms/step\tB/A total\tB/A median\tB/A q1\tB/A q3");
    for (String shape : rest.subList(2, rest.size())) {
      Runnable[] task = {a.task(shape, precision), b.task(shape, precision)};
      // Warm-up: both sides in turn for warmSeconds, then on in half seconds until two in a row
      // keep the same pace (within 3%; at most a minute more): 4 s left S1's float32 steps at 10x
      // their compiled time in both class loaders (2026-12-03). The steps of a round come from the
      // last pace, not the warm-up's average (interpreter included).
      warm(task, warmSeconds);
      double perStep = warm(task, 0.5);
      long settle = System.nanoTime();
      for (double before = Double.POSITIVE_INFINITY; perStep < 0.97 * before || perStep > 1.03 * before;) {
        if (System.nanoTime() - settle > 60e9) {
          System.err.printf(Locale.ROOT, "# %s: the pace did not settle within a minute more of warm-up%n", shape);
          break;
        }
        before = perStep;
        perStep = warm(task, 0.5);
      }
      int k = steps > 0 ? steps : (int) Math.max(1, Math.min(100_000, 0.02 / perStep));
      double[] total = new double[2];
      double[] ratio = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        long[] ns = new long[2];
        for (int s = 0; s < 2; s++) {
          int side = r % 2 == 0 ? s : 1 - s;
          Runnable t = task[side];
          long start = System.nanoTime();
          for (int i = 0; i < k; i++) {
            t.run();
          }
          ns[side] = System.nanoTime() - start;
        }
        total[0] += ns[0];
        total[1] += ns[1];
        ratio[r] = (double) ns[1] / ns[0];
      }
      Arrays.sort(ratio);
      double perStepA = total[0] / 1e6 / rounds / k;
      double perStepB = total[1] / 1e6 / rounds / k;
      System.out.printf(Locale.ROOT, "%s\t%s\t%d\t%d\t%.5g\t%.5g\t%.4f\t%.4f\t%.4f\t%.4f%n", shape, precision, rounds,
          k, perStepA, perStepB, total[1] / total[0], ratio[rounds / 2], ratio[rounds / 4], ratio[3 * rounds / 4]);
    }
  }

  /** Runs both tasks in turn for about {@code seconds}; returns the seconds a step took, on average. */
  private static double warm(Runnable[] task, double seconds) {
    long steps = 0;
    long start = System.nanoTime();
    while (System.nanoTime() - start < seconds * 1e9) {
      task[0].run();
      task[1].run();
      steps++;
    }
    return (System.nanoTime() - start) / 2e9 / steps;
  }

  private static String describe(Side s) {
    return s.jar() + (s.properties().isEmpty() ? "" : " " + s.properties());
  }
}
