package io.github.overparam.spark.analysis;

import io.github.overparam.spark.report.ReportWriter;
import io.github.overparam.spark.sweep.TextTable;
import java.io.PrintWriter;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** What {@code overparam analyze} (and the end of {@code overparam run}) prints. */
public final class AnalysisReport {
  private AnalysisReport() {}

  /**
   * Runs the analysis of {@code dir}, prints the verdicts and where the tables are, and writes the
   * HTML report ({@code DIR/report/index.html}) last, so its path is the last line printed.
   */
  public static SweepAnalysis.Result analyzeAndPrint(SparkSession spark, String dir, double threshold,
      PrintWriter out) throws NoRunsException {
    SweepAnalysis.Result r = new SweepAnalysis(spark, threshold).analyze(dir);
    out.println();
    out.printf("analysis:     %d groups, %d fits, %d verdicts (threshold %s)%n", r.groups(), r.fits(), r.verdicts(),
        threshold);
    out.printf("tables:       %s/{critical,fits,verdicts}  (views: %s)%n", r.folder(), String.join(", ", r.views()));
    out.println();
    out.print(TextTable.format(spark.sql("SELECT claim, holds, measured FROM verdicts"), 100));
    out.println();
    for (Row v : spark.sql("SELECT claim, scope, measured, evidence FROM verdicts").collectAsList()) {
      out.printf("%s: %s%n    scope: %s%n    evidence: %s%n", v.getString(0), v.getString(2), v.getString(1),
          v.getString(3));
    }
    if (!r.outOfScope().isEmpty()) {
      out.println();
      out.println("claims this sweep cannot speak to, and why:");
      r.outOfScope().forEach((claim, why) -> out.printf("  %s: %s%n", claim, why));
    }
    out.println();
    out.printf("report:       %s%n", ReportWriter.write(spark, dir));
    out.flush();
    return r;
  }
}
