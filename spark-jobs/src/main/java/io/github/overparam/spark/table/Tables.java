package io.github.overparam.spark.table;

import io.github.overparam.core.data.DataSpec;
import io.github.overparam.core.run.Curve;
import io.github.overparam.core.run.DatasetSummary;
import io.github.overparam.core.run.RunResult;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/** Rows built from the column declarations, and the column lists other parts derive from them. */
public final class Tables {
  private Tables() {}

  /** The runs/ row of a run. */
  public static Row runRow(RunRecord run) {
    return row(RunsColumns.COLUMNS, run);
  }

  /** The curves/ rows of a run. */
  public static List<Row> curveRows(RunResult r) {
    Curve c = r.curve();
    Curve s = r.surrogate() == null ? null : r.surrogate().curve();
    List<Row> rows = new ArrayList<>(c.size());
    for (int i = 0; i < c.size(); i++) {
      rows.add(row(SweepColumns.CURVES, new CurvePoint(r.runId(), c, s, i)));
    }
    return rows;
  }

  /** The datasets/ row of a data set. */
  public static Row datasetRow(DataSpec spec, DatasetSummary summary) {
    return row(SweepColumns.DATASETS, new DatasetRecord(spec, summary));
  }

  private static <S> Row row(List<TableColumn<S>> columns, S source) {
    Object[] values = new Object[columns.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = columns.get(i).value().apply(source);
    }
    return RowFactory.create(values);
  }

  /**
   * The runs/ columns that define a group (everything but width and seed that changes how a net is
   * trained): runs that agree on all of them differ only in width and seed.
   */
  public static List<TableColumn<RunRecord>> groupColumns() {
    return RunsColumns.COLUMNS.stream().filter(c -> c.grouping() == Grouping.GROUP
        || c.grouping() == Grouping.GROUP_DERIVABLE).toList();
  }

  /** The names of {@link #groupColumns()}, in table order. */
  public static List<String> groupColumnNames() {
    return groupColumns().stream().map(TableColumn::name).toList();
  }

  /** The group columns a config may give relative to n, depth or width, or that follow from another. */
  public static List<String> derivableColumnNames() {
    return groupColumns().stream().filter(c -> c.grouping() == Grouping.GROUP_DERIVABLE).map(
        TableColumn::name).toList();
  }

  /** Columns whose values differ between identical runs: left out when sweeps are compared. */
  public static List<String> nondeterministicColumns() {
    List<String> out = new ArrayList<>();
    for (TableColumn<?> c : Table.RUNS.columns()) {
      if (c.role() == Role.PROVENANCE) {
        out.add(c.name());
      }
    }
    out.add(Table.WAVE);
    return List.copyOf(out);
  }
}
