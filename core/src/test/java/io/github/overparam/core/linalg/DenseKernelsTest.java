package io.github.overparam.core.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The vector kernels against EJML, the reference path, on awkward shapes: 1, 3, 7, 17 and 255, 257
 * (around the inner block of 256), none a multiple of the vector length, and the narrow shapes the
 * network uses (one output column, an inner dimension of one).
 *
 * <p>Tolerance: entry by entry, |c - c_ref| <= 1e-12 (|a| |b|)_ij, the sum of the magnitudes of the
 * terms. Two summation orders of K terms differ by at most about 2 K eps times that sum (K <= 300
 * here: 1.3e-13), so 1e-12 holds with margin for any correct kernel, while a dropped, doubled or
 * misplaced term is off by the size of a term. For float the same bound with 1e-4 (float eps 6e-8).
 */
class DenseKernelsTest {

  static final int[] SIZES = {1, 3, 7, 17, 255, 257};

  static Stream<Arguments> shapes() {
    List<Arguments> out = new ArrayList<>();
    for (int rows : SIZES) {
      for (int cols : SIZES) {
        for (int inner : SIZES) {
          if ((long) rows * cols * inner <= 257L * 257 * 17 || inner == 257) {
            out.add(Arguments.of(rows, cols, inner));
          }
        }
      }
    }
    out.add(Arguments.of(100, 1000, 10));
    out.add(Arguments.of(33, 1, 1000));
    out.add(Arguments.of(5, 2 * DoubleKernels.NB + 5, 600));
    // Narrow nets (S6, S7, S9): right factors small enough to be read in place, unpacked.
    out.add(Arguments.of(128, 8, 10));
    out.add(Arguments.of(256, 32, 10));
    out.add(Arguments.of(1024, 64, 10));
    out.add(Arguments.of(10, 64, 1024));
    out.add(Arguments.of(64, 16, 16));
    return out.stream();
  }

  @Test
  void theFastPathIsOnInTheBuild() {
    // The build passes --add-modules=jdk.incubator.vector, so every test in core runs on the kernels.
    assertTrue(Dense.vectorized(), Dense.implementation());
  }

  @Test
  void theBuildRaisesTheJitTrapLimit() {
    // The root pom's overparam.jit.options, as bin/overparam and the benchmarks pass it: without it the
    // kernels compile as vectors in some JVMs only (Dense.TRAP_LIMIT), and Dense warns.
    assertEquals(Dense.TRAP_LIMIT, Dense.trapLimit(), "-XX:PerMethodTrapLimit of the test JVM");
  }

  @ParameterizedTest(name = "{0} x {1}, inner {2}")
  @MethodSource("shapes")
  void productsAgreeWithEjml(int rows, int cols, int inner) {
    SplittableRandom rng = new SplittableRandom(31L * rows + 7L * cols + inner);
    DMatrixRMaj a = random(rows, inner, rng);
    DMatrixRMaj b = random(inner, cols, rng);
    DMatrixRMaj at = random(inner, rows, rng);
    DMatrixRMaj bt = random(cols, inner, rng);
    double alpha = 0.37;

    DMatrixRMaj ref = new DMatrixRMaj(rows, cols);
    DMatrixRMaj got = new DMatrixRMaj(rows, cols);
    CommonOps_DDRM.mult(alpha, a, b, ref);
    DoubleKernels.mult(rows, cols, inner, alpha, a.data, b.data, got.data);
    assertClose(ref, got, bound(a, false, b, false, alpha), 1e-12, "a b");

    CommonOps_DDRM.multTransA(at, b, ref);
    DoubleKernels.multTransA(rows, cols, inner, 1.0, at.data, b.data, got.data);
    assertClose(ref, got, bound(at, true, b, false, 1), 1e-12, "a^T b");

    CommonOps_DDRM.multTransB(a, bt, ref);
    DoubleKernels.multTransB(rows, cols, inner, 1.0, a.data, bt.data, got.data);
    assertClose(ref, got, bound(a, false, bt, true, 1), 1e-12, "a b^T");

    // Through Dense, with outputs of the wrong shape to be reshaped.
    DMatrixRMaj viaDense = new DMatrixRMaj(1, 1);
    Dense.multTransB(a, bt, viaDense);
    assertClose(ref, viaDense, bound(a, false, bt, true, 1), 1e-12, "Dense a b^T");

    // Fused epilogues: the product with its ReLU, the backpropagated delta with its mask.
    DMatrixRMaj z = new DMatrixRMaj(1, 1);
    DMatrixRMaj h = new DMatrixRMaj(1, 1);
    Dense.multRelu(alpha, a, b, z, h);
    CommonOps_DDRM.mult(alpha, a, b, ref);
    DMatrixRMaj scale = bound(a, false, b, false, alpha);
    assertClose(ref, z, scale, 1e-12, "multRelu z");
    DMatrixRMaj refH = ref.copy();
    Dense.relu(ref.data, refH.data, refH.getNumElements());
    assertClose(refH, h, scale, 1e-12, "multRelu h");
    DMatrixRMaj gate = random(rows, cols, rng);
    DMatrixRMaj masked = new DMatrixRMaj(rows, cols);
    Dense.multTransBMasked(a, bt, gate, masked);
    CommonOps_DDRM.multTransB(a, bt, ref);
    for (int e = 0; e < ref.getNumElements(); e++) {
      if (!(gate.data[e] > 0)) {
        ref.data[e] = 0;
      }
    }
    assertClose(ref, masked, bound(a, false, bt, true, 1), 1e-12, "multTransBMasked");

    // Float kernels: same algorithm, float tolerance.
    float[] fa = Kernels.toFloat(a.data);
    float[] fb = Kernels.toFloat(b.data);
    float[] fc = new float[rows * cols];
    FloatKernels.mult(rows, cols, inner, (float) alpha, fa, fb, fc);
    CommonOps_DDRM.mult(alpha, a, b, ref);
    DMatrixRMaj fromFloat = new DMatrixRMaj(rows, cols);
    for (int e = 0; e < fc.length; e++) {
      fromFloat.data[e] = fc[e];
    }
    assertClose(ref, fromFloat, bound(a, false, b, false, alpha), 1e-4, "float a b");
  }

  @ParameterizedTest(name = "{0} x {1}, inner {2}")
  @MethodSource("shapes")
  void theScalarFallbackGivesTheSameBits(int rows, int cols, int inner) {
    // Same sequential fused multiply-add chains; single-column products the same partial sums.
    SplittableRandom rng = new SplittableRandom(3L * rows + cols + 11L * inner);
    double[] a = random(rows, inner, rng).data;
    double[] b = random(inner, cols, rng).data;
    double[] bt = random(cols, inner, rng).data;
    double[] at = random(inner, rows, rng).data;
    double[] v = new double[rows * cols];
    double[] s = new double[rows * cols];
    DoubleKernels.mult(rows, cols, inner, 0.37, a, b, v);
    ScalarDoubleKernels.mult(rows, cols, inner, 0.37, a, b, s);
    assertArrayEquals(s, v, "a b");
    DoubleKernels.multTransB(rows, cols, inner, 1, a, bt, v);
    ScalarDoubleKernels.multTransB(rows, cols, inner, 1, a, bt, s);
    assertArrayEquals(s, v, "a b^T");
    DoubleKernels.multTransA(rows, cols, inner, 1, at, b, v);
    ScalarDoubleKernels.multTransA(rows, cols, inner, 1, at, b, s);
    assertArrayEquals(s, v, "a^T b");
    float[] fv = new float[rows * cols];
    float[] fs = new float[rows * cols];
    FloatKernels.multTransA(rows, cols, inner, 1, Kernels.toFloat(at), Kernels.toFloat(b), fv);
    ScalarFloatKernels.multTransA(rows, cols, inner, 1, Kernels.toFloat(at), Kernels.toFloat(b), fs);
    assertArrayEquals(fs, fv, "float a^T b");
    FloatKernels.mult(rows, cols, inner, 0.37f, Kernels.toFloat(a), Kernels.toFloat(b), fv);
    ScalarFloatKernels.mult(rows, cols, inner, 0.37f, Kernels.toFloat(a), Kernels.toFloat(b), fs);
    assertArrayEquals(fs, fv, "float a b");
    FloatKernels.multTransB(rows, cols, inner, 1, Kernels.toFloat(a), Kernels.toFloat(bt), fv);
    ScalarFloatKernels.multTransB(rows, cols, inner, 1, Kernels.toFloat(a), Kernels.toFloat(bt), fs);
    assertArrayEquals(fs, fv, "float a b^T");
  }

  @Test
  void productsAreBitIdenticalAcrossCallsAndBlockings() {
    SplittableRandom rng = new SplittableRandom(5);
    int rows = 37;
    int cols = 3 * DoubleKernels.VL + 5;
    int inner = 2 * DoubleKernels.KB + 3;
    DMatrixRMaj a = random(rows, inner, rng);
    DMatrixRMaj b = random(inner, cols, rng);
    double[] c1 = new double[rows * cols];
    double[] c2 = new double[rows * cols];
    DoubleKernels.mult(rows, cols, inner, 1.0, a.data, b.data, c1);
    DoubleKernels.mult(rows, cols, inner, 1.0, a.data, b.data, c2);
    assertArrayEquals(c1, c2);
    // Every entry is the sequential fused multiply-add chain, whatever block computed it.
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        double s = 0;
        for (int p = 0; p < inner; p++) {
          s = Math.fma(a.data[i * inner + p], b.data[p * cols + j], s);
        }
        assertEquals(s, c1[i * cols + j], 0.0, "entry " + i + "," + j);
      }
    }
  }

  @Test
  void elementwisePassesMatchTheScalarDefinitions() {
    int size = 4 * DoubleKernels.VL + 3;
    double[] z = new double[size];
    SplittableRandom rng = new SplittableRandom(9);
    for (int e = 0; e < size; e++) {
      z[e] = rng.nextDouble(-1, 1);
    }
    z[1] = Double.NaN;
    z[2] = 0.0;
    z[3] = -0.0;
    double[] h = new double[size];
    Dense.relu(z, h, size);
    double[] g = new double[size];
    double[] w = new double[size];
    for (int e = 0; e < size; e++) {
      assertEquals(z[e] > 0 ? z[e] : 0.0, h[e], 0.0);
      g[e] = rng.nextDouble(-1, 1);
      w[e] = rng.nextDouble(-1, 1);
    }
    double[] g0 = g.clone();
    Dense.reluMask(g, z, size);
    for (int e = 0; e < size; e++) {
      assertEquals(z[e] > 0 ? g0[e] : 0.0, g[e], 0.0);
    }
    double[] gated = new double[size];
    Dense.reluGate(g0, z, gated, size);
    double[] sum = w.clone();
    Dense.addTo(sum, g0, size);
    double[] part = w.clone();
    Dense.addTo(part, 2, g0, 1, size - 3);
    double[] scaled = new double[size];
    Dense.scale(-0.7, g0, scaled, size);
    for (int e = 0; e < size; e++) {
      assertEquals(z[e] > 0 ? g0[e] : 0.0, gated[e], 0.0);
      assertEquals(w[e] + g0[e], sum[e], 0.0);
      assertEquals(e >= 2 && e < size - 1 ? w[e] + g0[e - 1] : w[e], part[e], 0.0);
      assertEquals(-0.7 * g0[e], scaled[e], 0.0);
    }
    DMatrixRMaj wm = DMatrixRMaj.wrap(1, size, w.clone());
    Dense.addScaled(wm, -0.3, DMatrixRMaj.wrap(1, size, g0));
    for (int e = 0; e < size; e++) {
      assertEquals(w[e] - 0.3 * g0[e], wm.data[e], 1e-15);
    }
  }

  /** One full GD step of a two-layer and a three-layer ReLU net: kernels against EJML. */
  @ParameterizedTest(name = "hidden layers {0}")
  @MethodSource("steps")
  void aGdStepAgreesWithEjml(int hidden, int n, int d, int m) {
    SplittableRandom rng = new SplittableRandom(hidden * 1000L + m);
    DMatrixRMaj x = random(n, d, rng);
    DMatrixRMaj y = random(n, 1, rng);
    DMatrixRMaj[] w = new DMatrixRMaj[hidden + 1];
    for (int l = 0; l <= hidden; l++) {
      w[l] = random(l == 0 ? d : m, l == hidden ? 1 : m, rng);
      CommonOps_DDRM.scale(1.0 / Math.sqrt(w[l].numRows), w[l]);
    }
    DMatrixRMaj[] ref = step(x, y, copy(w), false);
    DMatrixRMaj[] got = step(x, y, copy(w), true);
    for (int l = 0; l <= hidden; l++) {
      double scale = CommonOps_DDRM.elementMaxAbs(ref[l]);
      for (int e = 0; e < ref[l].getNumElements(); e++) {
        assertEquals(ref[l].data[e], got[l].data[e], 1e-12 * scale, "layer " + l + " entry " + e);
      }
    }
  }

  static Stream<Arguments> steps() {
    return Stream.of(Arguments.of(1, 100, 10, 257), Arguments.of(3, 50, 7, 255), Arguments.of(1, 17, 3, 1000));
  }

  private static DMatrixRMaj[] step(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj[] w, boolean fast) {
    int hidden = w.length - 1;
    int n = x.numRows;
    DMatrixRMaj[] z = new DMatrixRMaj[hidden];
    DMatrixRMaj[] h = new DMatrixRMaj[hidden];
    DMatrixRMaj in = x;
    for (int l = 0; l < hidden; l++) {
      z[l] = new DMatrixRMaj(n, w[l].numCols);
      h[l] = new DMatrixRMaj(n, w[l].numCols);
      product(fast, 1.0, in, w[l], z[l]);
      for (int e = 0; e < z[l].data.length; e++) {
        h[l].data[e] = Math.max(z[l].data[e], 0);
      }
      in = h[l];
    }
    DMatrixRMaj f = new DMatrixRMaj(n, 1);
    product(fast, 0.5, in, w[hidden], f);
    DMatrixRMaj delta = new DMatrixRMaj(n, 1);
    CommonOps_DDRM.subtract(f, y, delta);
    CommonOps_DDRM.scale(0.5, delta);
    DMatrixRMaj[] grads = new DMatrixRMaj[hidden + 1];
    for (int l = hidden; l >= 0; l--) {
      DMatrixRMaj input = l == 0 ? x : h[l - 1];
      grads[l] = new DMatrixRMaj(w[l].numRows, w[l].numCols);
      if (fast) {
        DoubleKernels.multTransA(input.numCols, delta.numCols, n, 1.0, input.data, delta.data, grads[l].data);
      } else {
        CommonOps_DDRM.multTransA(input, delta, grads[l]);
      }
      if (l > 0) {
        DMatrixRMaj next = new DMatrixRMaj(n, w[l].numRows);
        if (fast) {
          DoubleKernels.multTransB(n, w[l].numRows, delta.numCols, 1.0, delta.data, w[l].data, next.data);
        } else {
          CommonOps_DDRM.multTransB(delta, w[l], next);
        }
        for (int e = 0; e < next.data.length; e++) {
          if (!(z[l - 1].data[e] > 0)) {
            next.data[e] = 0;
          }
        }
        delta = next;
      }
    }
    for (int l = 0; l <= hidden; l++) {
      if (fast) {
        DoubleKernels.addScaled(w[l].data, -0.1, grads[l].data, w[l].getNumElements());
      } else {
        CommonOps_DDRM.addEquals(w[l], -0.1, grads[l]);
      }
    }
    return w;
  }

  private static void product(boolean fast, double alpha, DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
    if (fast) {
      DoubleKernels.mult(a.numRows, b.numCols, a.numCols, alpha, a.data, b.data, c.data);
    } else {
      CommonOps_DDRM.mult(alpha, a, b, c);
    }
  }

  private static DMatrixRMaj[] copy(DMatrixRMaj[] w) {
    DMatrixRMaj[] out = new DMatrixRMaj[w.length];
    for (int l = 0; l < w.length; l++) {
      out[l] = w[l].copy();
    }
    return out;
  }

  private static DMatrixRMaj random(int rows, int cols, SplittableRandom rng) {
    DMatrixRMaj m = new DMatrixRMaj(rows, cols);
    for (int e = 0; e < m.data.length; e++) {
      m.data[e] = rng.nextDouble(-1, 1);
    }
    return m;
  }

  /** (|alpha| |op(a)| |op(b)|)_ij: the scale of the rounding error of entry ij. */
  private static DMatrixRMaj bound(DMatrixRMaj a, boolean transA, DMatrixRMaj b, boolean transB, double alpha) {
    DMatrixRMaj aa = transA ? CommonOps_DDRM.transpose(a, null) : a.copy();
    DMatrixRMaj bb = transB ? CommonOps_DDRM.transpose(b, null) : b.copy();
    CommonOps_DDRM.abs(aa);
    CommonOps_DDRM.abs(bb);
    DMatrixRMaj out = new DMatrixRMaj(aa.numRows, bb.numCols);
    CommonOps_DDRM.mult(Math.abs(alpha), aa, bb, out);
    return out;
  }

  private static void assertClose(DMatrixRMaj ref, DMatrixRMaj got, DMatrixRMaj scale, double tol, String what) {
    assertEquals(ref.numRows, got.numRows, what + " rows");
    assertEquals(ref.numCols, got.numCols, what + " cols");
    for (int e = 0; e < ref.getNumElements(); e++) {
      double err = Math.abs(ref.data[e] - got.data[e]);
      assertTrue(err <= tol * scale.data[e] + Double.MIN_VALUE,
          what + ": entry " + e + " is " + got.data[e] + ", reference " + ref.data[e] + " (bound " + tol * scale.data[e]
              + ")");
    }
  }
}
