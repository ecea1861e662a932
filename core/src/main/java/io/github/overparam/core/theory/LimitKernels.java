package io.github.overparam.core.theory;

import io.github.overparam.core.linalg.Symmetric;
import io.github.overparam.core.model.Activation;
import io.github.overparam.core.model.Arch;
import io.github.overparam.core.model.ModelSpec;
import io.github.overparam.core.model.Parameterization;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Infinite-width kernels of ReLU networks, in closed form.
 *
 * <p>For inputs x_i, x_j with rho = cos(angle):
 *
 * <ul>
 *   <li>H^inf_ij = x_i . x_j (pi - arccos rho) / (2 pi) (Du et al. 2019, eq. 3.1): the NTK of a
 *       two-layer net whose first layer is trained;
 *   <li>G^inf_ij = ||x_i|| ||x_j|| (sqrt(1 - rho^2) + rho (pi - arccos rho)) / (2 pi): the part added when
 *       the output layer is trained too;
 *   <li>{@link #ntkLimit}: the arc-cosine recursion (Cho and Saul 2009; Jacot et al. 2018; Arora et
 *       al. 2019) for any depth, written for overparam's own parameterizations, so that it is the
 *       large-width limit of {@link EmpiricalNtk#gram} at the same m without any rescaling.
 * </ul>
 */
public final class LimitKernels {
  private LimitKernels() {}

  /** H^inf of Du et al. for the rows of x (n x d). */
  public static DMatrixRMaj hInf(DMatrixRMaj x) {
    return symmetric(gram(x), (dot, nii, njj) -> dot * (Math.PI - Arccos.acos(correlation(dot, nii, njj)))
        / (2 * Math.PI));
  }

  /** G^inf: the infinite-width Gram of the output-layer gradient of Du et al.'s net. */
  public static DMatrixRMaj gInf(DMatrixRMaj x) {
    return symmetric(gram(x), (dot, nii, njj) -> Math.sqrt(nii * njj) * reluProduct(correlation(dot, nii, njj)));
  }

  /** An entry of a kernel from the inputs' dot product x_i . x_j and their squared norms. */
  private interface Entry {
    double of(double dot, double nii, double njj);
  }

  /**
   * The kernel whose (i, j) entry is {@code entry} of the Gram {@code dots}. Every factor of an
   * entry is a product or quotient that (j, i) computes in the same or the commuted order, so the
   * upper triangle is computed (each arccos once) and mirrored: the same bits as the full matrix.
   */
  private static DMatrixRMaj symmetric(DMatrixRMaj dots, Entry entry) {
    int n = dots.numRows;
    DMatrixRMaj out = new DMatrixRMaj(n, n);
    for (int i = 0; i < n; i++) {
      symmetricRow(dots, entry, i, out);
    }
    return out;
  }

  /**
   * Row i of {@link #symmetric} from the diagonal on, and its mirror. A method called once per row,
   * so that the JIT compiles it during a run's first kernel and later runs start compiled (one
   * method over all rows, called once per run, ran 7-15 times slower for several runs after it was
   * first compiled on stack).
   */
  private static void symmetricRow(DMatrixRMaj dots, Entry entry, int i, DMatrixRMaj out) {
    int n = dots.numRows;
    double nii = dots.unsafe_get(i, i);
    for (int j = i; j < n; j++) {
      double v = entry.of(dots.unsafe_get(i, j), nii, dots.unsafe_get(j, j));
      out.unsafe_set(i, j, v);
      out.unsafe_set(j, i, v);
    }
  }

  /** lambda_0 = lambda_min(H^inf) (Du et al., Assumption 3.1). */
  public static double lambda0(DMatrixRMaj x) {
    return Spectra.lambdaMin(hInf(x));
  }

  /**
   * Whether {@link #ntkLimit} of {@code spec} is H^inf itself: Du et al.'s two-layer ReLU net with
   * its output layer fixed (their setting: K_{-1} = X X^T, D_0 = c^2 m P_0 = P_0, so the limit is
   * X X^T times P_0 entry by entry, eq. 3.1). The two agree to rounding ({@code
   * LimitKernelsTest}); a run then takes the limit's lambda_min from lambda_0 instead of decomposing
   * the same matrix twice.
   */
  public static boolean ntkLimitIsHInf(ModelSpec spec) {
    return spec.arch() == Arch.TWO_LAYER && spec.parameterization() == Parameterization.DU
        && spec.activation() == Activation.RELU && !spec.trainOutput() && spec.lastWidth() == spec.width();
  }

  /**
   * The large-width limit of the empirical NTK Gram J J^T of the trained parameters of
   * {@code spec} (first output), for the rows of x. ReLU only.
   *
   * <p>With per-entry initial variances s_l, output scale c and output variance s_out: K_{-1} = X X^T;
   * for each hidden layer, S_l = s_l K_{l-1}, K_l = m E[relu(u) relu(v)] and P_l = E[1{u > 0} 1{v > 0}]
   * with (u, v) ~ N(0, S_l); backward, D_{H-1} = c^2 m s_out P_{H-1} and D_{l-1} = m s_l D_l P_{l-1}. The
   * Gram is the sum over trained hidden layers of K_{l-1} * D_l (elementwise) plus c^2 K_{H-1} when the
   * output layer is trained.
   */
  public static DMatrixRMaj ntkLimit(DMatrixRMaj x, ModelSpec spec) {
    if (spec.activation() != Activation.RELU) {
      throw new UnsupportedOperationException(
          "the closed-form NTK recursion is written for relu, not " + spec.activation());
    }
    int n = x.numRows;
    int m = spec.width();
    int hidden = spec.hiddenLayers();
    Parameterization p = spec.parameterization();
    DMatrixRMaj[] k = new DMatrixRMaj[hidden + 1]; // k[l + 1] = K_l; k[0] = X X^T
    DMatrixRMaj[] pDot = new DMatrixRMaj[hidden];
    double[] s = new double[hidden];
    k[0] = gram(x);
    for (int l = 0; l < hidden; l++) {
      int fanIn = l == 0 ? x.numCols : m;
      s[l] = switch (p) {
        case DU -> 1.0;
        case ALLEN_ZHU, ZOU -> 2.0 / m;
        case STANDARD -> 2.0 / fanIn;
      };
      k[l + 1] = new DMatrixRMaj(n, n);
      pDot[l] = new DMatrixRMaj(n, n);
      // K_{l-1} is symmetric (X X^T mirrored, and each step keeps it: sii sjj = sjj sii exactly), so
      // the upper triangle is computed and mirrored, with one arccos per entry for both kernels.
      double[] kl = k[l].data;
      double[] next = k[l + 1].data;
      double[] pd = pDot[l].data;
      for (int i = 0; i < n; i++) {
        double sii = s[l] * kl[i * n + i];
        for (int j = i; j < n; j++) {
          double sjj = s[l] * kl[j * n + j];
          double rho = correlation(s[l] * kl[i * n + j], sii, sjj);
          double angle = Arccos.acos(rho);
          double kv = m * Math.sqrt(sii * sjj) * reluProduct(rho, angle);
          double pv = (Math.PI - angle) / (2 * Math.PI);
          next[i * n + j] = kv;
          next[j * n + i] = kv;
          pd[i * n + j] = pv;
          pd[j * n + i] = pv;
        }
      }
    }
    double c = p == Parameterization.DU ? 1.0 / Math.sqrt(m) : 1.0;
    double sOut = switch (p) {
      case DU, ZOU -> 1.0;
      case ALLEN_ZHU -> 1.0; // 1 / k with k = 1 output
      case STANDARD -> 1.0 / m;
    };
    DMatrixRMaj result = new DMatrixRMaj(n, n);
    if (spec.trainOutput()) {
      CommonOps_DDRM.add(result, c * c, k[hidden], result);
    }
    DMatrixRMaj d = new DMatrixRMaj(n, n);
    CommonOps_DDRM.scale(c * c * m * sOut, pDot[hidden - 1], d);
    DMatrixRMaj term = new DMatrixRMaj(n, n);
    for (int l = hidden - 1; l >= 0; l--) {
      boolean trained = p != Parameterization.ALLEN_ZHU || l > 0;
      if (trained) {
        CommonOps_DDRM.elementMult(k[l], d, term);
        CommonOps_DDRM.addEquals(result, term);
      }
      if (l > 0) {
        CommonOps_DDRM.elementMult(d, pDot[l - 1]);
        CommonOps_DDRM.scale(m * s[l], d);
      }
    }
    return result;
  }

  /** E[relu(u) relu(v)] for unit-variance (u, v) with correlation rho (Cho and Saul's arc-cosine kernel). */
  static double reluProduct(double rho) {
    return reluProduct(rho, Arccos.acos(rho));
  }

  /** {@link #reluProduct(double)} given angle = arccos(rho). */
  private static double reluProduct(double rho, double angle) {
    return (Math.sqrt(Math.max(0.0, 1 - rho * rho)) + rho * (Math.PI - angle)) / (2 * Math.PI);
  }

  private static double correlation(double dot, double nii, double njj) {
    double denom = Math.sqrt(nii * njj);
    if (denom == 0) {
      return 0.0;
    }
    return Math.max(-1.0, Math.min(1.0, dot / denom));
  }

  private static DMatrixRMaj gram(DMatrixRMaj x) {
    DMatrixRMaj g = new DMatrixRMaj(x.numRows, x.numRows);
    Symmetric.outer(x, g);
    return g;
  }
}
