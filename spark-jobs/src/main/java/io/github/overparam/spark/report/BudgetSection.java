package io.github.overparam.spark.report;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.knowm.xchart.XYChart;

/**
 * The budget ladder ({@code critical/}: ladder_budgets, ladder_critical_widths, budget_limited):
 * each group's critical width against the step budget B/8 ... B, and which groups are
 * budget-limited (left out of the scaling fits). Also the per-group counts of runs stopped at
 * max_steps that were still descending or had stalled.
 */
final class BudgetSection {
  private final Report r;

  BudgetSection(Report r) {
    this.r = r;
  }

  void write() {
    if (!r.has("critical") || !r.hasColumn("critical", "budget_limited")) {
      return;
    }
    StringBuilder body = r.body;
    body.append("<h2>Critical width against the step budget</h2>\n");
    boolean trends = r.hasColumn("critical", "descending_runs");
    List<Row> rows = r.sql("SELECT group_key, ladder_budgets, ladder_critical_widths, budget_limited, budget_note, "
        + (trends ? "descending_runs, stalled_runs" : "NULL, NULL") + " FROM ${critical} ORDER BY n, group_key");
    long limited = rows.stream().filter(x -> !x.isNullAt(3) && x.getBoolean(3)).count();
    body.append("<p class=\"caption\">Each group's critical width when a run counts as a success only if it reached"
        + " the target within B/8, B/4, B/2 or B steps (B = max_steps). A group whose critical width is not reached"
        + " at B or B/2, or moves by more than one resolution step between B/2 and B, is budget-limited: its critical"
        + " width measures the budget, not the network, and the scaling fits leave it out. ").append(limited).append(
            " of ").append(rows.size()).append(rows.size() == 1 ? " group is" : " groups are").append(
                " budget-limited.</p>\n");
    XYChart chart = Charts.xy(Charts.WIDE, Charts.HEIGHT, "Critical width against the step budget",
        "step budget (steps)", "critical width m* (neurons)", true, true);
    int series = 0;
    List<List<String>> table = new ArrayList<>();
    for (Row row : rows) {
      List<Object> budgets = row.isNullAt(1) ? List.of() : row.getList(1);
      List<Object> widths = row.isNullAt(2) ? List.of() : row.getList(2);
      List<Double> x = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      List<String> cells = new ArrayList<>();
      for (int i = 0; i < budgets.size(); i++) {
        Object w = widths.get(i);
        cells.add(w == null ? "not reached" : Report.format(w));
        if (w != null) {
          x.add(((Number) budgets.get(i)).doubleValue());
          y.add(((Number) w).doubleValue());
        }
      }
      if (!x.isEmpty() && series < Report.MAX_SERIES) {
        Color c = Charts.categorical(series++);
        Charts.measured(chart, Report.str(row, 0), x, y, c);
      }
      List<String> line = new ArrayList<>();
      line.add(Report.str(row, 0));
      line.add(budgets.isEmpty() ? "" : Report.format(budgets.get(budgets.size() - 1)));
      line.add(String.join(", ", cells));
      line.add(row.isNullAt(3) ? "" : row.getBoolean(3) ? "budget-limited" : "stable");
      line.add(Report.str(row, 5));
      line.add(Report.str(row, 6));
      line.add(Report.str(row, 4));
      table.add(line);
    }
    if (series > 0) {
      body.append(r.figure("budget-ladder", chart, Charts.WIDE, Charts.HEIGHT,
          "critical width against the step budget, one series per group",
          "Critical width against the step budget (B/8, B/4, B/2, B) per group, log-log: a flat line from B/2 to B"
              + " is a property of the network; a line still falling at B is the budget's."));
    }
    body.append(Html.table(List.of("group", "B", "critical width at B/8, B/4, B/2, B", "budget", "max_steps runs"
        + " descending", "max_steps runs stalled", "reading"), table,
        new boolean[] {false, true, false, false, true, true, false}));
  }
}
