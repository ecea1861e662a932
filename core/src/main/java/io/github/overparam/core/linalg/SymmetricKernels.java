package io.github.overparam.core.linalg;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector kernels of the per-run fixed work on symmetric n x n matrices (the Gram a a^T and the
 * Householder tridiagonalization of an eigen-decomposition), each computing exactly EJML's
 * floating-point operations in EJML's order: every output entry is the same sequence of rounded
 * products and sums (lanes hold different entries, never parts of one sum; no fused multiply-add),
 * so the results are EJML's bits. Only {@link Symmetric} calls this class, after checking that the
 * incubator module is present.
 */
final class SymmetricKernels {
  private SymmetricKernels() {}

  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
  private static final int VL = S.length();

  /**
   * c (n x n) = a a^T for a (n x d): c_ij = sum over k = 0 .. d-1 of a_ik a_jk, from 0, product then
   * sum, as {@code CommonOps_DDRM.multOuter}; the upper triangle computed, the lower mirrored.
   *
   * @param t scratch of at least d n entries (a transposed)
   */
  static void outer(int n, int d, double[] a, double[] t, double[] c) {
    DoubleKernels.transpose(n, d, a, t);
    for (int i = 0; i < n; i++) {
      outerRow(n, d, a, t, c, i);
    }
    Symmetric.mirrorUpper(c, n);
  }

  /**
   * Row i of {@link #outer}'s upper triangle. A method of its own, called once per row: the JIT
   * compiles it within the first product and every later one runs compiled (one method over all the
   * rows, called once per run, was compiled on stack, then ran its next calls in the profiling tier
   * with its vector operations not intrinsified: 43-67 ms against 5 at n = 1,000, d = 100).
   */
  private static void outerRow(int n, int d, double[] a, double[] t, double[] c, int i) {
    int wide = 4 * VL;
    int ai = i * d;
    int ci = i * n;
    int j = i;
    for (; j + wide <= n; j += wide) {
      DoubleVector s0 = DoubleVector.zero(S);
      DoubleVector s1 = s0;
      DoubleVector s2 = s0;
      DoubleVector s3 = s0;
      for (int k = 0; k < d; k++) {
        DoubleVector x = DoubleVector.broadcast(S, a[ai + k]);
        int tk = k * n + j;
        s0 = s0.add(x.mul(DoubleVector.fromArray(S, t, tk)));
        s1 = s1.add(x.mul(DoubleVector.fromArray(S, t, tk + VL)));
        s2 = s2.add(x.mul(DoubleVector.fromArray(S, t, tk + 2 * VL)));
        s3 = s3.add(x.mul(DoubleVector.fromArray(S, t, tk + 3 * VL)));
      }
      s0.intoArray(c, ci + j);
      s1.intoArray(c, ci + j + VL);
      s2.intoArray(c, ci + j + 2 * VL);
      s3.intoArray(c, ci + j + 3 * VL);
    }
    for (; j + VL <= n; j += VL) {
      DoubleVector s0 = DoubleVector.zero(S);
      for (int k = 0; k < d; k++) {
        s0 = s0.add(DoubleVector.broadcast(S, a[ai + k]).mul(DoubleVector.fromArray(S, t, k * n + j)));
      }
      s0.intoArray(c, ci + j);
    }
    for (; j < n; j++) {
      double sum = 0;
      for (int k = 0; k < d; k++) {
        sum += a[ai + k] * t[k * n + j];
      }
      c[ci + j] = sum;
    }
  }

  /**
   * w_i = sum over j = row .. n-1 (in that order, from 0) of A_ji u_j for i >= row, with u in row
   * {@code row - 1} of t: the product A u of a Householder step, before its scaling.
   *
   * <p>A step of EJML's {@code TridiagonalDecompositionHouseholder_DDRM} ({@code
   * householderSymmetric(row, gamma)}) on a matrix t (n x n) whose trailing block (rows and columns
   * from {@code row}) is stored in full, both triangles: w = -gamma A u, alpha = -gamma u.w / 2, w +=
   * alpha u, A += w u^T + u w^T, with u in row {@code row - 1} of t from column {@code row}. EJML
   * reads and writes the upper triangle only, reaching A_ji for j < i down a column; here each sum
   * over j runs along contiguous rows in the same order (A_ji = A_ij), and the update keeps both
   * triangles (w_i u_j + w_j u_i is the same sum either way round). Its parts: this product, {@link
   * #finish}, then {@link #update}, or {@link #updateAndMultiply}, which fuses the update of one step
   * with the product A u of the next.
   */
  static void multiply(int n, double[] t, int row, double[] w) {
    int u0 = (row - 1) * n;
    Arrays.fill(w, row, n, 0.0);
    int bound = row + S.loopBound(n - row);
    for (int j = row; j < n; j++) {
      double uj = t[u0 + j];
      DoubleVector ub = DoubleVector.broadcast(S, uj);
      int rj = j * n;
      int i = row;
      for (; i < bound; i += VL) {
        DoubleVector.fromArray(S, w, i).add(DoubleVector.fromArray(S, t, rj + i).mul(ub)).intoArray(w, i);
      }
      for (; i < n; i++) {
        w[i] += t[rj + i] * uj;
      }
    }
  }

  /** w = -gamma w, alpha = -gamma u.w / 2, w += alpha u: the step's vector from its product A u. */
  static void finish(int n, double[] t, int row, double gamma, double[] w) {
    int u0 = (row - 1) * n;
    for (int i = row; i < n; i++) {
      w[i] = -gamma * w[i];
    }
    double alpha = 0;
    for (int i = row; i < n; i++) {
      alpha += t[u0 + i] * w[i];
    }
    alpha *= -0.5 * gamma;
    for (int i = row; i < n; i++) {
      w[i] += alpha * t[u0 + i];
    }
  }

  /** A_ij += w_i u_j + w_j u_i for rows i = from .. to-1 and columns j = row .. n-1. */
  static void update(int n, double[] t, int row, double[] w, int from, int to) {
    int u0 = (row - 1) * n;
    int bound = row + S.loopBound(n - row);
    for (int i = from; i < to; i++) {
      double ww = w[i];
      double uu = t[u0 + i];
      DoubleVector wb = DoubleVector.broadcast(S, ww);
      DoubleVector ub = DoubleVector.broadcast(S, uu);
      int ri = i * n;
      int j = row;
      for (; j < bound; j += VL) {
        DoubleVector update = wb.mul(DoubleVector.fromArray(S, t, u0 + j)).add(DoubleVector.fromArray(S, w, j).mul(ub));
        DoubleVector.fromArray(S, t, ri + j).add(update).intoArray(t, ri + j);
      }
      for (; j < n; j++) {
        t[ri + j] += ww * t[u0 + j] + w[j] * uu;
      }
    }
  }

  /**
   * The update of step {@code row} on rows row+1 .. n-1 ({@link #update} from row + 1; row {@code
   * row} must be updated already, and the next step's reflector formed in it from column row + 1),
   * fused with the next step's {@link #multiply}: each row, once updated, is added into {@code next}
   * times its entry of the next reflector while it is in the registers and the L1. The rows are
   * visited in the order of {@link #multiply}'s sum, so {@code next} gets the same bits as a separate
   * pass over the updated block, which this saves (one read of the block per step).
   */
  static void updateAndMultiply(int n, double[] t, int row, double[] w, double[] next) {
    int u0 = (row - 1) * n;
    int v0 = row * n; // the next reflector, from column row + 1
    int col = row + 1;
    Arrays.fill(next, col, n, 0.0);
    int bound = col + S.loopBound(n - col);
    int i = col;
    // Four rows at a time: u, w and next are loaded once for the four, next's entry takes their four
    // terms in the rows' order (the bits of one row at a time), in registers; a quarter of the loads
    // and stores of u, w and next (the n = 128 decomposition of H^inf was 5% of an S6 run).
    for (; i + 4 <= n; i += 4) {
      int r0 = i * n;
      int r1 = r0 + n;
      int r2 = r1 + n;
      int r3 = r2 + n;
      double w0 = w[i];
      double w1 = w[i + 1];
      double w2 = w[i + 2];
      double w3 = w[i + 3];
      double uu0 = t[u0 + i];
      double uu1 = t[u0 + i + 1];
      double uu2 = t[u0 + i + 2];
      double uu3 = t[u0 + i + 3];
      double v0i = t[v0 + i];
      double v1i = t[v0 + i + 1];
      double v2i = t[v0 + i + 2];
      double v3i = t[v0 + i + 3];
      t[r0 + row] += w0 * t[u0 + row] + w[row] * uu0;
      t[r1 + row] += w1 * t[u0 + row] + w[row] * uu1;
      t[r2 + row] += w2 * t[u0 + row] + w[row] * uu2;
      t[r3 + row] += w3 * t[u0 + row] + w[row] * uu3;
      DoubleVector wb0 = DoubleVector.broadcast(S, w0);
      DoubleVector wb1 = DoubleVector.broadcast(S, w1);
      DoubleVector wb2 = DoubleVector.broadcast(S, w2);
      DoubleVector wb3 = DoubleVector.broadcast(S, w3);
      DoubleVector ub0 = DoubleVector.broadcast(S, uu0);
      DoubleVector ub1 = DoubleVector.broadcast(S, uu1);
      DoubleVector ub2 = DoubleVector.broadcast(S, uu2);
      DoubleVector ub3 = DoubleVector.broadcast(S, uu3);
      DoubleVector vb0 = DoubleVector.broadcast(S, v0i);
      DoubleVector vb1 = DoubleVector.broadcast(S, v1i);
      DoubleVector vb2 = DoubleVector.broadcast(S, v2i);
      DoubleVector vb3 = DoubleVector.broadcast(S, v3i);
      int j = col;
      for (; j < bound; j += VL) {
        DoubleVector u = DoubleVector.fromArray(S, t, u0 + j);
        DoubleVector wj = DoubleVector.fromArray(S, w, j);
        DoubleVector x = DoubleVector.fromArray(S, next, j);
        DoubleVector a0 = DoubleVector.fromArray(S, t, r0 + j).add(wb0.mul(u).add(wj.mul(ub0)));
        a0.intoArray(t, r0 + j);
        x = x.add(a0.mul(vb0));
        DoubleVector a1 = DoubleVector.fromArray(S, t, r1 + j).add(wb1.mul(u).add(wj.mul(ub1)));
        a1.intoArray(t, r1 + j);
        x = x.add(a1.mul(vb1));
        DoubleVector a2 = DoubleVector.fromArray(S, t, r2 + j).add(wb2.mul(u).add(wj.mul(ub2)));
        a2.intoArray(t, r2 + j);
        x = x.add(a2.mul(vb2));
        DoubleVector a3 = DoubleVector.fromArray(S, t, r3 + j).add(wb3.mul(u).add(wj.mul(ub3)));
        a3.intoArray(t, r3 + j);
        x.add(a3.mul(vb3)).intoArray(next, j);
      }
      for (; j < n; j++) {
        double u = t[u0 + j];
        double wj = w[j];
        double a0 = t[r0 + j] + (w0 * u + wj * uu0);
        t[r0 + j] = a0;
        double a1 = t[r1 + j] + (w1 * u + wj * uu1);
        t[r1 + j] = a1;
        double a2 = t[r2 + j] + (w2 * u + wj * uu2);
        t[r2 + j] = a2;
        double a3 = t[r3 + j] + (w3 * u + wj * uu3);
        t[r3 + j] = a3;
        next[j] = next[j] + a0 * v0i + a1 * v1i + a2 * v2i + a3 * v3i;
      }
    }
    for (; i < n; i++) {
      double ww = w[i];
      double uu = t[u0 + i];
      double vi = t[v0 + i];
      DoubleVector wb = DoubleVector.broadcast(S, ww);
      DoubleVector ub = DoubleVector.broadcast(S, uu);
      DoubleVector vb = DoubleVector.broadcast(S, vi);
      int ri = i * n;
      t[ri + row] += ww * t[u0 + row] + w[row] * uu;
      int j = col;
      for (; j < bound; j += VL) {
        DoubleVector update = wb.mul(DoubleVector.fromArray(S, t, u0 + j)).add(DoubleVector.fromArray(S, w, j).mul(ub));
        DoubleVector a = DoubleVector.fromArray(S, t, ri + j).add(update);
        a.intoArray(t, ri + j);
        DoubleVector.fromArray(S, next, j).add(a.mul(vb)).intoArray(next, j);
      }
      for (; j < n; j++) {
        double a = t[ri + j] + (ww * t[u0 + j] + w[j] * uu);
        t[ri + j] = a;
        next[j] += a * vi;
      }
    }
  }

}
