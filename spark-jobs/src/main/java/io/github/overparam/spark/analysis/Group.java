package io.github.overparam.spark.analysis;

import io.github.overparam.core.Names;
import io.github.overparam.core.model.Arch;
import io.github.overparam.core.model.Parameterization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A group of runs: every run sharing the values of {@link AnalysisTables#GROUP_COLUMNS}, so they
 * differ only in width and seed. Built on the driver from the per-(group, width) aggregates
 * ({@link RunGroups}).
 */
final class Group {
  /**
   * One run's observations, read by column name from runs/ ({@link RunGroups#OBS_COLUMNS}), in four
   * parts; the accessors below read through them.
   */
  record Obs(long seed, Result result, Motion motion, Speed speed, Heldout heldout) {
    /**
     * How the run ended. {@code diverged}: status diverged or failed; {@code endTrend}: for a run
     * stopped at max_steps, descending or stalled (null otherwise); {@code budget}: the run's own
     * max_steps (null: the group's).
     */
    record Result(boolean converged, boolean diverged, Integer steps, String endTrend, Integer budget) {}

    /**
     * How far the weights moved. {@code layerDist}: max over trained layers of the absolute
     * ||W_l - W_l(0)||_F.
     */
    record Motion(Double maxDist, Double relDist, Double layerDist, Double flip) {}

    /**
     * How fast the loss fell and what bounds it. {@code lr}: the run's own step size (also under an
     * lr rule); {@code kernel}: lambda_min of the infinite-width NTK of the architecture.
     */
    record Speed(Double rateMin, Double rateFit, Double lambda0, Double lr, Double kernel) {}

    /** Held-out loss and accuracy, and the gap to the frozen-gate surrogate. */
    record Heldout(Double testLoss, Double testAccuracy, Double surrogateGap) {}

    /** A run with only an outcome (the other parts empty), as the budget ladder needs. */
    static Obs outcome(long seed, boolean converged, boolean diverged, Integer steps, String endTrend, Integer budget) {
      return new Obs(seed, new Result(converged, diverged, steps, endTrend, budget), new Motion(null, null, null, null),
          new Speed(null, null, null, null, null), new Heldout(null, null, null));
    }

    boolean converged() {
      return result.converged();
    }

    boolean diverged() {
      return result.diverged();
    }

    Integer steps() {
      return result.steps();
    }

    Integer budget() {
      return result.budget();
    }

    String endTrend() {
      return result.endTrend();
    }

    Double maxDist() {
      return motion.maxDist();
    }

    Double relDist() {
      return motion.relDist();
    }

    Double layerDist() {
      return motion.layerDist();
    }

    Double flip() {
      return motion.flip();
    }

    Double rateMin() {
      return speed.rateMin();
    }

    Double rateFit() {
      return speed.rateFit();
    }

    Double lambda0() {
      return speed.lambda0();
    }

    Double lr() {
      return speed.lr();
    }

    Double kernel() {
      return speed.kernel();
    }

    Double testLoss() {
      return heldout.testLoss();
    }

    Double testAccuracy() {
      return heldout.testAccuracy();
    }

    Double surrogateGap() {
      return heldout.surrogateGap();
    }
  }

  /** The runs of a group at one width: counts, the mean trained-parameter count, the observations. */
  record Cell(int width, int runs, int converged, int diverged, Double params, List<Obs> obs,
      Map<Long, List<Obs>> bySeed) {}

  /** The group column values, in {@link AnalysisTables#GROUP_COLUMNS} order. */
  final List<Object> values;
  final TreeMap<Integer, Cell> cells = new TreeMap<>();
  double lambda0Sum;
  long lambda0Count;
  /** The group_key (set once every group of the sweep is known). */
  String key;

  Group(List<Object> values) {
    if (values.size() != AnalysisTables.GROUP_COLUMNS.size()) {
      throw new IllegalArgumentException("a group needs " + AnalysisTables.GROUP_COLUMNS.size() + " values, got "
          + values.size());
    }
    this.values = values;
  }

  Object value(String column) {
    int i = AnalysisTables.GROUP_COLUMNS.indexOf(column);
    if (i < 0) {
      throw new IllegalArgumentException("column = '" + column + "': not a group column; group columns: "
          + AnalysisTables.GROUP_COLUMNS);
    }
    return values.get(i);
  }

  double number(String column) {
    Object v = value(column);
    return v == null ? Double.NaN : ((Number) v).doubleValue();
  }

  boolean is(String column, Enum<?> value) {
    return Names.of(value).equals(value(column));
  }

  int[] widths() {
    return cells.keySet().stream().mapToInt(Integer::intValue).toArray();
  }

  /** The seeds with a run in any cell. */
  TreeSet<Long> seeds() {
    TreeSet<Long> out = new TreeSet<>();
    for (Cell c : cells.values()) {
      out.addAll(c.bySeed().keySet());
    }
    return out;
  }

  /** Per width (ascending), the observations of the given seeds (with repetition); all when null. */
  List<List<Obs>> sample(long[] seeds) {
    List<List<Obs>> out = new ArrayList<>();
    for (Cell c : cells.values()) {
      out.add(cellSample(c, seeds));
    }
    return out;
  }

  /** The observations of one cell for the given seeds (with repetition); all when null. */
  static List<Obs> cellSample(Cell c, long[] seeds) {
    if (seeds == null) {
      return c.obs();
    }
    List<Obs> list = new ArrayList<>();
    for (long s : seeds) {
      list.addAll(c.bySeed().getOrDefault(s, List.of()));
    }
    return list;
  }

  boolean isDuTwoLayer() {
    return is("model", Arch.TWO_LAYER) && is("parameterization", Parameterization.DU);
  }
}
