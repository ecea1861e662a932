package io.github.overparam.spark.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.sql.Row;

/**
 * runs/ counted per cell of the grid: (n, width, the facet candidates, status, target) and the
 * number of runs in each, from one aggregate query. The header, the facets, the grid line, the
 * status counts, the success heat map and the loss-curve panels all come from these rows, so a
 * report reads runs/ a few times rather than once per section; the rows number at most the grid's
 * cells times its statuses, never its seeds.
 */
final class RunCells {
  /** One cell: its axis values (in {@link #columns} order) and each candidate's value as SQL prints it. */
  record Cell(List<Object> values, List<String> texts, String status, String targetKind, Double targetValue,
      long runs) {}

  /** The axis columns present in runs/: n and width (when present), then the facet candidates. */
  final List<String> columns;
  /** Of {@link #columns}, the facet candidates (every column but n and width). */
  final List<String> candidates;
  final List<Cell> cells;

  private RunCells(List<String> columns, List<String> candidates, List<Cell> cells) {
    this.columns = columns;
    this.candidates = candidates;
    this.cells = cells;
  }

  /** Counts the runs of {@code r}'s runs/ view per cell (one Spark query). */
  static RunCells read(Report r, List<String> axes, List<String> facetCandidates) {
    List<String> columns = axes.stream().filter(c -> r.hasColumn("runs", c)).toList();
    List<String> candidates = columns.stream().filter(facetCandidates::contains).toList();
    List<String> select = new ArrayList<>(columns);
    // A candidate's text is the facet label's value: SQL's own cast, so labels built here equal the
    // facet expression the other sections group by.
    for (String c : candidates) {
      select.add("coalesce(cast(" + c + " AS STRING), '-')");
    }
    String target = (r.hasColumn("runs", "target_kind") ? "target_kind" : "CAST(NULL AS STRING)") + ", "
        + (r.hasColumn("runs", "target_value") ? "target_value" : "CAST(NULL AS DOUBLE)");
    int keys = select.size() + 3;
    String groupBy = IntStream.rangeClosed(1, keys).mapToObj(String::valueOf).collect(
        Collectors.joining(", "));
    List<Row> rows = r.sql("SELECT " + String.join(", ", select) + (select.isEmpty() ? "" : ", ") + "status, "
        + target + ", count(*) FROM ${runs} GROUP BY " + groupBy);
    List<Cell> cells = new ArrayList<>();
    int k = columns.size();
    for (Row row : rows) {
      List<Object> values = new ArrayList<>();
      for (int i = 0; i < k; i++) {
        values.add(row.get(i));
      }
      List<String> texts = new ArrayList<>();
      for (int i = 0; i < candidates.size(); i++) {
        texts.add(row.getString(k + i));
      }
      int s = k + candidates.size();
      cells.add(new Cell(values, texts, row.isNullAt(s) ? null : row.getString(s), row.isNullAt(s + 1) ? null
          : row.getString(s + 1), row.isNullAt(s + 2) ? null : row.getDouble(s + 2), row.getLong(s + 3)));
    }
    return new RunCells(columns, candidates, cells);
  }

  /** The facet candidates that take more than one value (a missing value counts as one). */
  List<String> varying() {
    return Report.varying(candidates, cells.stream().map(Cell::texts).toList());
  }

  /** A cell's facet label over {@code facets}, as {@link Report#facetExpr} prints it ("depth=2, lr=0.5"). */
  String label(Cell c, List<String> facets) {
    return facets.stream().map(f -> f + "=" + c.texts().get(candidates.indexOf(f))).collect(Collectors.joining(", "));
  }

  /** Each axis column's distinct values, sorted, without nulls (what {@code array_sort(collect_set(c))} gives). */
  Map<String, List<Object>> axisValues() {
    Map<String, List<Object>> out = new LinkedHashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      TreeSet<Object> values = new TreeSet<>(RunCells::compare);
      for (Cell c : cells) {
        if (c.values().get(i) != null) {
          values.add(c.values().get(i));
        }
      }
      out.put(columns.get(i), new ArrayList<>(values));
    }
    return out;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compare(Object a, Object b) {
    return ((Comparable) a).compareTo(b);
  }

  /** Runs per status, most frequent first (ties by name). */
  List<Map.Entry<String, Long>> statuses() {
    Map<String, Long> counts = new TreeMap<>(Comparator.nullsFirst(Comparator.naturalOrder()));
    for (Cell c : cells) {
      counts.merge(c.status(), c.runs(), Long::sum);
    }
    List<Map.Entry<String, Long>> out = new ArrayList<>(counts.entrySet());
    out.sort(Map.Entry.<String, Long>comparingByValue().reversed());
    return out;
  }

  /** An axis value of a cell as an int (n, width), or null. */
  Integer intValue(Cell c, String column) {
    int i = columns.indexOf(column);
    return i < 0 || c.values().get(i) == null ? null : ((Number) c.values().get(i)).intValue();
  }

  /** Per facet label, per (n, width) with both present: {converged runs, runs}, ordered by label, n, width. */
  Map<String, Map<List<Integer>, long[]>> success(List<String> facets, String converged) {
    Map<String, Map<List<Integer>, long[]>> out = new TreeMap<>();
    for (Cell c : cells) {
      Integer n = intValue(c, "n");
      Integer width = intValue(c, "width");
      if (n == null || width == null) {
        continue;
      }
      long[] counts = out.computeIfAbsent(label(c, facets), x -> new TreeMap<>(RunCells::compareLists)).computeIfAbsent(
          List.of(n, width), x -> new long[2]);
      counts[0] += Objects.equals(converged, c.status()) ? c.runs() : 0;
      counts[1] += c.runs();
    }
    return out;
  }

  private static int compareLists(List<Integer> a, List<Integer> b) {
    int c = Integer.compare(a.get(0), b.get(0));
    return c != 0 ? c : Integer.compare(a.get(1), b.get(1));
  }

  /** Per facet label, its sample sizes n in increasing order (runs without n left out). */
  Map<String, TreeSet<Integer>> sampleSizes(List<String> facets) {
    Map<String, TreeSet<Integer>> out = new TreeMap<>();
    for (Cell c : cells) {
      Integer n = intValue(c, "n");
      if (n != null) {
        out.computeIfAbsent(label(c, facets), x -> new TreeSet<>()).add(n);
      }
    }
    return out;
  }

  /** The relative target every run shares, or null when runs differ in their target or it is not relative. */
  Double sharedRelativeTarget() {
    Set<String> kinds = new HashSet<>();
    Set<Double> values = new HashSet<>();
    for (Cell c : cells) {
      if (c.targetKind() != null) {
        kinds.add(c.targetKind());
      }
      if (c.targetValue() != null) {
        values.add(c.targetValue());
      }
    }
    return kinds.equals(Set.of("relative")) && values.size() == 1 ? values.iterator().next() : null;
  }
}
