package io.github.overparam.spark.report;

import io.github.overparam.spark.analysis.AnalysisTables;
import io.github.overparam.spark.analysis.CriticalStatus;
import io.github.overparam.spark.analysis.GroupKeys;
import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;

/**
 * The critical width against n: the figure with the fitted power laws and the n, n^2 references,
 * the fits of critical width against n and the critical table. Series are the group columns that
 * vary between critical/ rows (n excepted); the fit of a series is found through the slice keys
 * the analysis gives its groups ({@link GroupKeys#sliceKeys}), never by parsing key text.
 */
final class CriticalSection {
  private final Report r;

  CriticalSection(Report r) {
    this.r = r;
  }

  void write() {
    StringBuilder body = r.body;
    body.append("<h2>Critical width against n</h2>\n");
    if (!r.has("critical")) {
      body.append(Html.skipped("No <code>critical/</code> table yet: run <code>overparam analyze</code> on this"
          + " sweep folder to find the critical width of each group; this section is skipped."));
      return;
    }
    List<String> present = r.columns("critical");
    List<String> groupCols = AnalysisTables.GROUP_COLUMNS.stream().filter(present::contains).toList();
    // Series = the group columns that vary between rows (n excepted); label them "depth=2, lr=0.5".
    List<String> varying = new ArrayList<>();
    if (!groupCols.isEmpty()) {
      varying.addAll(r.varying("critical", groupCols));
    }
    varying.remove("n");
    // hidden_layers follows from depth (and the parameterization): naming both says nothing more.
    if (varying.contains("depth")) {
      varying.remove("hidden_layers");
    }
    String label = varying.isEmpty() ? "''" : varying.stream().map(c -> "concat('" + c + "=', coalesce(cast(" + c
        + " AS STRING), '-'))").collect(Collectors.joining(", ", "concat_ws(', ', ", ")"));
    String groupValues = AnalysisTables.GROUP_COLUMNS.stream().map(c -> present.contains(c) ? c : "NULL AS "
        + c).collect(Collectors.joining(", "));
    List<Row> rows = r.sql("SELECT " + label + " AS series, n, critical_width, critical_width_status, critical_params,"
        + " group_key, lambda0_mean, " + groupValues + " FROM ${critical} ORDER BY series, n, group_key");
    // The fits/ group_key of each row's slice in the fits against n, as the analysis names it.
    List<List<Object>> values = new ArrayList<>();
    for (Row row : rows) {
      List<Object> v = new ArrayList<>();
      for (int i = 0; i < AnalysisTables.GROUP_COLUMNS.size(); i++) {
        v.add(row.get(7 + i));
      }
      values.add(v);
    }
    List<String> sliceKeys = values.isEmpty() ? List.of() : GroupKeys.sliceKeys(values, "n");

    // Measured points per series (bracketed only: the others are bounds, listed in the table).
    Map<String, List<double[]>> points = new TreeMap<>();
    Map<String, Set<String>> slicesBySeries = new TreeMap<>();
    for (int k = 0; k < rows.size(); k++) {
      Row row = rows.get(k);
      String s = row.getString(0);
      slicesBySeries.computeIfAbsent(s, x -> new LinkedHashSet<>()).add(sliceKeys.get(k));
      points.computeIfAbsent(s, x -> new ArrayList<>());
      if (!row.isNullAt(1) && !row.isNullAt(2) && CriticalStatus.BRACKETED.text().equals(row.getString(3))
          && row.getDouble(2) > 0 && row.getInt(1) > 0) {
        points.get(s).add(new double[] {row.getInt(1), row.getDouble(2)});
      }
    }
    List<Row> fits = r.has("fits") ? r.sql("SELECT group_key, exponent, ci_low, ci_high, prefactor, r2, points,"
        + " note FROM ${fits} WHERE quantity = 'critical_width' AND against = 'n' ORDER BY group_key") : List.of();

    boolean anyPoint = points.values().stream().anyMatch(l -> !l.isEmpty());
    if (anyPoint) {
      body.append(figure(points, slicesBySeries, fits));
    } else {
      body.append(Html.skipped("No group has a bracketed critical width (every one is below the grid or not"
          + " reached), so there is nothing to plot; see the table."));
    }
    if (!fits.isEmpty()) {
      body.append(Html.table(List.of("group", "exponent", "CI", "prefactor", "R^2", "points", "note"),
          fits.stream().map(f -> List.of(Report.str(f, 0), Report.num(f, 1),
              f.isNullAt(2) && f.isNullAt(3) ? "" : "[" + Report.num(f, 2) + ", " + Report.num(f, 3) + "]",
              Report.num(f, 4), Report.num(f, 5), f.isNullAt(6) ? "" : String.valueOf(f.getInt(6)),
              Report.str(f, 7))).toList(),
          new boolean[] {false, true, true, true, true, true, false}));
    } else if (!r.has("fits")) {
      body.append(Html.skipped("No <code>fits/</code> table yet: run <code>overparam analyze</code> to fit the"
          + " scaling law; the fitted line is left out."));
    }
    body.append(Html.table(List.of("group", "n", "critical width", "status", "critical params", "lambda_0 (mean)"),
        rows.stream().map(row -> List.of(Report.str(row, 5), row.isNullAt(1) ? "" : String.valueOf(row.getInt(1)),
            Report.num(row, 2), Report.str(row, 3), Report.num(row, 4), Report.num(row, 6))).toList(),
        new boolean[] {false, true, true, false, true, true}));
  }

  private String figure(Map<String, List<double[]>> points, Map<String, Set<String>> slicesBySeries,
      List<Row> fits) {
    XYChart chart = Charts.xy(Charts.WIDE, Charts.HEIGHT, "Critical width against sample size",
        "n (training points)", "critical width m* (neurons per hidden layer)", true, true);
    double nMin = Double.MAX_VALUE;
    double nMax = 0;
    for (List<double[]> l : points.values()) {
      for (double[] p : l) {
        nMin = Math.min(nMin, p[0]);
        nMax = Math.max(nMax, p[0]);
      }
    }
    if (nMax <= nMin) {
      nMax = nMin * 2;
    }
    boolean[] fitUsed = new boolean[fits.size()];
    int i = 0;
    double[] anchor = null;
    for (Map.Entry<String, List<double[]>> e : points.entrySet()) {
      String s = e.getKey();
      List<double[]> l = e.getValue();
      if (l.isEmpty() || i >= Report.MAX_SERIES) {
        continue;
      }
      // The references start at the smallest n measured (the first series' on ties).
      if (anchor == null || l.get(0)[0] < anchor[0]) {
        anchor = l.get(0);
      }
      Color color = Charts.categorical(i++);
      String name = s.isEmpty() ? "measured m*" : "measured m*, " + s;
      Charts.measured(chart, name, l.stream().map(p -> p[0]).toList(), l.stream().map(p -> p[1]).toList(),
          color).setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
      int f = fitOf(fits, slicesBySeries.get(s));
      if (f >= 0 && !fitUsed[f]) {
        fitUsed[f] = true;
        addFitLine(chart, fits.get(f), s, color, nMin, nMax);
      }
    }
    for (int f = 0; f < fits.size(); f++) {
      if (!fitUsed[f] && i < Report.MAX_SERIES) {
        addFitLine(chart, fits.get(f), fits.get(f).isNullAt(0) ? "" : fits.get(f).getString(0),
            Charts.categorical(i++), nMin, nMax);
      }
    }
    // Within a decade XChart labels no log tick unless told to label them all.
    chart.getStyler().setXAxisLogarithmicDecadeOnly(nMax / nMin >= 20);
    chart.getStyler().setYAxisLogarithmicDecadeOnly(false);
    chart.getStyler().setXAxisMin(nMin / 1.12);
    chart.getStyler().setXAxisMax(nMax * 1.12);
    List<Double>[] sq = Charts.powerLaw(anchor[0], anchor[1], 2, nMin, nMax);
    Charts.reference(chart, "~ n^2 (reference)", sq[0], sq[1], Charts.REFERENCE);
    List<Double>[] lin = Charts.powerLaw(anchor[0], anchor[1], 1, nMin, nMax);
    Charts.reference(chart, "~ n (reference)", lin[0], lin[1], new Color(0xbbbbbb));
    return r.figure("critical-width", chart, Charts.WIDE, Charts.HEIGHT,
        "log-log plot of critical width against n",
        "Critical width m* (the smallest width at which the success rate reaches the threshold) against n on"
            + " log-log axes, with the fitted power law and dashed n and n^2 references through the first point:"
            + " look for the measured slope, which the claims of Noy et al. bound by 2, and compare it with n"
            + " (parameter count proportional to n).");
  }

  /** The index of the first fit (rows ordered by group_key) whose group_key is one of {@code keys}; -1 if none. */
  static int fitOf(List<Row> fits, Set<String> keys) {
    for (int f = 0; f < fits.size(); f++) {
      if (!fits.get(f).isNullAt(0) && keys != null && keys.contains(fits.get(f).getString(0))) {
        return f;
      }
    }
    return -1;
  }

  private static void addFitLine(XYChart chart, Row fit, String series, Color color, double nMin, double nMax) {
    if (fit.isNullAt(1) || fit.isNullAt(4) || fit.getDouble(4) <= 0) {
      return;
    }
    List<Double>[] line = Charts.powerLawFrom(fit.getDouble(4), fit.getDouble(1), nMin, nMax);
    String ci = fit.isNullAt(2) || fit.isNullAt(3) ? "" : String.format(Locale.ROOT, ", CI [%.2f, %.2f]",
        fit.getDouble(2), fit.getDouble(3));
    String name = String.format(Locale.ROOT, "fit%s: m* ~ n^%.2f%s", series.isEmpty() ? "" : " " + series,
        fit.getDouble(1), ci);
    Charts.line(chart, name, line[0], line[1], color, 2f);
  }
}
