package io.github.overparam.spark.cli;

import io.github.overparam.spark.analysis.AnalysisReport;
import io.github.overparam.spark.analysis.NoRunsException;
import io.github.overparam.spark.analysis.SweepAnalysis;
import io.github.overparam.spark.config.SweepConfig;
import io.github.overparam.spark.sweep.FolderLease;
import io.github.overparam.spark.sweep.MemoryGuard;
import io.github.overparam.spark.sweep.SweepException;
import io.github.overparam.spark.sweep.SweepRunner;
import io.github.overparam.spark.sweep.SweepSummary;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, description = "Run a sweep: every run of the config's grid on Spark, written to <out>/<sweep>/ as Parquet"
    + " tables (runs, curves, datasets) with sweep.yaml and manifest.json.")
final class RunCommand implements Callable<Integer> {
  @Mixin
  ConfigInput config = new ConfigInput();

  @Option(names = "--out", paramLabel = "DIR", description = "Output root, any Hadoop path (default: ${DEFAULT-VALUE}).")
  String out = "out";

  @Option(names = "--master", description = "Spark master URL (default: spark-submit's, else local[*]).")
  String master;

  @Option(names = "--resume", description = "Finish a sweep whose folder exists: runs already written are kept.")
  boolean resume;

  @Option(names = "--stop-after-waves", paramLabel = "K", description = "Stop after K waves (finish later with"
      + " --resume).")
  int stopAfterWaves;

  @Option(names = "--progress-seconds", description = "Seconds between progress lines (default ${DEFAULT-VALUE}).")
  int progressSeconds = 10;

  @Option(names = "--no-analyze", description = "Skip the analysis (critical, fits, verdicts) after the sweep.")
  boolean noAnalyze;

  @Option(names = "--compact", description = "When the sweep is complete, rewrite its waves into the partitioned"
      + " layout (runs/ and curves/ partitioned by group, files of about 128 MB), as overparam compact does.")
  boolean compact;

  @Option(names = "--warm-up", description = "Warm the JIT up on each executor before the first run of each small"
      + " shape, so that run times in runs/ (wall_ms) are the code's steady state; the warm-up's time is in"
      + " warmup_ms. A sweep takes longer with it: the compiler's work is the same, plus the throwaway runs.")
  boolean warmUp;

  @Option(names = "--threshold", description = "Success rate that defines the critical width in the analysis"
      + " (default ${DEFAULT-VALUE}).")
  double threshold = SweepAnalysis.DEFAULT_THRESHOLD;

  @Option(names = "--max-run-memory", paramLabel = "SIZE", description = "Memory one run may use (e.g. 6g), or"
      + " off; runs estimated above it are refused before the sweep starts (default: the executor's heap, the"
      + " driver's in local mode, less Spark's reserve, over the tasks that share it).")
  String maxRunMemory;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter outWriter = spec.commandLine().getOut();
    if (!(threshold > 0 && threshold <= 1)) {
      err.println("error: --threshold must be in (0, 1], got " + threshold);
      return Main.BAD_INPUT;
    }
    try (LazySession session = new LazySession(master, "overparam run")) {
      return run(session, err, outWriter);
    }
  }

  private int run(LazySession session, PrintWriter err, PrintWriter outWriter) {
    SweepConfig c = config.load(err, session);
    if (c == null) {
      return Main.BAD_INPUT;
    }
    String tooLarge;
    try {
      MemoryGuard.Budget budget = MemoryGuard.budget(new SparkConf(true), master, maxRunMemory,
          Runtime.getRuntime().maxMemory(), Runtime.getRuntime().availableProcessors());
      tooLarge = c.search() == null ? MemoryGuard.refusal(c::forEachPoint, budget, "model.width")
          : MemoryGuard.refusal(c.runs().stream().map(t -> c.atWidth().apply(t, c.search().maxWidth())).toList(),
              budget, "search.max_width");
    } catch (NumberFormatException e) {
      err.println("error: --max-run-memory must be a size such as 512m or 6g, or off: " + e.getMessage());
      return Main.BAD_INPUT;
    }
    if (tooLarge != null) {
      err.println(tooLarge);
      return Main.BAD_INPUT;
    }
    SparkSession spark = session.named("overparam " + c.sweep()).get();
    try {
      PrintStream console = new PrintStream(new WriterOutputStream(outWriter), true, StandardCharsets.UTF_8);
      SweepRunner.Outcome outcome = new SweepRunner(spark, console, Duration.ofSeconds(progressSeconds)).compact(
          compact).warmUp(warmUp).run(c, out, resume, stopAfterWaves);
      SweepSummary.print(spark, outcome, c.axes(), console);
      console.flush();
      if (!noAnalyze) {
        try {
          AnalysisReport.analyzeAndPrint(spark, outcome.folder(), threshold, outWriter);
        } catch (NoRunsException e) {
          outWriter.println("analysis skipped: " + e.getMessage());
        }
      }
      return Main.OK;
    } catch (FolderLease.BusyException e) {
      err.println("error: " + e.getMessage());
      return Main.BAD_INPUT;
    } catch (SweepException e) {
      err.println("error: " + e.getMessage());
      return Main.FAILED;
    }
  }

  /** Bridges picocli's writer to the PrintStream the runner reports on. */
  private static final class WriterOutputStream extends OutputStream {
    private final PrintWriter writer;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    WriterOutputStream(PrintWriter writer) {
      this.writer = writer;
    }

    @Override
    public void write(int b) {
      line.write(b);
      if (b == '\n') {
        flush();
      }
    }

    @Override
    public void flush() {
      writer.print(line.toString(StandardCharsets.UTF_8));
      writer.flush();
      line.reset();
    }
  }
}
