package io.github.overparam.spark.notebook;

import io.github.overparam.spark.analysis.NoRunsException;
import io.github.overparam.spark.analysis.SweepAnalysis;
import io.github.overparam.spark.sweep.SparkSessions;
import io.github.overparam.spark.sweep.SweepViews;
import io.github.overparam.spark.sweep.TextTable;
import java.io.File;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What a notebook needs first: a SparkSession and the sweep folder's tables registered as views
 * (through {@link SweepViews}, so only committed waves are read).
 *
 * <p>Where things come from, so that one notebook works on any sweep and any Spark:
 * <ul>
 *   <li>the sweep folder: {@value #SWEEP_ENV}, else {@code out/quickstart} under the working
 *       directory or its parent (the notebooks run in {@code notebooks/});
 *   <li>the master: {@value #MASTER_ENV} (e.g. {@code spark://host:7077}, {@code yarn}), else a
 *       {@code spark.master} system property, else {@code local[*]} ({@link SparkSessions#create});
 *       on a cluster the application jar holding this class is shipped to the executors
 *       ({@code spark.jars});
 *   <li>any other Spark setting: a {@code -Dspark.x=y} JVM option (SparkConf reads them), e.g. in
 *       {@code JDK_JAVA_OPTIONS} when Jupyter starts the kernel.
 * </ul>
 */
public final class Notebook {
  public static final String SWEEP_ENV = "OVERPARAM_SWEEP";
  public static final String MASTER_ENV = "OVERPARAM_SPARK_MASTER";
  private static final String DEFAULT_SWEEP = "out/quickstart";

  private final SparkSession spark;
  private final String sweep;
  private List<String> views;

  private Notebook(SparkSession spark, String sweep) {
    this.spark = spark;
    this.sweep = sweep;
    this.views = SweepViews.register(spark, sweep);
  }

  /** The session and views for the sweep folder and master named by the environment. */
  public static Notebook open() {
    return open(sweepFromEnvironment(System.getenv()), blankToNull(System.getenv(MASTER_ENV)));
  }

  /**
   * The session (created, or the running one reused) with master {@code master} (null: see the
   * class comment) and the tables of {@code sweepFolder} (any Hadoop path) registered as views.
   */
  public static Notebook open(String sweepFolder, String master) {
    if (master != null && !master.startsWith("local")) {
      String jar = applicationJar();
      if (jar != null && System.getProperty("spark.jars") == null) {
        System.setProperty("spark.jars", jar);
      }
    }
    SparkSession spark = SparkSessions.create(master, "overparam-notebook");
    Notebook nb = new Notebook(spark, sweepFolder);
    if (!nb.views.contains("runs")) {
      throw new IllegalArgumentException("no committed runs under " + sweepFolder + " (set " + SWEEP_ENV
          + " to a sweep folder written by 'overparam run', e.g. out/quickstart)");
    }
    return nb;
  }

  /** The sweep folder: {@value #SWEEP_ENV}, else the first {@code out/quickstart} found. */
  static String sweepFromEnvironment(Map<String, String> env) {
    String fromEnv = blankToNull(env.get(SWEEP_ENV));
    if (fromEnv != null) {
      return fromEnv;
    }
    for (String candidate : List.of(DEFAULT_SWEEP, "../" + DEFAULT_SWEEP)) {
      if (new File(candidate, "runs").isDirectory()) {
        return new File(candidate).getAbsolutePath();
      }
    }
    return DEFAULT_SWEEP;
  }

  public SparkSession spark() {
    return spark;
  }

  /** The sweep folder whose tables are registered. */
  public String sweep() {
    return sweep;
  }

  /** The views registered (a subset of runs, curves, datasets, critical, fits, verdicts). */
  public List<String> views() {
    return views;
  }

  public Dataset<Row> sql(String query) {
    return spark.sql(query);
  }

  /** The query's first {@code maxRows} rows as an aligned text table. */
  public String table(String query, int maxRows) {
    return TextTable.format(spark.sql(query), maxRows);
  }

  /** The query's first 50 rows as an aligned text table. */
  public String table(String query) {
    return table(query, 50);
  }

  /** The query's first {@code maxRows} rows as an HTML table, for {@code display("text/html", ...)}. */
  public String html(String query, int maxRows) {
    return HtmlTable.of(spark.sql(query), maxRows);
  }

  public String html(String query) {
    return html(query, 50);
  }

  /**
   * Makes sure the analysis tables (critical, fits, verdicts) exist: when the sweep was run with
   * {@code --no-analyze}, runs the analysis (which writes them into the sweep folder) and
   * registers them. Returns true when it ran the analysis.
   */
  public boolean ensureAnalysis() throws NoRunsException {
    if (views.contains("critical") && views.contains("fits") && views.contains("verdicts")) {
      return false;
    }
    new SweepAnalysis(spark, SweepAnalysis.DEFAULT_THRESHOLD).analyze(sweep);
    views = SweepViews.register(spark, sweep);
    return true;
  }

  /** One line: folder, master, Spark version, views. */
  @Override
  public String toString() {
    return "sweep " + sweep + " on " + spark.sparkContext().master() + " (Spark " + spark.version() + "), views: "
        + String.join(", ", views);
  }

  private static String applicationJar() {
    try {
      File f = new File(Notebook.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return f.isFile() ? f.getAbsolutePath() : null;
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      return null;
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
