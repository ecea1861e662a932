package io.github.overparam.spark.report;

import io.github.overparam.spark.sweep.SweepViews;
import io.github.overparam.spark.table.Table;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * One report being written: the sweep folder, its tables registered as this report's views, the
 * page body and the figures so far. The sections ({@link ReportWriter}, {@link CriticalSection},
 * {@link RunSections}) append to it.
 */
final class Report {
  static final int MAX_PANELS = 4;
  static final int MAX_SERIES = 12;
  private static final String VIEW = "overparam_report_";
  private static final Pattern TABLE_REF = Pattern.compile("\\$\\{(\\w+)}");

  final SparkSession spark;
  final Path root;
  final FileSystem fs;
  /** Per table of {@link SweepViews#TABLES}: whether the folder holds it. */
  final Map<String, Boolean> present = new LinkedHashMap<>();
  /** The figure files written beside the page, by name. */
  final Map<String, byte[]> files = new LinkedHashMap<>();
  final StringBuilder body = new StringBuilder();
  /** SQL expression labeling a run's group besides n, e.g. "depth=2, lr=0.5" ('' when nothing varies). */
  String facetExpr = "''";
  /** The columns in {@link #facetExpr}. */
  List<String> facets = List.of();
  private RunCells cells;
  private int figureCount;

  Report(SparkSession spark, String sweepFolder) throws IOException {
    this.spark = spark;
    Path p = new Path(sweepFolder);
    this.fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
    this.root = fs.makeQualified(p);
  }

  /** Registers the folder's tables as this report's views (committed waves only). */
  void registerViews() {
    for (Table table : Table.values()) {
      String t = table.dir();
      // Committed waves only: what a crashed wave left behind is not a result.
      Dataset<Row> df = SweepViews.read(spark, root.toString(), table);
      present.put(t, df != null);
      if (df != null) {
        df.createOrReplaceTempView(VIEW + t);
      }
    }
  }

  void dropViews() {
    for (String t : present.keySet()) {
      spark.catalog().dropTempView(VIEW + t);
    }
  }

  boolean has(String table) {
    return present.getOrDefault(table, false);
  }

  /** Runs {@code query} with each {@code ${table}} naming this report's view of that table. */
  List<Row> sql(String query) {
    return spark.sql(TABLE_REF.matcher(query).replaceAll(VIEW + "$1")).collectAsList();
  }

  /**
   * Of {@code columns} of {@code table}, those that take more than one value (a missing value counts
   * as one): one query for the distinct combinations, counted here (a query of many
   * {@code count(DISTINCT ...)} makes Spark expand every row once per column).
   */
  List<String> varying(String table, List<String> columns) {
    if (columns.isEmpty()) {
      return List.of();
    }
    List<List<String>> rows = new ArrayList<>();
    for (Row row : sql(columns.stream().map(c -> "coalesce(cast(" + c + " AS STRING), '-')").collect(
        Collectors.joining(", ", "SELECT DISTINCT ", " FROM ${" + table + "}")))) {
      List<String> texts = new ArrayList<>();
      for (int i = 0; i < columns.size(); i++) {
        texts.add(row.getString(i));
      }
      rows.add(texts);
    }
    return varying(columns, rows);
  }

  /** Of {@code columns}, those whose texts (one list per row, in column order) take more than one value. */
  static List<String> varying(List<String> columns, List<List<String>> rows) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      Set<String> seen = new HashSet<>();
      for (List<String> texts : rows) {
        seen.add(texts.get(i));
      }
      if (seen.size() > 1) {
        out.add(columns.get(i));
      }
    }
    return out;
  }

  /** runs/ counted per cell of the grid: read on first use, after the views are registered. */
  RunCells cells() {
    if (cells == null) {
      cells = RunCells.read(this, ReportWriter.AXES, ReportWriter.FACET_CANDIDATES);
    }
    return cells;
  }

  /** The name of this report's view of {@code table}. */
  String view(String table) {
    return VIEW + table;
  }

  boolean hasColumn(String table, String column) {
    return Arrays.asList(spark.table(VIEW + table).columns()).contains(column);
  }

  List<String> columns(String table) {
    return Arrays.asList(spark.table(VIEW + table).columns());
  }

  /**
   * Registers a figure (numbered in page order) as PNG and SVG files beside the page and returns its
   * HTML block: the PNG inline, a link to the SVG.
   */
  String figure(String file, Chart<?, ?> chart, int width, int height, String alt, String caption) {
    figureCount++;
    String name = String.format(Locale.ROOT, "fig%02d-%s", figureCount, file);
    byte[] png = Charts.png(chart);
    files.put(name + ".png", png);
    files.put(name + ".svg", Charts.svg(chart));
    return Html.figure(name, png, width, height, alt, caption);
  }

  /** A value as the page prints it. */
  static String format(Object o) {
    if (o == null) {
      return "";
    }
    if (o instanceof Double d) {
      return Charts.number(d);
    }
    if (o instanceof Float f) {
      return Charts.number(f);
    }
    return o.toString();
  }

  static String str(Row r, int i) {
    return r.isNullAt(i) ? "" : r.get(i).toString();
  }

  static String num(Row r, int i) {
    if (r.isNullAt(i)) {
      return "";
    }
    Object o = r.get(i);
    if (o instanceof Double d) {
      return Math.abs(d) >= 100 ? String.format(Locale.ROOT, "%.1f", d).replaceAll("\\.0$", "")
          : String.format(Locale.ROOT, "%.3g", d);
    }
    return o.toString();
  }
}
