package io.github.overparam.spark.analysis;

import io.github.overparam.spark.report.ReportWriter;
import io.github.overparam.spark.sweep.TextTable;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** What {@code overparam analyze} (and the end of {@code overparam run}) prints. */
public final class AnalysisReport {
  private AnalysisReport() {}

  /** The fit of critical params against n and the gap table, when n varies. */
  static void printAnswer(MemorizationAnswer.Answer a, PrintWriter out) {
    if (!a.present()) {
      return;
    }
    out.println();
    for (MemorizationAnswer.Fit f : a.fits()) {
      out.printf("answer:       %s%s%n", a.fits().size() > 1 ? f.slice() + ": " : "", f.text());
    }
    List<List<String>> rows = new ArrayList<>();
    rows.add(a.header());
    rows.addAll(a.rows());
    int[] w = new int[a.header().size()];
    for (List<String> r : rows) {
      for (int i = 0; i < w.length; i++) {
        w[i] = Math.max(w[i], r.get(i).length());
      }
    }
    for (List<String> r : rows) {
      StringBuilder line = new StringBuilder("  ");
      for (int i = 0; i < w.length; i++) {
        line.append(String.format("%-" + w[i] + "s", r.get(i))).append(i + 1 < w.length ? " | " : "");
      }
      out.println(line.toString().stripTrailing());
    }
  }

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
    printAnswer(MemorizationAnswer.read(spark, t -> t), out);
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
