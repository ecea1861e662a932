package io.github.overparam.spark.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.VectorGraphicsEncoder.VectorGraphicsFormat;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler.ChartTheme;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * XChart figures of the report with one house style (white background, light grid, fonts readable
 * at 100% zoom on a laptop), encoded as PNG. Charts are drawn off-screen: AWT runs headless.
 */
final class Charts {
  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private Charts() {}

  static final int WIDE = 960;
  static final int HEIGHT = 540;
  static final int SMALL_WIDTH = 640;
  static final int SMALL_HEIGHT = 440;

  /** Categorical colors (Tableau 10), for series that are not ordered. */
  static final Color[] CATEGORICAL = {
      new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd), new Color(0xff7f0e),
      new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf), new Color(0xbcbd22), new Color(0x7f7f7f),
  };

  /** Viridis stops, for ordered series (width, n): dark = small, yellow-green = large. */
  private static final Color[] VIRIDIS = {
      new Color(0x440154), new Color(0x482878), new Color(0x3e4a89), new Color(0x31688e), new Color(0x26828e),
      new Color(0x1f9e89), new Color(0x35b779), new Color(0x6ece58), new Color(0xb5de2b), new Color(0xd8c81f),
  };

  static final Color REFERENCE = new Color(0x888888);

  /** The {@code i}-th of {@code count} colors along the viridis ramp (stops at yellow-green, readable on white). */
  static Color ordered(int i, int count) {
    double t = count <= 1 ? 0 : (double) i / (count - 1);
    double pos = t * (VIRIDIS.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, VIRIDIS.length - 1);
    double f = pos - lo;
    Color a = VIRIDIS[lo];
    Color b = VIRIDIS[hi];
    return new Color((int) Math.round(a.getRed() + f * (b.getRed() - a.getRed())),
        (int) Math.round(a.getGreen() + f * (b.getGreen() - a.getGreen())),
        (int) Math.round(a.getBlue() + f * (b.getBlue() - a.getBlue())));
  }

  static Color categorical(int i) {
    return CATEGORICAL[i % CATEGORICAL.length];
  }

  /** An XY chart in the house style; log axes as asked. */
  static XYChart xy(int width, int height, String title, String xTitle, String yTitle, boolean logX, boolean logY) {
    XYChart chart = new XYChart(width, height);
    chart.setTitle(title);
    chart.setXAxisTitle(xTitle);
    chart.setYAxisTitle(yTitle);
    AxesChartStyler s = chart.getStyler();
    style(s);
    chart.getStyler().setLegendPosition(LegendPosition.OutsideE);
    chart.getStyler().setMarkerSize(8);
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Line);
    s.setXAxisLogarithmic(logX);
    s.setYAxisLogarithmic(logY);
    // A formatting function switches XChart to a linear tick calculator, so log axes keep their own.
    if (!logX) {
      s.setxAxisTickLabelsFormattingFunction(Charts::tick);
    }
    if (!logY) {
      s.setyAxisTickLabelsFormattingFunction(Charts::tick);
    }
    return chart;
  }

  private static void style(AxesChartStyler s) {
    s.setChartBackgroundColor(Color.WHITE);
    s.setPlotBackgroundColor(Color.WHITE);
    s.setPlotBorderColor(new Color(0xbbbbbb));
    s.setPlotGridLinesColor(new Color(0xe3e3e3));
    s.setPlotGridLinesStroke(new BasicStroke(1f));
    s.setChartTitleBoxVisible(false);
    s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 17));
    s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
    s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    s.setLegendBorderColor(new Color(0xdddddd));
    s.setChartPadding(12);
    s.setAntiAlias(true);
    s.setLocale(Locale.ROOT);
  }

  /** A measured series: markers joined by a line. */
  static XYSeries measured(XYChart chart, String name, List<Double> x, List<Double> y, Color color) {
    XYSeries s = chart.addSeries(name, x, y);
    s.setLineColor(color);
    s.setMarkerColor(color);
    s.setMarker(SeriesMarkers.CIRCLE);
    s.setLineStyle(new BasicStroke(2f));
    return s;
  }

  /** A curve without markers (fits, medians over many steps). */
  static XYSeries line(XYChart chart, String name, List<Double> x, List<Double> y, Color color, float width) {
    XYSeries s = chart.addSeries(name, x, y);
    s.setLineColor(color);
    s.setMarker(SeriesMarkers.NONE);
    s.setLineStyle(new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    return s;
  }

  /** A dashed guide (a reference power law, a target). */
  static XYSeries reference(XYChart chart, String name, List<Double> x, List<Double> y, Color color) {
    XYSeries s = chart.addSeries(name, x, y);
    s.setLineColor(color);
    s.setMarker(SeriesMarkers.NONE);
    s.setLineStyle(SeriesLines.DASH_DASH);
    return s;
  }

  /** Points of c * x^slope over [x0, x1] through (anchorX, anchorY), log-spaced. */
  static List<Double>[] powerLaw(double anchorX, double anchorY, double slope, double x0, double x1) {
    return powerLawFrom(anchorY / Math.pow(anchorX, slope), slope, x0, x1);
  }

  /** Points of prefactor * x^exponent over [x0, x1], log-spaced. */
  @SuppressWarnings("unchecked")
  static List<Double>[] powerLawFrom(double prefactor, double exponent, double x0, double x1) {
    int k = 24;
    List<Double> xs = new ArrayList<>(k);
    List<Double> ys = new ArrayList<>(k);
    for (int i = 0; i < k; i++) {
      double x = x0 * Math.pow(x1 / x0, (double) i / (k - 1));
      xs.add(x);
      ys.add(prefactor * Math.pow(x, exponent));
    }
    return new List[] {xs, ys};
  }

  /**
   * A heat map of {@code values[yi][xi]} (null cells left blank) on categorical axes, colored from
   * {@code min} to {@code max} along a light diverging ramp on which black cell labels stay readable.
   */
  static HeatMapChart heatMap(int width, int height, String title, String xTitle, String yTitle, List<?> xs,
      List<?> ys, Double[][] values, double min, double max) {
    // The (width, height) constructor leaves the styler uninitialised in 3.8.8; a theme initializes it.
    HeatMapChart chart = new HeatMapChart(width, height, ChartTheme.XChart);
    chart.setTitle(title);
    chart.setXAxisTitle(xTitle);
    chart.setYAxisTitle(yTitle);
    style(chart.getStyler());
    List<Number[]> cells = new ArrayList<>();
    for (int yi = 0; yi < ys.size(); yi++) {
      for (int xi = 0; xi < xs.size(); xi++) {
        if (values[yi][xi] != null) {
          cells.add(new Number[] {xi, yi, values[yi][xi]});
        }
      }
    }
    chart.addSeries("success rate", xs, ys, cells);
    chart.getStyler().setRangeColors(new Color[] {new Color(0xd6604d), new Color(0xf4a582), new Color(0xf7f7f7),
        new Color(0x92c5de), new Color(0x4393c3)});
    chart.getStyler().setMin(min);
    chart.getStyler().setMax(max);
    chart.getStyler().setShowValue(true);
    chart.getStyler().setValueFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    chart.getStyler().setValueFontColor(Color.BLACK);
    chart.getStyler().setHeatMapValueDecimalPattern("0.00");
    chart.getStyler().setDrawBorder(true);
    chart.getStyler().setLegendPosition(LegendPosition.OutsideE);
    chart.getStyler().setPlotContentSize(1.0);
    return chart;
  }

  static byte[] png(Chart<?, ?> chart) {
    try {
      return BitmapEncoder.getBitmapBytes(chart, BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The chart as SVG, for papers: the same drawing as {@link #png}, in vectors. */
  static byte[] svg(Chart<?, ?> chart) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsFormat.SVG);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Tick labels without trailing zeros: 4, 1024, 0.5, 1e-05. */
  static String tick(Double v) {
    return number(v);
  }

  static String number(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return String.valueOf(v);
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e7) {
      return String.valueOf((long) v);
    }
    double a = Math.abs(v);
    if (a >= 1e-3 && a < 1e7) {
      String s = String.format(Locale.ROOT, "%.4g", v);
      if (s.contains(".") && !s.contains("e")) {
        s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
      }
      return s;
    }
    String[] parts = String.format(Locale.ROOT, "%.3e", v).split("e");
    String mantissa = parts[0].replaceAll("0+$", "").replaceAll("\\.$", "");
    return mantissa + "e" + Integer.parseInt(parts[1]);
  }
}
