package io.github.overparam.spark.sweep;

import io.github.overparam.core.run.RunSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.network.util.JavaUtils;

/**
 * Refuses, before anything starts, a sweep with runs that cannot fit in the memory one Spark task
 * has: each run's peak is estimated from its spec ({@link RunFootprint}) and compared with
 * the heap of an executor (the driver's in local mode) less Spark's 300 MB reserve, shared by the
 * tasks that run at once in it. A run that does not fit would otherwise die with an
 * OutOfMemoryError hours into a sweep, or take its executor down with it.
 */
public final class MemoryGuard {
  /** Spark's reserved system memory (UnifiedMemoryManager.RESERVED_SYSTEM_MEMORY_BYTES). */
  public static final long SPARK_RESERVED_BYTES = 300L << 20;
  /** At most this many oversized grid points are listed. */
  static final int MAX_LISTED = 10;
  /** At most this many oversized grid points are kept while walking a grid. */
  static final int MAX_KEPT = 10_000;
  private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\*|\\d+)(?:,\\s*\\d+)?\\])?");

  private MemoryGuard() {}

  /**
   * The memory one run may use and where the number comes from.
   *
   * @param bytes the limit per run, in bytes
   * @param source how it was derived, e.g. "spark.executor.memory = 4g / 2 tasks per executor"
   */
  public record Budget(long bytes, String source) {}

  /** A grid point (all runs of it alike in size) whose runs exceed the budget. */
  public record Oversize(RunSpec example, long runs, double bytes) {}

  /**
   * The budget of one run for the session the CLI will create: {@code limit} when given ("off"
   * for none, else a size such as "6g"), else from the Spark properties: in local mode the driver
   * JVM's max heap over its task threads, otherwise {@code spark.executor.memory} (default 1g) over
   * {@code spark.executor.cores / spark.task.cpus} (1 when unset), each less Spark's reserve.
   *
   * @param master the --master option, or null for spark-submit's (else local[*])
   * @return the budget, or null when the check is switched off
   */
  public static Budget budget(SparkConf conf, String master, String limit, long driverMaxHeap, int cores) {
    if (limit != null) {
      if (limit.equalsIgnoreCase("off")) {
        return null;
      }
      return new Budget(JavaUtils.byteStringAsBytes(limit), "--max-run-memory " + limit);
    }
    String m = master != null ? master : conf.get("spark.master", "local[*]");
    Matcher local = LOCAL.matcher(m.trim());
    long heap;
    int tasks;
    String source;
    if (local.matches()) {
      heap = driverMaxHeap;
      tasks = local.group(1) == null ? 1 : local.group(1).equals("*") ? cores : Integer.parseInt(local.group(1));
      source = "the driver's max heap " + format(heap) + " in " + m;
    } else {
      heap = conf.getSizeAsBytes("spark.executor.memory", "1g");
      tasks = Math.max(1, conf.getInt("spark.executor.cores", 1) / Math.max(1, conf.getInt("spark.task.cpus", 1)));
      source = "spark.executor.memory = " + conf.get("spark.executor.memory", "1g") + " (default 1g)";
    }
    tasks = Math.max(1, tasks);
    long bytes = Math.max(0, heap - SPARK_RESERVED_BYTES) / tasks;
    return new Budget(bytes, source + ", less Spark's 300 MB reserve, shared by " + tasks + " concurrent task"
        + (tasks == 1 ? "" : "s"));
  }

  /** Walks runs: each call gives a run and how many runs of the same size it stands for. */
  @FunctionalInterface
  public interface Walk {
    void forEach(BiConsumer<RunSpec, Long> consumer);
  }

  /** The grid points whose runs need more than {@code budget} bytes each, largest first. */
  public static List<Oversize> oversized(List<RunSpec> runs, long budget) {
    return oversized(each(runs), budget);
  }

  private static Walk each(List<RunSpec> runs) {
    return consumer -> runs.forEach(r -> consumer.accept(r, 1L));
  }

  /**
   * The grid points whose runs need more than {@code budget} bytes each ({@link RunFootprint}),
   * largest first; walks the grid once, holding only the grid points that do not fit (at most
   * {@value #MAX_KEPT}).
   */
  public static List<Oversize> oversized(Walk runs, long budget) {
    Map<String, Oversize> points = new LinkedHashMap<>();
    runs.forEach((r, count) -> {
      double bytes = RunFootprint.bytes(r);
      if (bytes > budget) {
        // Runs that differ only in seed or training settings have the same size.
        String key = r.model().canonical() + "|" + r.data().n() + "|" + r.data().d() + "|" + r.record().canonical()
            + "|" + r.train().maxSteps();
        if (points.size() < MAX_KEPT || points.containsKey(key)) {
          points.merge(key, new Oversize(r, count, bytes),
              (a, b) -> new Oversize(a.example(), a.runs() + b.runs(), a.bytes()));
        }
      }
    });
    List<Oversize> out = new ArrayList<>(points.values());
    out.sort(Comparator.comparingDouble(Oversize::bytes).reversed());
    return out;
  }

  /**
   * The message that refuses the sweep (one line per grid point, as config errors: key path, value,
   * what is wrong), or null when every run fits.
   *
   * @param widthKey the key that sets the width ({@code model.width}, or {@code search.max_width})
   */
  public static String refusal(List<RunSpec> runs, Budget budget, String widthKey) {
    return refusal(each(runs), budget, widthKey);
  }

  /** {@link #refusal(List, Budget, String)} of the runs a walk gives. */
  public static String refusal(Walk runs, Budget budget, String widthKey) {
    if (budget == null) {
      return null;
    }
    List<Oversize> over = oversized(runs, budget.bytes());
    if (over.isEmpty()) {
      return null;
    }
    long total = over.stream().mapToLong(Oversize::runs).sum();
    StringBuilder sb = new StringBuilder();
    sb.append("error: ").append(total).append(" run").append(total == 1 ? "" : "s").append(
        " cannot fit in the memory of one Spark task (").append(format(budget.bytes())).append(": ").append(
            budget.source()).append("):\n");
    for (Oversize o : over.subList(0, Math.min(MAX_LISTED, over.size()))) {
      RunSpec r = o.example();
      String key = RunFootprint.largestPart(r);
      String keyName = key == null ? widthKey : key;
      long value = key == null ? r.model().width() : key.equals("record.curve_points") ? r.record().curvePoints()
          : r.train().maxSteps();
      sb.append(String.format(Locale.ROOT, "  %s: value %d (data.n = %d, data.d = %d, model.depth = %d): about %s"
          + " per run (%d run%s)%n", keyName, value, r.data().n(), r.data().d(), r.model().depth(),
          format(o.bytes()), o.runs(), o.runs() == 1 ? "" : "s"));
    }
    if (over.size() > MAX_LISTED) {
      sb.append("  ... and ").append(over.size() - MAX_LISTED).append(" more grid points\n");
    }
    sb.append("lower ").append(widthKey).append(" or data.n (or set record.ntk: false when n is large; lower").append(
        " record.curve_points, or set record.surrogate: false, when max_steps is large), give").append(
            " executors more memory (spark.executor.memory; in local mode OVERPARAM_HEAP or -Xmx), or").append(
                " override the estimate with --max-run-memory SIZE (or off)");
    return sb.toString();
  }

  /** Bytes as MB or GB. */
  public static String format(double bytes) {
    if (bytes >= 1L << 30) {
      return String.format(Locale.ROOT, "%.1f GB", bytes / (1L << 30));
    }
    if (bytes < 1L << 20) {
      return String.format(Locale.ROOT, "%.0f KB", bytes / (1L << 10));
    }
    return String.format(Locale.ROOT, "%.0f MB", bytes / (1L << 20));
  }
}
