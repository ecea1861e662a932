package io.github.overparam.spark.report;

import io.github.overparam.core.Names;
import io.github.overparam.core.train.Status;
import io.github.overparam.spark.analysis.AnalysisTables;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.XYChart;

/**
 * The report's sections on runs/ and curves/: the success rate over (width, n), median loss curves
 * per width, and the maximum neuron distance and flip fraction against width (Du et al., ICLR 2019,
 * Section 6) with the fitted exponents of each series' group from fits/.
 */
final class RunSections {
  private static final String CONVERGED = Names.of(Status.CONVERGED);
  private static final String MAX_STEPS = Names.of(Status.MAX_STEPS);
  private static final String DIVERGED = Names.of(Status.DIVERGED);
  private static final String FAILED = Names.of(Status.FAILED);

  private final Report report;

  RunSections(Report report) {
    this.report = report;
  }

  void successHeatMap() {
    report.body.append("<h2>Success rate over width and n</h2>\n");
    Map<String, Map<List<Integer>, long[]>> byFacet = report.cells().success(report.facets, CONVERGED);
    if (byFacet.isEmpty()) {
      report.body.append(Html.skipped("The <code>runs/</code> table holds no runs yet; this section is skipped."));
      return;
    }
    if (byFacet.size() > Report.MAX_PANELS) {
      report.body.append(Html.skipped(Html.escape("The first " + Report.MAX_PANELS + " of " + byFacet.size()
          + " groups (" + String.join(", ", report.facets) + ") are shown; query the rest with overparam sql.")));
    }
    StringBuilder figs = new StringBuilder();
    int shown = 0;
    for (Map.Entry<String, Map<List<Integer>, long[]>> e : byFacet.entrySet()) {
      if (shown++ >= Report.MAX_PANELS) {
        break;
      }
      TreeSet<Integer> widths = new TreeSet<>();
      TreeSet<Integer> ns = new TreeSet<>();
      for (List<Integer> cell : e.getValue().keySet()) {
        ns.add(cell.get(0));
        widths.add(cell.get(1));
      }
      List<Integer> xw = new ArrayList<>(widths);
      List<Integer> yn = new ArrayList<>(ns);
      // Categories as text: numbers would be printed with grouping separators (1,024).
      List<String> xs = xw.stream().map(String::valueOf).toList();
      List<String> ys = yn.stream().map(String::valueOf).toList();
      Double[][] values = new Double[ys.size()][xs.size()];
      long minRuns = Long.MAX_VALUE;
      long maxRuns = 0;
      for (Map.Entry<List<Integer>, long[]> cell : e.getValue().entrySet()) {
        long[] counts = cell.getValue();
        values[yn.indexOf(cell.getKey().get(0))][xw.indexOf(cell.getKey().get(1))] = (double) counts[0] / counts[1];
        minRuns = Math.min(minRuns, counts[1]);
        maxRuns = Math.max(maxRuns, counts[1]);
      }
      int w = Math.min(Charts.WIDE, Math.max(560, 160 + 76 * xs.size()));
      int h = Math.min(Charts.HEIGHT, Math.max(300, 170 + 60 * ys.size()));
      String title = "Fraction of runs that reached the target" + (e.getKey().isEmpty() ? "" : " (" + e.getKey()
          + ")");
      HeatMapChart chart = Charts.heatMap(w, h, title, "width m (neurons per hidden layer)", "n (training points)",
          xs, ys, values, 0, 1);
      String runs = minRuns == maxRuns ? minRuns + " runs" : minRuns + " to " + maxRuns + " runs";
      figs.append(report.figure("success-rate", chart, w, h, "heat map of success rate over width and n"
          + (e.getKey().isEmpty() ? "" : " (" + e.getKey() + ")"),
          "Share of runs (" + runs + " per cell, over seeds) that converged to the target loss, per width and n:"
              + " look for the boundary where the cells turn blue (all seeds succeed) and how it moves right as n"
              + " grows."));
    }
    report.body.append(figs);
  }

  // ---------------------------------------------------------------- loss curves

  void lossCurves() {
    report.body.append("<h2>Loss curves by width</h2>\n");
    if (!report.has("curves")) {
      report.body.append(Html.skipped("No <code>curves/</code> table in this sweep folder; this section is skipped."));
      return;
    }
    // Panels: per n (largest ones) when nothing else varies, else per group at its largest n.
    Map<String, TreeSet<Integer>> sampleSizes = report.cells().sampleSizes(report.facets);
    List<String[]> panels = new ArrayList<>();
    if (sampleSizes.size() == 1) {
      Map.Entry<String, TreeSet<Integer>> only = sampleSizes.entrySet().iterator().next();
      List<Integer> ns = new ArrayList<>(only.getValue());
      for (int i = Math.max(0, ns.size() - Report.MAX_PANELS); i < ns.size(); i++) {
        panels.add(new String[] {only.getKey(), String.valueOf(ns.get(i))});
      }
    } else {
      for (Map.Entry<String, TreeSet<Integer>> e : sampleSizes.entrySet()) {
        if (panels.size() == Report.MAX_PANELS) {
          break;
        }
        panels.add(new String[] {e.getKey(), String.valueOf(e.getValue().last())});
      }
    }
    String nList = panels.stream().map(p -> p[1]).distinct().collect(Collectors.joining(", "));
    List<Row> rows = medianCurves(nList);
    Double relTarget = report.cells().sharedRelativeTarget();

    StringBuilder figs = new StringBuilder("<div class=\"multiples\">\n");
    int drawn = 0;
    for (String[] panel : panels) {
      int n = Integer.parseInt(panel[1]);
      Map<Integer, List<double[]>> byWidth = new TreeMap<>();
      for (Row r : rows) {
        if (r.getString(0).equals(panel[0]) && r.getInt(1) == n && !r.isNullAt(4) && r.getDouble(4) > 0) {
          byWidth.computeIfAbsent(r.getInt(2), k -> new ArrayList<>()).add(new double[] {r.getInt(3),
              r.getDouble(4)});
        }
      }
      if (byWidth.isEmpty()) {
        continue;
      }
      String title = "Median loss by width, n = " + n + (panel[0].isEmpty() ? "" : " (" + panel[0] + ")");
      XYChart chart = Charts.xy(Charts.SMALL_WIDTH, Charts.SMALL_HEIGHT, title, "gradient step k",
          "loss(k) / loss(0)", false, true);
      chart.getStyler().setYAxisLogarithmicDecadeOnly(true);
      int i = 0;
      List<Integer> widths = new ArrayList<>(byWidth.keySet());
      // Thin out many widths to at most 10, keeping the extremes.
      List<Integer> keep = thin(widths, 10);
      // Cut the step axis where the slowest width whose median reaches the target gets there, so that
      // geometric decay shows as straight lines instead of a wall at k = 0 beside stalled narrow nets.
      double lastStep = 0;
      double reachedBy = 0;
      for (int m : keep) {
        List<double[]> pts = byWidth.get(m);
        lastStep = Math.max(lastStep, pts.get(pts.size() - 1)[0]);
        if (relTarget != null) {
          for (double[] p : pts) {
            if (p[1] <= relTarget * (1 + 1e-9)) {
              reachedBy = Math.max(reachedBy, p[0]);
              break;
            }
          }
        }
      }
      double xMax = reachedBy > 0 && reachedBy * 1.25 < lastStep ? Math.ceil(reachedBy * 1.25) : lastStep;
      for (int m : keep) {
        List<double[]> pts = byWidth.get(m).stream().filter(p -> p[0] <= xMax).toList();
        Charts.line(chart, "m = " + m, pts.stream().map(p -> p[0]).toList(), pts.stream().map(p -> p[1]).toList(),
            Charts.ordered(i++, keep.size()), 2f);
      }
      chart.getStyler().setXAxisMin(0.0);
      chart.getStyler().setXAxisMax(Math.max(1, xMax));
      if (relTarget != null && relTarget > 0) {
        Charts.reference(chart, "target", List.of(0.0, Math.max(1, xMax)), List.of(relTarget, relTarget),
            new Color(0xd62728));
        chart.getStyler().setYAxisMin(relTarget / 3);
      }
      if (xMax < lastStep) {
        chart.setXAxisTitle("gradient step k (cut at " + Charts.number(xMax) + " of " + Charts.number(lastStep)
            + ")");
      }
      figs.append(report.figure("loss-curves-n" + n, chart, Charts.SMALL_WIDTH, Charts.SMALL_HEIGHT,
          "median loss curves per width for n = " + n + (panel[0].isEmpty() ? "" : " (" + panel[0] + ")"),
          "Median over seeds (diverged runs left out) of the training loss relative to its initial value (log"
              + " scale) against the step, one line per width m (dark = narrow, yellow = wide): look for straight"
              + " lines (geometric decay, as Du et al. predict) that get steeper and reach the dashed target as m"
              + " grows; narrow nets that stall stay flat."));
      drawn++;
    }
    figs.append("</div>\n");
    if (drawn == 0) {
      report.body.append(Html.skipped("The <code>curves/</code> table holds no positive losses to plot; this section is"
          + " skipped."));
    } else {
      report.body.append(figs);
    }
  }

  /**
   * Per (facet, n, width, step) of the runs with n in {@code nList} (converged and max-steps runs, and
   * any other that neither failed nor diverged): the median over runs of loss(step) / initial loss,
   * ordered by facet, n, width and step. The steps are every step any run of the cell recorded; a run
   * that stopped early keeps its last loss at later steps, so the median is over all seeds, and a run
   * counts from its first recorded step on.
   */
  List<Row> medianCurves(String nList) {
    List<Row> rows = new ArrayList<>(report.sql("WITH c AS (SELECT " + report.facetExpr
        + " AS fk, r.n, r.width, c.run_id, c.step,"
        + " c.loss / r.initial_loss AS rel FROM ${curves} c JOIN ${runs} r ON c.run_id = r.run_id"
        + " WHERE r.initial_loss > 0 AND c.loss IS NOT NULL AND r.status NOT IN ('" + FAILED + "', '" + DIVERGED + "')"
        + " AND r.n IN (" + nList + ")),"
        // The grid: every step of a cell for every run of that cell (from one aggregate per cell).
        + " cells AS (SELECT fk, n, width, collect_set(step) AS steps, collect_set(run_id) AS members FROM c"
        + "   GROUP BY fk, n, width),"
        + " grid AS (SELECT fk, n, width, step, run_id FROM cells LATERAL VIEW explode(steps) s AS step"
        + "   LATERAL VIEW explode(members) m AS run_id),"
        // Each run's loss at each step of its cell: its own point there, else its last point before (a
        // point sorts before the grid row of its step). A step before a run's first point has no value.
        + " marked AS (SELECT fk, n, width, step, run_id, rel, 0 AS grid FROM c UNION ALL"
        + "   SELECT fk, n, width, step, run_id, CAST(NULL AS DOUBLE) AS rel, 1 AS grid FROM grid),"
        + " filled AS (SELECT fk, n, width, step, grid, last_value(rel, true) OVER (PARTITION BY run_id"
        + "   ORDER BY step, grid ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS rel FROM marked)"
        + " SELECT fk, n, width, step, percentile(rel, 0.5) AS median_rel FROM filled WHERE grid = 1 AND rel IS NOT NULL"
        + " GROUP BY fk, n, width, step"));
    // Ordered here rather than by Spark (whose ORDER BY costs a sampling job and a shuffle).
    rows.sort(Comparator.comparing((Row r) -> r.getString(0)).thenComparingInt(r -> r.getInt(1)).thenComparingInt(
        r -> r.getInt(2)).thenComparingInt(r -> r.getInt(3)));
    return rows;
  }

  /** Log-log fits of {@code quantity} against width from fits/, if present, ordered by group_key. */
  private List<Row> fitsAgainstWidth(String quantity) {
    return report.has("fits") ? report.sql("SELECT group_key, exponent, ci_low, ci_high FROM ${fits} WHERE quantity = '"
        + quantity + "' AND against = 'width' AND exponent IS NOT NULL ORDER BY group_key") : List.of();
  }

  /**
   * Per series of the distance and flip figures ("n = 16, depth=2"), the group_keys (critical/) of
   * its runs: each run is matched to its group on the group columns, as the analysis groups runs
   * (an lr given by a rule in the width counts as no lr). Empty without critical/.
   */
  Map<String, Set<String>> groupKeysBySeries() {
    Map<String, Set<String>> out = new TreeMap<>();
    if (!report.has("critical")) {
      return out;
    }
    List<String> runs = report.columns("runs");
    List<String> critical = report.columns("critical");
    List<String> keyed = AnalysisTables.GROUP_COLUMNS.stream().filter(critical::contains).toList();
    String groups = keyed.stream().map(c -> ", " + c + " AS g_" + c).collect(Collectors.joining("", "SELECT group_key",
        " FROM ${critical}"));
    String on = AnalysisTables.GROUP_COLUMNS.stream().map(c -> runValue(c, runs) + " <=> "
        + (keyed.contains(c) ? "k.g_" + c : "NULL")).collect(Collectors.joining(" AND "));
    for (Row row : report.sql("SELECT DISTINCT " + report.facetExpr + " AS fk, n, k.group_key FROM ${runs} JOIN ("
        + groups + ") k ON " + on + " WHERE n IS NOT NULL")) {
      out.computeIfAbsent(label(row.getInt(1), row.getString(0)), x -> new TreeSet<>()).add(row.getString(2));
    }
    return out;
  }

  private static String runValue(String column, List<String> runs) {
    if (!runs.contains(column)) {
      return "NULL";
    }
    return column.equals("lr") && runs.contains("lr_rule") ? "(CASE WHEN lr_rule IS NULL THEN lr END)" : column;
  }

  private static String label(int n, String facets) {
    return "n = " + n + (facets.isEmpty() ? "" : ", " + facets);
  }

  /** " (fit: m^-0.56 [-0.60, -0.52])" for the fit of one of the series' groups, else "". */
  static String fitLegend(List<Row> fits, Set<String> keys) {
    int f = CriticalSection.fitOf(fits, keys);
    if (f < 0) {
      return "";
    }
    Row fit = fits.get(f);
    String ci = fit.isNullAt(2) || fit.isNullAt(3) ? "" : String.format(Locale.ROOT, " [%.2f, %.2f]",
        fit.getDouble(2), fit.getDouble(3));
    return String.format(Locale.ROOT, " (fit: m^%.2f%s)", fit.getDouble(1), ci);
  }

  static List<Integer> thin(List<Integer> values, int max) {
    if (values.size() <= max) {
      return values;
    }
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < max; i++) {
      int idx = (int) Math.round((double) i * (values.size() - 1) / (max - 1));
      if (out.isEmpty() || !out.get(out.size() - 1).equals(values.get(idx))) {
        out.add(values.get(idx));
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- Du et al. Section 6

  void neuronDistanceAndFlips() {
    report.body.append("<h2>Distance from initialization and activation flips (Du et al., Section 6)</h2>\n");
    boolean hasDist = report.hasColumn("runs", "max_neuron_distance");
    boolean hasFlip = report.hasColumn("runs", "flip_fraction");
    List<Row> rows = report.sql("SELECT " + report.facetExpr + " AS fk, n, width, "
        + (hasDist ? "percentile(max_neuron_distance, 0.5)" : "CAST(NULL AS DOUBLE)") + ", "
        + (hasFlip ? "percentile(flip_fraction, 0.5)" : "CAST(NULL AS DOUBLE)")
        + " FROM ${runs} WHERE status IN ('" + CONVERGED + "', '" + MAX_STEPS + "')"
        + " AND n IS NOT NULL AND width IS NOT NULL"
        + " GROUP BY 1, n, width ORDER BY 1, n, width");
    Map<String, List<Row>> series = new LinkedHashMap<>();
    for (Row r : rows) {
      String label = label(r.getInt(1), r.getString(0));
      series.computeIfAbsent(label, k -> new ArrayList<>()).add(r);
    }
    List<String> labels = new ArrayList<>(series.keySet()).subList(0, Math.min(Report.MAX_SERIES, series.size()));
    boolean orderedColors = report.facets.isEmpty();
    Map<String, Set<String>> keys = groupKeysBySeries();
    List<Row> distFits = fitsAgainstWidth("max_neuron_distance");
    List<Row> flipFits = fitsAgainstWidth("flip_fraction");

    XYChart dist = Charts.xy(Charts.WIDE, Charts.HEIGHT, "Maximum neuron distance from initialization",
        "width m (neurons per hidden layer)", "max_r ||w_r(end) - w_r(0)||  (median over seeds)", true, true);
    double[] anchor = null;
    double mMin = Double.MAX_VALUE;
    double mMax = 0;
    int i = 0;
    for (String label : labels) {
      List<Double> x = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      for (Row r : series.get(label)) {
        if (!r.isNullAt(3) && r.getDouble(3) > 0 && r.getInt(2) > 0) {
          x.add((double) r.getInt(2));
          y.add(r.getDouble(3));
          mMin = Math.min(mMin, r.getInt(2));
          mMax = Math.max(mMax, r.getInt(2));
        }
      }
      Color c = orderedColors ? Charts.ordered(i, labels.size()) : Charts.categorical(i);
      i++;
      if (!x.isEmpty()) {
        if (anchor == null) {
          anchor = new double[] {x.get(0), y.get(0)};
        }
        Charts.measured(dist, label + fitLegend(distFits, keys.get(label)), x, y, c);
      }
    }
    if (anchor != null) {
      List<Double>[] ref = Charts.powerLaw(anchor[0], anchor[1], -0.5, mMin, Math.max(mMax, mMin * 2));
      Charts.reference(dist, "~ m^-1/2 (reference)", ref[0], ref[1], Charts.REFERENCE);
      report.body.append(report.figure("max-neuron-distance", dist, Charts.WIDE, Charts.HEIGHT,
          "log-log plot of maximum neuron distance against width",
          "Largest distance any neuron's weight vector moved from its initial value during training (median over"
              + " converged and max-steps runs; fitted exponents from fits/ in the legend), against width on log-log"
              + " axes: look for lines parallel to the"
              + " dashed slope -1/2 reference, i.e. weights moving like m^-1/2 as Du et al. prove."));
    } else {
      report.body.append(Html.skipped("No run recorded a positive max neuron distance; the distance figure is"
          + " skipped."));
    }

    XYChart flips = Charts.xy(Charts.WIDE, Charts.HEIGHT, "Fraction of activation patterns flipped",
        "width m (neurons per hidden layer)", "flipped (i, r) pairs / (m n)  (median over seeds)", true, false);
    flips.getStyler().setYAxisMin(0.0);
    i = 0;
    boolean anyFlip = false;
    for (String label : labels) {
      List<Double> x = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      for (Row r : series.get(label)) {
        if (!r.isNullAt(4) && r.getInt(2) > 0) {
          x.add((double) r.getInt(2));
          y.add(r.getDouble(4));
        }
      }
      Color c = orderedColors ? Charts.ordered(i, labels.size()) : Charts.categorical(i);
      i++;
      if (!x.isEmpty()) {
        anyFlip = true;
        Charts.measured(flips, label + fitLegend(flipFits, keys.get(label)), x, y, c);
      }
    }
    if (anyFlip) {
      report.body.append(report.figure("flip-fraction", flips, Charts.WIDE, Charts.HEIGHT,
          "flip fraction against width",
          "Share of (training point, neuron) pairs whose ReLU activation pattern changed between initialization and"
              + " the end of training (median over seeds), against width: look for it falling toward 0 as m grows,"
              + " the lazy regime in which Du et al.'s proof works."));
    } else {
      report.body.append(Html.skipped("No run recorded a flip fraction; the flip figure is skipped."));
    }
  }
}
