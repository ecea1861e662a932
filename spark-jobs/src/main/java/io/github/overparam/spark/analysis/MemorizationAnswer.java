package io.github.overparam.spark.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The answer to "how many trained parameters does GD need to fit n points", read from a sweep's
 * critical/ and fits/ tables: the fit of critical trained parameters against n with its interval,
 * and per group critical params / n and the gap to Noy et al.'s width n^2 L (L = hidden layers).
 * Printed by {@code analyze} and shown first in the report when n varies.
 */
public final class MemorizationAnswer {
  private MemorizationAnswer() {}

  /** A fits/ row of critical_params against n. */
  public record Fit(String slice, Double exponent, Double low, Double high, Integer points, String note) {
    /** "params ~ n^1.12 [0.95, 1.30], 5 points". */
    public String text() {
      if (exponent == null) {
        return "no fit (" + note + ")";
      }
      return String.format(Locale.ROOT, "critical params ~ n^%.3f [%s, %s], %d points", exponent,
          low == null ? "null" : String.format(Locale.ROOT, "%.3f", low),
          high == null ? "null" : String.format(Locale.ROOT, "%.3f", high), points);
    }
  }

  /** One critical/ group: its critical width and params, and the ratios. */
  public record Point(String group, int n, int hiddenLayers, String status, Double width, Double params,
      Boolean budgetLimited) {
    public Double paramsPerN() {
      return params == null ? null : params / n;
    }

    /** Noy et al.'s sufficient width n^2 L. */
    public double noyWidth() {
      return (double) n * n * hiddenLayers;
    }

    public Double widthOverNoy() {
      return width == null ? null : width / noyWidth();
    }
  }

  /** The fits and the groups (empty fits when n does not vary). */
  public record Answer(List<Fit> fits, List<Point> points) {
    public boolean present() {
      return !fits.isEmpty() && !points.isEmpty();
    }

    /** Header and rows of the gap table, as text. */
    public List<String> header() {
      return List.of("group", "n", "L", "critical width", "status", "budget", "critical params", "params / n",
          "n^2 L", "width / (n^2 L)");
    }

    public List<List<String>> rows() {
      List<List<String>> out = new ArrayList<>();
      for (Point p : points) {
        out.add(Arrays.asList(p.group(), String.valueOf(p.n()), String.valueOf(p.hiddenLayers()), num(p.width()),
            p.status(), p.budgetLimited() == null ? "" : p.budgetLimited() ? "budget-limited (not fitted)" : "stable",
            num(p.params()), num(p.paramsPerN()), num(p.noyWidth()), num(p.widthOverNoy())));
      }
      return out;
    }
  }

  static String num(Double v) {
    return v == null ? "" : String.format(Locale.ROOT, "%.3g", v);
  }

  /**
   * Reads the answer; {@code view} maps a table name (critical, fits) to the view that holds it.
   * Without a critical/ or fits/ view, an empty answer.
   */
  public static Answer read(SparkSession spark, UnaryOperator<String> view) {
    List<Fit> fits = new ArrayList<>();
    for (Row f : spark.sql("SELECT group_key, exponent, ci_low, ci_high, points, note FROM " + view.apply("fits")
        + " WHERE quantity = 'critical_params' AND against = 'n' ORDER BY group_key").collectAsList()) {
      fits.add(new Fit(f.getString(0), f.isNullAt(1) ? null : f.getDouble(1), f.isNullAt(2) ? null : f.getDouble(2),
          f.isNullAt(3) ? null : f.getDouble(3), f.isNullAt(4) ? null : f.getInt(4), f.getString(5)));
    }
    List<Point> points = new ArrayList<>();
    // Tables written before a column existed: hidden layers from depth (else 1), no budget column.
    List<String> columns = Arrays.asList(spark.table(view.apply("critical")).columns());
    if (!columns.contains("n")) {
      return new Answer(fits, points);
    }
    String layers = columns.contains("hidden_layers") ? "hidden_layers" : columns.contains("depth") ? "depth" : "1";
    String budget = columns.contains("budget_limited") ? "budget_limited" : "CAST(NULL AS BOOLEAN)";
    for (Row r : spark.sql("SELECT group_key, n, CAST(" + layers + " AS INT) AS layers, critical_width_status,"
        + " critical_width, critical_params, " + budget + " FROM " + view.apply("critical")
        + " ORDER BY layers, n, group_key").collectAsList()) {
      points.add(new Point(r.getString(0), r.getInt(1), r.isNullAt(2) ? 1 : r.getInt(2), r.getString(3),
          r.isNullAt(4) ? null : r.getDouble(4), r.isNullAt(5) ? null : r.getDouble(5),
          r.isNullAt(6) ? null : r.getBoolean(6)));
    }
    return new Answer(fits, points);
  }
}
