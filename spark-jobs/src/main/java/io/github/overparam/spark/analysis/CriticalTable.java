package io.github.overparam.spark.analysis;

import io.github.overparam.core.Names;
import io.github.overparam.core.run.Outcome.EndTrend;
import io.github.overparam.spark.analysis.Group.Cell;
import io.github.overparam.spark.analysis.Group.Obs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * critical/: per group, the success rate at each width and the critical width at the analysis'
 * threshold ({@link CriticalWidth}); also the critical width of any resample of a group's seeds,
 * for the fits and the verdicts.
 */
final class CriticalTable {
  private final double threshold;

  CriticalTable(double threshold) {
    this.threshold = threshold;
  }

  double threshold() {
    return threshold;
  }

  /** Success rates of a sample: widths with at least one run, their rates and parameter counts. */
  record Rates(int[] widths, double[] rates, int[] runs, Double[] params) {}

  static Rates rates(Group g, List<List<Obs>> sample) {
    int[] all = g.widths();
    List<Integer> idx = new ArrayList<>();
    for (int k = 0; k < all.length; k++) {
      if (!sample.get(k).isEmpty()) {
        idx.add(k);
      }
    }
    int[] widths = new int[idx.size()];
    double[] rates = new double[idx.size()];
    int[] runs = new int[idx.size()];
    Double[] params = new Double[idx.size()];
    for (int j = 0; j < idx.size(); j++) {
      int k = idx.get(j);
      List<Obs> obs = sample.get(k);
      widths[j] = all[k];
      runs[j] = obs.size();
      rates[j] = obs.stream().filter(Obs::converged).count() / (double) obs.size();
      params[j] = g.cells.get(all[k]).params();
    }
    return new Rates(widths, rates, runs, params);
  }

  /** The critical width of a sample of the group's runs ({@link Group#sample}). */
  CriticalWidth.Result critical(Group g, List<List<Obs>> sample) {
    Rates r = rates(g, sample);
    return CriticalWidth.of(r.widths(), r.rates(), r.params(), threshold);
  }

  /** The critical width of all the group's runs. */
  CriticalWidth.Result critical(Group g) {
    return critical(g, g.sample(null));
  }

  /** The critical/ row of a group, built by column name in {@link AnalysisTables#CRITICAL_SCHEMA} order. */
  Row row(Group g) {
    Rates r = rates(g, g.sample(null));
    CriticalWidth.Result c = CriticalWidth.of(r.widths(), r.rates(), r.params(), threshold);
    // Per seed (ascending): its converged flags at the widths where it has a run.
    List<Double> seedCritical = new ArrayList<>();
    for (long s : g.seeds()) {
      List<Integer> w = new ArrayList<>();
      List<Boolean> ok = new ArrayList<>();
      for (Cell cell : g.cells.values()) {
        List<Obs> obs = cell.bySeed().get(s);
        if (obs != null) {
          w.add(cell.width());
          ok.add(obs.stream().allMatch(Obs::converged));
        }
      }
      boolean[] flags = new boolean[ok.size()];
      for (int i = 0; i < flags.length; i++) {
        flags[i] = ok.get(i);
      }
      seedCritical.add(CriticalWidth.seedCritical(w.stream().mapToInt(Integer::intValue).toArray(), flags));
    }
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("group_key", g.key);
    v.put("widths", ints(r.widths()));
    v.put("success_rates", doubles(r.rates()));
    v.put("runs_per_width", ints(r.runs()));
    v.put("threshold", threshold);
    v.put("critical_width", c.width());
    v.put("critical_width_status", c.status().text());
    v.put("critical_params", c.params());
    v.put("seed_critical_widths", seedCritical.toArray());
    BudgetLadder ladder = BudgetLadder.of(g, threshold);
    v.put("ladder_budgets", ladder == null ? null : ladder.budgetColumn());
    v.put("ladder_critical_widths", ladder == null ? null : ladder.column());
    v.put("budget_limited", ladder == null ? null : ladder.limited());
    v.put("budget_note", ladder == null ? "no max_steps" : ladder.why());
    v.put("descending_runs", trendCount(g, DESCENDING));
    v.put("stalled_runs", trendCount(g, STALLED));
    v.put("lambda0_mean", g.lambda0Count == 0 ? null : g.lambda0Sum / g.lambda0Count);
    for (String col : AnalysisTables.GROUP_COLUMNS) {
      v.put(col, g.value(col));
    }
    Object[] row = new Object[AnalysisTables.CRITICAL_SCHEMA.length()];
    for (Map.Entry<String, Object> e : v.entrySet()) {
      row[AnalysisTables.CRITICAL_SCHEMA.fieldIndex(e.getKey())] = e.getValue();
    }
    if (v.size() != row.length) {
      throw new IllegalStateException("critical row has " + v.size() + " values for " + row.length + " columns");
    }
    return RowFactory.create(row);
  }

  static final String DESCENDING = Names.of(EndTrend.DESCENDING);
  static final String STALLED = Names.of(EndTrend.STALLED);

  /** The group's runs stopped at max_steps whose end_trend is {@code trend} (descending or stalled). */
  static int trendCount(Group g, String trend) {
    int count = 0;
    for (Cell c : g.cells.values()) {
      count += (int) c.obs().stream().filter(o -> trend.equals(o.endTrend())).count();
    }
    return count;
  }

  /** Array columns take Java object arrays in rows of every Spark line (Scala 2.12 and 2.13). */
  private static Integer[] ints(int[] v) {
    return Arrays.stream(v).boxed().toArray(Integer[]::new);
  }

  private static Double[] doubles(double[] v) {
    return Arrays.stream(v).boxed().toArray(Double[]::new);
  }
}
