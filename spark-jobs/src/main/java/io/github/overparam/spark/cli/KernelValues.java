package io.github.overparam.spark.cli;

import io.github.overparam.core.run.RunSpec;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code plan} prints for step sizes relative to the data's kernel (lambda0, lambda_max): per
 * rule, the values it resolves to over the sweep's runs (one per data set, and per width where the
 * kernel depends on it): min, median and max.
 */
final class KernelValues {
  private KernelValues() {}

  /**
   * Per rule of a kernel-relative value, keyed {@code "train.lr = RULE"} or {@code "train.max_steps =
   * RULE"}, its resolved values over the runs (sorted).
   */
  static Map<String, double[]> of(List<RunSpec> runs) {
    Map<String, List<Double>> byRule = new TreeMap<>();
    for (RunSpec r : runs) {
      add(byRule, "train.lr", r.train().lrRule(), r.train().lr());
      add(byRule, "train.max_steps", r.train().maxStepsRule(), r.train().maxSteps());
    }
    Map<String, double[]> out = new TreeMap<>();
    byRule.forEach((rule, v) -> {
      double[] a = v.stream().mapToDouble(Double::doubleValue).toArray();
      Arrays.sort(a);
      out.put(rule, a);
    });
    return out;
  }

  private static void add(Map<String, List<Double>> byRule, String key, String rule, double value) {
    if (rule != null && (rule.contains("lambda0") || rule.contains("lambda_max"))) {
      byRule.computeIfAbsent(key + " = " + rule, k -> new ArrayList<>()).add(value);
    }
  }

  static void print(PrintWriter out, List<RunSpec> runs) {
    of(runs).forEach((rule, a) -> {
      double median = a.length % 2 == 1 ? a[a.length / 2] : 0.5 * (a[a.length / 2 - 1] + a[a.length / 2]);
      out.printf(Locale.ROOT, "%s: min %.4g, median %.4g, max %.4g over %d runs%n", rule, a[0], median,
          a[a.length - 1], a.length);
    });
  }
}
