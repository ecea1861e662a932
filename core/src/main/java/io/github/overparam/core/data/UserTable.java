package io.github.overparam.core.data;

import io.github.overparam.core.Names;
import io.github.overparam.core.SpecException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A user's table of numbers: feature rows and one label per row, as read from a file (the reading
 * is the caller's business; core knows no file format). Immutable and serializable, so that it can
 * be shipped to executors and found there by {@link #hash()} in {@link UserTables}.
 *
 * <p>The rows are kept in a canonical order (sorted by their features, then their label), so the
 * table's identity and every data set drawn from it depend only on its content, never on the order
 * of the rows in the file or on how a reader split the file into partitions. The {@link #hash()} is
 * SHA-256 over the column names and every number and label of the rows in that order.
 *
 * <p>Labels are kept both as numbers (when the label column is numeric) and as classes: the sorted
 * distinct values (numeric order for a numeric label, text order otherwise), when there are at most
 * {@value #MAX_CLASSES}.
 */
public final class UserTable implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The most rows a table may have (it is held in memory on the driver and on every executor). */
  public static final int MAX_ROWS = 200_000;
  /** The most feature columns. */
  public static final int MAX_FEATURES = 10_000;
  /** The most numbers (rows x features): 20 million doubles are 160 MB. */
  public static final long MAX_CELLS = 20_000_000L;
  /** The most distinct label values that still make classes. */
  public static final int MAX_CLASSES = 1_000;

  private final List<String> featureNames;
  private final String labelName;
  private final int rows;
  private final int columns;
  private final double[] x;
  private final double[] numericLabels;
  private final List<String> levels;
  private final int[] levelIndex;
  private final String hash;

  private UserTable(List<String> featureNames, String labelName, int rows, double[] x, double[] numericLabels,
      List<String> levels, int[] levelIndex, String hash) {
    this.featureNames = featureNames;
    this.labelName = labelName;
    this.rows = rows;
    this.columns = featureNames.size();
    this.x = x;
    this.numericLabels = numericLabels;
    this.levels = levels;
    this.levelIndex = levelIndex;
    this.hash = hash;
  }

  /**
   * A table from rows as read. Exactly one of {@code numericLabels} and {@code textLabels} is
   * given. The arrays are copied (in canonical row order).
   *
   * @param featureNames the feature columns, at least one, at most {@value #MAX_FEATURES}
   * @param labelName the label column
   * @param x rows x features, row-major; every value finite
   * @param numericLabels one finite number per row, or null
   * @param textLabels one non-null text per row, or null
   * @throws SpecException naming the config key ({@code data.features}, {@code data.label},
   *     {@code data.path}) when the table is empty, too large or holds a non-finite number
   */
  public static UserTable of(List<String> featureNames, String labelName, double[] x, double[] numericLabels,
      String[] textLabels) {
    List<String> names = List.copyOf(featureNames);
    int d = names.size();
    if (d < 1) {
      throw new SpecException("data.features", "[]", "a table needs at least one numeric feature column");
    }
    if (d > MAX_FEATURES) {
      throw new SpecException("data.features", d + " columns", "at most " + MAX_FEATURES
          + " feature columns are allowed");
    }
    if ((numericLabels == null) == (textLabels == null)) {
      throw new IllegalArgumentException("give exactly one of numeric and text labels");
    }
    int n = numericLabels != null ? numericLabels.length : textLabels.length;
    if ((long) n * d != x.length) {
      throw new IllegalArgumentException(x.length + " feature values for " + n + " rows of " + d + " columns");
    }
    if (n < 1) {
      throw new SpecException("data.path", "(empty table)", "the table has no rows");
    }
    checkSize(n, d);
    for (int i = 0; i < x.length; i++) {
      if (!Double.isFinite(x[i])) {
        throw new SpecException("data.features", names.get(i % d), "value " + x[i] + " in row "
            + (i / d + 1) + ": every feature must be a finite number");
      }
    }
    for (int i = 0; numericLabels != null && i < n; i++) {
      if (!Double.isFinite(numericLabels[i])) {
        throw new SpecException("data.label", labelName, "value " + numericLabels[i] + " in row "
            + (i + 1) + ": a numeric label must be a finite number");
      }
    }
    for (int i = 0; textLabels != null && i < n; i++) {
      if (textLabels[i] == null) {
        throw new SpecException("data.label", labelName, "row " + (i + 1)
            + " has no label (empty cell)");
      }
    }

    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Comparator<Integer> byFeatures = (a, b) -> {
      for (int j = 0; j < d; j++) {
        int c = Double.compare(x[a * d + j], x[b * d + j]);
        if (c != 0) {
          return c;
        }
      }
      return 0;
    };
    Comparator<Integer> byLabel = numericLabels != null
        ? (a, b) -> Double.compare(numericLabels[a], numericLabels[b])
        : (a, b) -> textLabels[a].compareTo(textLabels[b]);
    Arrays.sort(order, byFeatures.thenComparing(byLabel));

    double[] xs = new double[x.length];
    double[] ys = numericLabels == null ? null : new double[n];
    String[] ts = textLabels == null ? null : new String[n];
    for (int i = 0; i < n; i++) {
      int r = order[i];
      System.arraycopy(x, r * d, xs, i * d, d);
      if (ys != null) {
        ys[i] = numericLabels[r] == 0.0 ? 0.0 : numericLabels[r]; // -0.0 and 0.0 are one label
      } else {
        ts[i] = textLabels[r];
      }
    }

    // Classes: the sorted distinct values, when there are few enough.
    List<String> levels = null;
    int[] levelIndex = null;
    if (ys != null) {
      TreeSet<Double> distinct = new TreeSet<>();
      for (int i = 0; i < n && distinct.size() <= MAX_CLASSES; i++) {
        distinct.add(ys[i]);
      }
      if (distinct.size() <= MAX_CLASSES) {
        List<Double> values = new ArrayList<>(distinct);
        levels = values.stream().map(UserTable::text).toList();
        levelIndex = new int[n];
        for (int i = 0; i < n; i++) {
          levelIndex[i] = Collections.binarySearch(values, ys[i]);
        }
      }
    } else {
      TreeMap<String, Integer> distinct = new TreeMap<>();
      for (int i = 0; i < n && distinct.size() <= MAX_CLASSES; i++) {
        distinct.put(ts[i], 0);
      }
      if (distinct.size() <= MAX_CLASSES) {
        int k = 0;
        for (var e : distinct.entrySet()) {
          e.setValue(k++);
        }
        levels = List.copyOf(distinct.keySet());
        levelIndex = new int[n];
        for (int i = 0; i < n; i++) {
          levelIndex[i] = distinct.get(ts[i]);
        }
      }
    }
    String hash = hash(names, labelName, n, xs, ys, ts);
    return new UserTable(names, labelName, n, xs, ys, levels, levelIndex, hash);
  }

  /** Throws with the limit that {@code rows} x {@code columns} exceeds, if any. */
  public static void checkSize(long rows, long columns) {
    if (rows > MAX_ROWS || rows * columns > MAX_CELLS) {
      throw new SpecException("data.path", "(" + rows + " rows x " + columns + " features)", "too large to"
          + " hold on the driver and every executor; at most " + MAX_ROWS + " rows and " + MAX_CELLS
          + " numbers (rows x features) are allowed: sample the table or select fewer data.features");
    }
  }

  private static String hash(List<String> names, String label, int n, double[] x, double[] ys, String[] ts) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      ByteBuffer buf = ByteBuffer.allocate(8 * 1024);
      md.update("overparam-user-table-v1\0".getBytes(StandardCharsets.UTF_8));
      for (String name : names) {
        md.update(("feature\0" + name + "\0").getBytes(StandardCharsets.UTF_8));
      }
      md.update(("label\0" + label + "\0rows\0" + n + "\0").getBytes(StandardCharsets.UTF_8));
      for (double v : x) {
        if (!buf.hasRemaining()) {
          md.update(buf.array(), 0, buf.position());
          buf.clear();
        }
        buf.putDouble(v);
      }
      md.update(buf.array(), 0, buf.position());
      buf.clear();
      if (ys != null) {
        md.update("numeric-labels\0".getBytes(StandardCharsets.UTF_8));
        for (double v : ys) {
          if (!buf.hasRemaining()) {
            md.update(buf.array(), 0, buf.position());
            buf.clear();
          }
          buf.putDouble(v);
        }
        md.update(buf.array(), 0, buf.position());
      } else {
        md.update("text-labels\0".getBytes(StandardCharsets.UTF_8));
        for (String t : ts) {
          md.update((t + "\0").getBytes(StandardCharsets.UTF_8));
        }
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  /** A numeric label as text: integers without ".0". */
  static String text(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  /** SHA-256 (64 hex characters) of the column names and the rows in canonical order. */
  public String hash() {
    return hash;
  }

  public List<String> featureNames() {
    return featureNames;
  }

  public String labelName() {
    return labelName;
  }

  public int rows() {
    return rows;
  }

  /** Number of feature columns. */
  public int columns() {
    return columns;
  }

  /** Feature j of row i as read (canonical row order). */
  public double feature(int i, int j) {
    return x[i * columns + j];
  }

  /** Whether the label column is numeric. */
  public boolean numericLabels() {
    return numericLabels != null;
  }

  /** The numeric label of row i (the label column must be numeric). */
  public double numericLabel(int i) {
    return numericLabels[i];
  }

  /** The sorted distinct label values as text, or null when there are more than {@value #MAX_CLASSES}. */
  public List<String> levels() {
    return levels;
  }

  /** The class (index into {@link #levels()}) of row i. */
  public int classIndex(int i) {
    return levelIndex[i];
  }

  /**
   * The task when the config does not name one: binary when the label has exactly two distinct
   * values, classes when it is text, regression otherwise (a numeric label with more values).
   */
  public TableTask defaultTask() {
    if (levels != null && levels.size() == 2) {
      return TableTask.BINARY;
    }
    return numericLabels == null ? TableTask.CLASSES : TableTask.REGRESSION;
  }

  /** Throws, naming data.task, when this table's label cannot be learned as {@code task}. */
  public void checkTask(TableTask task) {
    String distinct = levels == null ? "more than " + MAX_CLASSES : Integer.toString(levels.size());
    switch (task) {
      case REGRESSION -> {
        if (numericLabels == null) {
          throw new SpecException("data.task", "regression", "the label column " + labelName
              + " is not numeric (its values are text); use binary or classes");
        }
      }
      case BINARY -> {
        if (levels == null || levels.size() != 2) {
          throw new SpecException("data.task", "binary", "the label column " + labelName + " has " + distinct
              + " distinct values, binary needs exactly 2");
        }
      }
      case CLASSES -> {
        if (levels == null || levels.size() < 2) {
          throw new SpecException("data.task", "classes", "the label column " + labelName + " has "
              + distinct + " distinct values, classes needs 2 to " + MAX_CLASSES);
        }
      }
      default -> throw new IllegalStateException(Names.of(task));
    }
  }

  /**
   * The feature rows after {@code normalization}, row-major rows x columns, a new array.
   *
   * @throws SpecException naming data.normalize when a row equals the column means (it
   *     has no direction on the sphere)
   */
  public double[] inputs(Normalization normalization) {
    double[] out = x.clone();
    if (normalization == Normalization.NONE) {
      return out;
    }
    double[] mean = new double[columns];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < columns; j++) {
        mean[j] += out[i * columns + j];
      }
    }
    for (int j = 0; j < columns; j++) {
      mean[j] /= rows;
    }
    int zero = 0;
    for (int i = 0; i < rows; i++) {
      double norm2 = 0;
      for (int j = 0; j < columns; j++) {
        double v = out[i * columns + j] - mean[j];
        out[i * columns + j] = v;
        norm2 += v * v;
      }
      if (norm2 == 0) {
        zero++;
        continue;
      }
      double scale = 1.0 / StrictMath.sqrt(norm2);
      for (int j = 0; j < columns; j++) {
        out[i * columns + j] *= scale;
      }
    }
    if (zero > 0) {
      throw new SpecException("data.normalize", "sphere", zero + " of " + rows + " rows equal the"
          + " column means, so after centering they have no direction on the unit sphere; remove them, choose other"
          + " data.features, or use normalize: none");
    }
    return out;
  }
}
