package io.github.overparam.core.data;

import io.github.overparam.core.random.Rng;
import io.github.overparam.core.random.Seeds;
import org.ejml.data.DMatrixRMaj;

/**
 * Generates data sets from (seed, spec), deterministically.
 *
 * <p>Inputs come from a stream that depends on the seed, the source, d and the input map but not on
 * n: the first n points of a larger data set are the points of the smaller one, so a sweep over n
 * compares nested data sets. Test points come from a separate stream, so adding a test set does not
 * move the training points.
 */
public final class Datasets {
  private Datasets() {}

  /** A short stable id for (seed, spec). */
  public static String id(long seed, DataSpec spec) {
    return Seeds.hexId(16, "dataset", Long.toString(seed), spec.canonical());
  }

  /** The data set of a spec without a user table (any source but csv and parquet). */
  public static Dataset generate(DataSpec spec, long seed) {
    return generate(spec, seed, new UserTables());
  }

  /**
   * The data set of (seed, spec); a user table's rows come from {@code tables}, where the table of
   * the spec's hash must be registered.
   */
  public static Dataset generate(DataSpec spec, long seed, UserTables tables) {
    DMatrixRMaj xTrain;
    DMatrixRMaj yTrain;
    DMatrixRMaj xTest;
    DMatrixRMaj yTest;
    if (spec.source() == DataSource.DIGITS) {
      // One permutation per seed: train = its first n images (so data sets nest in n), test = its
      // last n_test images (the same test set for every n).
      int[] perm = new int[Digits.SIZE];
      Rng.forStream(seed, "digits-split").permutation(perm);
      xTrain = new DMatrixRMaj(spec.n(), Digits.DIMENSION);
      int k = spec.labels().outputs();
      yTrain = new DMatrixRMaj(spec.n(), k);
      xTest = new DMatrixRMaj(spec.nTest(), Digits.DIMENSION);
      yTest = new DMatrixRMaj(spec.nTest(), k);
      copyDigits(perm, 0, xTrain, yTrain);
      copyDigits(perm, Digits.SIZE - spec.nTest(), xTest, yTest);
    } else if (spec.table() != null) {
      // As for the digits: one permutation of the table's rows per seed; train = its first n rows,
      // test = its last n_test rows, so data sets nest in n and share one test set.
      UserTable table = tables.get(spec.table().hash());
      int[] perm = new int[table.rows()];
      Rng.forStream(seed, "table-split;" + table.hash()).permutation(perm);
      double[] inputs = tables.inputs(table, spec.table().normalize());
      xTrain = new DMatrixRMaj(spec.n(), spec.d());
      yTrain = new DMatrixRMaj(spec.n(), spec.table().outputs());
      xTest = new DMatrixRMaj(spec.nTest(), spec.d());
      yTest = new DMatrixRMaj(spec.nTest(), spec.table().outputs());
      copyRows(spec, table, inputs, perm, 0, xTrain, yTrain);
      copyRows(spec, table, inputs, perm, table.rows() - spec.nTest(), xTest, yTest);
    } else {
      String stream = spec.streamIdentity();
      xTrain = inputs(spec, Rng.forStream(seed, "train-inputs;" + stream), spec.n());
      xTest = inputs(spec, Rng.forStream(seed, "test-inputs;" + stream), spec.nTest());
      Teacher teacher = null;
      if (spec.labels() == LabelKind.TEACHER || spec.labels() == LabelKind.TEACHER_SIGN) {
        teacher = new Teacher(spec.d(), spec.teacherWidth(),
            spec.labels() == LabelKind.TEACHER_SIGN,
            Rng.forStream(seed, "teacher;" + stream + ";width=" + spec.teacherWidth()));
      }
      String labelStream = "labels;" + stream + ";labels=" + spec.labels();
      yTrain = labels(spec, xTrain, teacher, Rng.forStream(seed, "train-" + labelStream));
      yTest = labels(spec, xTest, teacher, Rng.forStream(seed, "test-" + labelStream));
    }
    if (spec.randomLabels()) {
      int[] perm = new int[spec.n()];
      Rng.forStream(seed, "random-labels;" + spec.canonical()).permutation(perm);
      DMatrixRMaj permuted = new DMatrixRMaj(yTrain.numRows, yTrain.numCols);
      for (int i = 0; i < perm.length; i++) {
        for (int j = 0; j < yTrain.numCols; j++) {
          permuted.unsafe_set(i, j, yTrain.unsafe_get(perm[i], j));
        }
      }
      yTrain = permuted;
    }
    return new Dataset(id(seed, spec), spec, seed, xTrain, yTrain, xTest, yTest);
  }

  /**
   * Copies the digits perm[from], perm[from + 1], ... into the rows of x and y: parity labels +-1 when y
   * has one column, one-hot digits when it has ten.
   */
  private static void copyDigits(int[] perm, int from, DMatrixRMaj x, DMatrixRMaj y) {
    double[] all = Digits.inputs();
    for (int i = 0; i < x.numRows; i++) {
      int image = perm[from + i];
      System.arraycopy(all, image * Digits.DIMENSION, x.data, i * Digits.DIMENSION, Digits.DIMENSION);
      int digit = Digits.digit(image);
      if (y.numCols == 1) {
        y.unsafe_set(i, 0, digit % 2 == 0 ? 1.0 : -1.0);
      } else {
        y.unsafe_set(i, digit, 1.0);
      }
    }
  }

  /**
   * Copies the table rows perm[from], perm[from + 1], ... into the rows of x (after the input map)
   * and their labels into y: the number for regression, -1 / +1 for the two classes of a binary label,
   * a one-hot row (1 at the class, as for the digits) for classes.
   */
  private static void copyRows(DataSpec spec, UserTable table, double[] inputs, int[] perm, int from, DMatrixRMaj x,
      DMatrixRMaj y) {
    int columns = table.columns();
    boolean allenZhu = spec.inputMap() == InputMap.ALLEN_ZHU;
    double half = 1.0 / StrictMath.sqrt(2.0);
    for (int i = 0; i < x.numRows; i++) {
      int row = perm[from + i];
      for (int j = 0; j < columns; j++) {
        double v = inputs[row * columns + j];
        // Allen-Zhu, Li, Song (2019): x = (u / sqrt 2, 1 / sqrt 2) for a unit-norm u.
        x.unsafe_set(i, j, allenZhu ? v * half : v);
      }
      if (allenZhu) {
        x.unsafe_set(i, columns, half);
      }
      switch (spec.table().task()) {
        case REGRESSION -> y.unsafe_set(i, 0, table.numericLabel(row));
        case BINARY -> y.unsafe_set(i, 0, table.classIndex(row) == 0 ? -1.0 : 1.0);
        case CLASSES -> y.unsafe_set(i, table.classIndex(row), 1.0);
        default -> throw new IllegalStateException(spec.table().task().toString());
      }
    }
  }

  /** Rows uniform on the unit sphere (normalized Gaussians), then the input map. */
  private static DMatrixRMaj inputs(DataSpec spec, Rng rng, int rows) {
    int d = spec.d();
    DMatrixRMaj x = new DMatrixRMaj(rows, d);
    boolean allenZhu = spec.inputMap() == InputMap.ALLEN_ZHU;
    int free = allenZhu ? d - 1 : d;
    double[] row = new double[free];
    for (int i = 0; i < rows; i++) {
      double norm2;
      do {
        norm2 = 0;
        for (int j = 0; j < free; j++) {
          row[j] = rng.gaussian();
          norm2 += row[j] * row[j];
        }
      } while (norm2 == 0);
      double scale = 1.0 / StrictMath.sqrt(norm2);
      if (allenZhu) {
        // Allen-Zhu, Li, Song (2019): ||x|| = 1 with last coordinate 1/sqrt(2).
        scale /= StrictMath.sqrt(2.0);
        x.unsafe_set(i, d - 1, 1.0 / StrictMath.sqrt(2.0));
      }
      for (int j = 0; j < free; j++) {
        x.unsafe_set(i, j, row[j] * scale);
      }
    }
    return x;
  }

  private static DMatrixRMaj labels(DataSpec spec, DMatrixRMaj x, Teacher teacher, Rng rng) {
    DMatrixRMaj y = new DMatrixRMaj(x.numRows, 1);
    for (int i = 0; i < x.numRows; i++) {
      double v = switch (spec.labels()) {
        case GAUSSIAN -> rng.gaussian();
        case SIGN -> rng.sign();
        case TEACHER, TEACHER_SIGN -> teacher.label(x, i);
        case DIGIT_PARITY, DIGIT -> throw new IllegalStateException("digit labels need source digits");
        case COLUMN -> throw new IllegalStateException("column labels need source csv or parquet");
      };
      y.unsafe_set(i, 0, v);
    }
    return y;
  }

  /** A random two-layer ReLU teacher t^-1/2 sum_r a_r relu(w_r . x). */
  private static final class Teacher {
    private final double[] w;
    private final double[] a;
    private final int d;
    private final int width;
    private final boolean sign;

    Teacher(int d, int width, boolean sign, Rng rng) {
      this.d = d;
      this.width = width;
      this.sign = sign;
      this.w = new double[width * d];
      rng.fillGaussian(w, 0, w.length, 1.0);
      this.a = new double[width];
      for (int r = 0; r < width; r++) {
        a[r] = sign ? (r < (width + 1) / 2 ? 1.0 : -1.0) : rng.sign();
      }
    }

    double label(DMatrixRMaj x, int i) {
      double out = 0;
      for (int r = 0; r < width; r++) {
        double z = 0;
        for (int j = 0; j < d; j++) {
          z += w[r * d + j] * x.unsafe_get(i, j);
        }
        if (z > 0) {
          out += a[r] * z;
        }
      }
      out /= Math.sqrt(width);
      if (sign) {
        return out >= 0 ? 1.0 : -1.0;
      }
      return out;
    }
  }
}
