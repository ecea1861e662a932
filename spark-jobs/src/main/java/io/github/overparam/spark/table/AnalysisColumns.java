package io.github.overparam.spark.table;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;

import java.util.List;

/**
 * The columns of the analysis' tables ({@code critical/}, {@code fits/}, {@code verdicts/}). Their
 * rows are built by the analysis; these declarations give their schema and meaning.
 */
final class AnalysisColumns {
  private AnalysisColumns() {}

  /** critical/: one row per group, then the group's columns as in runs/. */
  // @formatter:off
  static final List<TableColumn<Object>> CRITICAL = new ColumnList<>()
      .id("group_key", StringType, "the group: its values of the columns that vary between groups", null)
      .metric("widths", createArrayType(IntegerType, false), "neurons", "the widths run in this group, ascending", null)
      .metric("success_rates", createArrayType(DoubleType, false), "", "share of runs that converged, per width", null)
      .metric("runs_per_width", createArrayType(IntegerType, false), "", "runs per width", null)
      .metric("threshold", DoubleType, "", "success rate that defines the critical width", null)
      .metric("critical_width", DoubleType, "neurons",
          "smallest width whose success rate reaches the threshold (geometric interpolation between the bracketing "
          + "widths)", null)
      .metric("critical_width_status", StringType, "",
          "bracketed (two widths bracket the threshold), below_grid (the smallest width already reaches it: an "
          + "upper bound) or not_reached (no width does)", null)
      .metric("critical_params", DoubleType, "weights", "trained parameters at the critical width", null)
      .metric("seed_critical_widths", createArrayType(DoubleType, true), "neurons", "each seed's own critical width",
          null)
      .metric("ladder_budgets", createArrayType(IntegerType, false), "steps",
          "the budget ladder's step budgets: B/8, B/4, B/2 and B (B = max_steps)", null)
      .metric("ladder_critical_widths", createArrayType(DoubleType, true), "neurons",
          "the critical width at each ladder budget, counting a run as a success only if its steps_to_target is "
          + "within that budget (null: not reached)", null)
      .metric("budget_limited", BooleanType, "",
          "true when the critical width is not reached at B or B/2, or moves by more than one resolution step (the "
          + "ratio of the widths bracketing it) between B/2 and B: then it measures the step budget, and scaling "
          + "fits leave the group out", null)
      .metric("budget_note", StringType, "",
          "the ladder's reading: the critical widths at B/2 and B and why the group is or is not budget-limited", null)
      .metric("descending_runs", IntegerType, "runs",
          "runs stopped at max_steps that were still descending geometrically (runs.end_trend = descending): the "
          + "budget, not the network, stopped them", null)
      .metric("stalled_runs", IntegerType, "runs",
          "runs stopped at max_steps that had stalled (runs.end_trend = stalled)", null)
      .metric("lambda0_mean", DoubleType, "", "mean lambda_0 of H^inf over the group's data sets", null)
      .addAll(Tables.groupColumns().stream().map(c -> c.<Object>retarget(null)).toList())
      .build();
  // @formatter:on

  // @formatter:off
  static final List<TableColumn<Object>> FITS = new ColumnList<>()
      .id("quantity", StringType, "what was fitted (e.g. critical_width, max_neuron_distance)", null)
      .id("against", StringType, "the variable it was fitted against (n, width, depth)", null)
      .id("group_key", StringType, "the series: the values of the other varying columns", null)
      .metric("exponent", DoubleType, "", "beta of quantity ~ prefactor * against^beta (least squares in log-log)",
          null)
      .metric("ci_low", DoubleType, "", "lower end of the exponent's 95% bootstrap interval", null)
      .metric("ci_high", DoubleType, "", "upper end of the exponent's 95% bootstrap interval", null)
      .metric("prefactor", DoubleType, "", "the fitted prefactor", null)
      .metric("r2", DoubleType, "", "coefficient of determination in log-log", null)
      .metric("points", IntegerType, "", "x-values in the fit", null)
      .metric("note", StringType, "", "why a fit is missing or how it was restricted", null)
      .build();
  // @formatter:on

  // @formatter:off
  static final List<TableColumn<Object>> VERDICTS = new ColumnList<>()
      .id("claim", StringType, "the claim's id in the claims registry", null)
      .metric("paper", StringType, "", "the paper that states it", null)
      .required()
      .metric("statement", StringType, "", "the claim in the paper's terms", null)
      .required()
      .metric("scope", StringType, "",
          "the setting and range the claim was tested on: n, d, hidden layers L, model and parameterization, "
          + "optimizer and lr, loss, the widths read and the seeds", null)
      .metric("measured", StringType, "", "what the sweep measured, in one line", null)
      .metric("holds", StringType, "",
          "true, false or inconclusive (a sweep that does not meet a claim's assumptions gets no row for it)", null)
      .required()
      .metric("evidence", StringType, "", "the rule applied and the numbers behind the verdict", null)
      .build();
  // @formatter:on
}
