package io.github.overparam.spark.notebook;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * XChart line and scatter charts from query results, as images a notebook displays inline
 * ({@code display(Plot.image(chart))} in the Java kernel).
 */
public final class Plot {
  public static final int WIDTH = 800;
  public static final int HEIGHT = 480;
  private static final int MAX_MARKED_POINTS = 30;
  private static final Color REFERENCE = new Color(0x888888);

  private Plot() {}

  /** An empty chart; log axes where asked (every value plotted on them must be positive). */
  public static XYChart xy(String title, String xTitle, String yTitle, boolean logX, boolean logY) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle(
        yTitle).build();
    Styler s = chart.getStyler();
    s.setChartBackgroundColor(Color.WHITE);
    s.setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setXAxisLogarithmic(logX);
    chart.getStyler().setYAxisLogarithmic(logY);
    chart.getStyler().setPlotGridLinesColor(new Color(0xdddddd));
    chart.getStyler().setMarkerSize(6);
    return chart;
  }

  /**
   * One line per value of {@code seriesColumn} (null: a single line named {@code y}) with the
   * points ({@code x}, {@code y}) of {@code df}'s rows in their order; rows with a null or, on a log
   * axis, non-positive coordinate are left out. Returns the number of points drawn.
   */
  public static int lines(XYChart chart, Dataset<Row> df, String x, String y, String seriesColumn) {
    return add(chart, df, x, y, seriesColumn, true);
  }

  /** As {@link #lines} with markers only. */
  public static int points(XYChart chart, Dataset<Row> df, String x, String y, String seriesColumn) {
    return add(chart, df, x, y, seriesColumn, false);
  }

  /** A gray dashed reference line through the given points (a theory prediction, a fit). */
  public static XYSeries reference(XYChart chart, String name, double[] x, double[] y) {
    XYSeries s = chart.addSeries(name, x, y);
    s.setMarker(SeriesMarkers.NONE);
    s.setLineColor(REFERENCE);
    s.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
        10f, new float[] {6f, 4f}, 0f));
    return s;
  }

  /** The power law {@code prefactor * x^exponent} sampled on a log grid from x0 to x1. */
  public static double[][] powerLaw(double prefactor, double exponent, double x0, double x1) {
    int k = 32;
    double[] xs = new double[k];
    double[] ys = new double[k];
    for (int i = 0; i < k; i++) {
      xs[i] = x0 * Math.pow(x1 / x0, i / (double) (k - 1));
      ys[i] = prefactor * Math.pow(xs[i], exponent);
    }
    return new double[][] {xs, ys};
  }

  /**
   * The chart drawn as an image. A log axis that spans less than two decades gets labels between
   * the powers of ten too (XChart labels only the decades by default, which can leave none).
   */
  public static BufferedImage image(XYChart chart) {
    double[] x = range(chart, true);
    double[] y = range(chart, false);
    chart.getStyler().setXAxisLogarithmicDecadeOnly(!(x[0] > 0 && x[1] / x[0] < 100));
    chart.getStyler().setYAxisLogarithmicDecadeOnly(!(y[0] > 0 && y[1] / y[0] < 100));
    return BitmapEncoder.getBufferedImage(chart);
  }

  /** {min, max} over the positive finite values of every series' x (or y) data. */
  private static double[] range(XYChart chart, boolean xAxis) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (XYSeries s : chart.getSeriesMap().values()) {
      for (double v : xAxis ? s.getXData() : s.getYData()) {
        if (v > 0 && Double.isFinite(v)) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    return new double[] {lo, hi};
  }

  private static int add(XYChart chart, Dataset<Row> df, String x, String y, String seriesColumn, boolean line) {
    boolean logX = chart.getStyler().isXAxisLogarithmic();
    boolean logY = chart.getStyler().isYAxisLogarithmic();
    List<String> cols = new ArrayList<>(List.of(x, y));
    if (seriesColumn != null) {
      cols.add(seriesColumn);
    }
    Map<String, List<double[]>> series = new LinkedHashMap<>();
    for (Row r : df.selectExpr(cols.toArray(String[]::new)).collectAsList()) {
      if (r.isNullAt(0) || r.isNullAt(1)) {
        continue;
      }
      double xv = ((Number) r.get(0)).doubleValue();
      double yv = ((Number) r.get(1)).doubleValue();
      if (!Double.isFinite(xv) || !Double.isFinite(yv) || (logX && xv <= 0) || (logY && yv <= 0)) {
        continue;
      }
      String name = seriesColumn == null ? y : seriesColumn + "=" + r.get(2);
      series.computeIfAbsent(name, k -> new ArrayList<>()).add(new double[] {xv, yv});
    }
    int drawn = 0;
    for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
      double[] xs = e.getValue().stream().mapToDouble(p -> p[0]).toArray();
      double[] ys = e.getValue().stream().mapToDouble(p -> p[1]).toArray();
      XYSeries s = chart.addSeries(e.getKey(), xs, ys);
      // Markers only where they can be told apart: a long curve is drawn as a plain line.
      s.setMarker(!line || xs.length <= MAX_MARKED_POINTS ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
      if (!line) {
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      }
      drawn += xs.length;
    }
    return drawn;
  }
}
