package io.github.overparam.core.model;

import io.github.overparam.core.linalg.Dense;
import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;

/** A cnn's patch matrices: each position's neighborhood as one row, and the adjoint. */
final class Patches {
  private Patches() {}

  /**
   * cnn: writes the patches of {@code source} ((rows P) x channels, row-major) into {@code out}
   * ((rows P) x (q channels)): the row of (i, p) is the channels of positions p - s .. p + s of row i
   * (s = (q - 1) / 2), zeros beyond the ends.
   */
  static void patches(double[] source, int rows, int positions, int q, int channels, DMatrixRMaj out) {
    int s = (q - 1) / 2;
    int width = q * channels;
    double[] o = out.data;
    for (int i = 0; i < rows; i++) {
      for (int p = 0; p < positions; p++) {
        int base = (i * positions + p) * width;
        for (int j = 0; j < q; j++) {
          int at = p + j - s;
          int dst = base + j * channels;
          if (at < 0 || at >= positions) {
            Arrays.fill(o, dst, dst + channels, 0.0);
          } else {
            System.arraycopy(source, (i * positions + at) * channels, o, dst, channels);
          }
        }
      }
    }
  }

  /** cnn: the adjoint of {@link #patches}: sums each patch gradient back onto its positions. */
  static void unpatch(DMatrixRMaj patchGrad, int rows, int positions, int q, int channels, double[] target) {
    int s = (q - 1) / 2;
    int width = q * channels;
    double[] g = patchGrad.data;
    Arrays.fill(target, 0, rows * positions * channels, 0.0);
    for (int i = 0; i < rows; i++) {
      for (int p = 0; p < positions; p++) {
        int base = (i * positions + p) * width;
        for (int j = 0; j < q; j++) {
          int at = p + j - s;
          if (at >= 0 && at < positions) {
            Dense.addTo(target, (i * positions + at) * channels, g, base + j * channels, channels);
          }
        }
      }
    }
  }
}
