package io.github.overparam.spark.notebook;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;

/** The notebook helpers that need no Spark (the notebooks themselves run in CI: scripts/notebooks.sh). */
class NotebookHelpersTest {
  @Test
  void sweepFolderComesFromTheEnvironmentWhenSet() {
    assertEquals("hdfs:///sweeps/du", Notebook.sweepFromEnvironment(Map.of(Notebook.SWEEP_ENV, " hdfs:///sweeps/du ")));
  }

  @Test
  void blankSweepVariableFallsBackToTheDefault() {
    // The working directory of the test (spark-jobs/) has no out/quickstart/runs: the plain default.
    assertEquals("out/quickstart", Notebook.sweepFromEnvironment(Map.of(Notebook.SWEEP_ENV, "  ")));
  }

  @Test
  void htmlCellsAreEscapedAndNumbersShort() {
    assertEquals("a &lt;b&gt; &amp; &quot;c&quot;", HtmlTable.escape("a <b> & \"c\""));
    assertEquals("3.0", HtmlTable.cell(3.0));
    assertEquals("0.1235", HtmlTable.cell(0.123456));
    assertEquals("null", HtmlTable.cell(null));
  }

  @Test
  void powerLawIsSampledOnALogGridBetweenItsEnds() {
    double[][] line = Plot.powerLaw(2.0, 0.5, 1.0, 100.0);
    assertEquals(1.0, line[0][0], 1e-12);
    assertEquals(100.0, line[0][line[0].length - 1], 1e-9);
    // y = 2 sqrt(x) at both ends; exact up to rounding (1e-9 relative).
    assertArrayEquals(new double[] {2.0, 20.0}, new double[] {line[1][0], line[1][line[1].length - 1]}, 1e-8);
  }

  @Test
  void chartRendersToAnImageOfTheConfiguredSize() {
    XYChart chart = Plot.xy("t", "x", "y", true, true);
    double[][] line = Plot.powerLaw(1.0, -0.5, 4, 1024);
    Plot.reference(chart, "m^-1/2", line[0], line[1]);
    BufferedImage image = Plot.image(chart);
    assertEquals(Plot.WIDTH, image.getWidth());
    assertEquals(Plot.HEIGHT, image.getHeight());
  }
}
