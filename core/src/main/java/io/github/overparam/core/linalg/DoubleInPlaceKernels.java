package io.github.overparam.core.linalg;

import static io.github.overparam.core.linalg.DoubleKernels.KB;
import static io.github.overparam.core.linalg.DoubleKernels.NB;
import static io.github.overparam.core.linalg.DoubleKernels.S;
import static io.github.overparam.core.linalg.DoubleKernels.VL;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;

/**
 * gemm without packing, for products too narrow to amortize it (fewer than 4 rows or one panel):
 * the left factor read in place with any strides.
 *
 * <p>Register blocks of 4 rows x 3, 2 or 1 vectors (12, 8 or 4 independent chains, enough to hide
 * the latency of a fused multiply-add). Columns past the last whole vector are one more vector
 * ending at the last column, overlapping the last whole one in the same block (a net 11 or 23 units
 * wide is vectors all the way). A product half a vector wide puts two rows in each vector ({@link
 * #gemmPairs}); one between half a vector and a vector wide puts each row in one vector, its upper
 * lanes unused ({@link #gemmPartial}); only other blocks narrower than a vector are left to scalar
 * chains. Each kernel sweeps all the rows itself (one call per block of columns and of the inner
 * dimension). The last block of rows repeats the last row in the rows past the end (the same chain
 * of operations, stored to the same place with the same bits), so that no row is left to a single
 * chain.
 *
 * <p>Part of {@link DoubleKernels}, with the same summation order and guarantees.
 *
 * <p>Its float twin is generated from this file by {@code scripts/gen-float-kernels.sh}: edit here.
 */
final class DoubleInPlaceKernels {
  private DoubleInPlaceKernels() {}

  /**
   * c = alpha A B with A(i, p) = a[i * ars + p * acs] and b (inner x cols) row-major. Blocks of 4
   * rows x 3 vectors where the blocking's tile is at least 3 vectors wide (32 vector registers; 4 x 4
   * blocks here measured mixed, docs/benchmarks.md), else 4 x 2 (with 16, 4 x 3 spills its
   * accumulators); the same chains either way.
   */
  static void gemmInPlace(Blocking bl, int rows, int cols, int inner, double alpha, double[] a, int ars, int acs,
      double[] b, double[] c) {
    if (pairs(rows, cols, inner, b)) {
      gemmPairs(rows, inner, alpha, a, ars, acs, b, c);
      return;
    }
    if (cols > HALF && cols < VL) {
      gemmPartial(rows, cols, inner, alpha, a, ars, acs, b, c);
      return;
    }
    int wide = 3 * VL;
    boolean three = bl.vectors() >= 3;
    for (int j0 = 0; j0 < cols; j0 += NB) {
      int j1 = Math.min(cols, j0 + NB);
      for (int p0 = 0; p0 < inner; p0 += KB) {
        int p1 = Math.min(inner, p0 + KB);
        boolean first = p0 == 0;
        double scale = p1 == inner ? alpha : 1;
        if (rows >= 4) {
          // Each kernel sweeps every block of 4 rows (the last block repeats the last row).
          int j = j0;
          // Past the last whole vector, tail columns: one more vector ending at j1, overlapping
          // the last whole one and computed in the same block as it (both read c before either
          // writes it: the shared columns get the same chains twice, the same bits).
          int tail = j1 - j0 >= VL ? (j1 - j0) % VL : 0;
          int end = tail > 0 ? j1 - tail - VL : j1;
          for (; three && j + wide <= end; j += wide) {
            kernel4x3(rows, ars, acs, j, j + VL, j + 2 * VL, p0, p1, first, scale, a, b, cols, c);
          }
          while (j + 2 * VL <= end) {
            kernel4x2(rows, ars, acs, j, j + VL, p0, p1, first, scale, a, b, cols, c);
            j += 2 * VL;
          }
          if (tail > 0) {
            if (j < end && three) {
              kernel4x3(rows, ars, acs, j, end, j1 - VL, p0, p1, first, scale, a, b, cols, c);
            } else {
              if (j < end) {
                kernel4x1(rows, ars, acs, j, p0, p1, first, scale, a, b, cols, c);
              }
              kernel4x2(rows, ars, acs, end, j1 - VL, p0, p1, first, scale, a, b, cols, c);
            }
            j = j1;
          } else if (j + VL <= j1) {
            kernel4x1(rows, ars, acs, j, p0, p1, first, scale, a, b, cols, c);
            j += VL;
          }
          // A block narrower than a vector: 4 rows x 2 columns of scalar chains at a time (the
          // last column repeated past j1), not one chain at a time, whose latency would bound them.
          for (; j < j1; j += 2) {
            scalar4x2(rows, ars, acs, j, Math.min(j + 1, j1 - 1), p0, p1, first, scale, a, b, cols, c);
          }
        } else {
          for (int i = 0; i < rows; i++) {
            int j = j0;
            for (; j + wide <= j1; j += wide) {
              kernel1x3(i, j, p0, p1, first, scale, a, ars, acs, b, cols, c);
            }
            for (; j + VL <= j1; j += VL) {
              kernel1x1(i, j, p0, p1, first, scale, a, ars, acs, b, cols, c);
            }
            for (; j < j1; j++) {
              scalar(i, j, p0, p1, first, scale, a, ars, acs, b, cols, c);
            }
          }
        }
      }
    }
  }

  /** Half the lanes of a vector: the width {@link #gemmPairs} serves. */
  private static final int HALF = VL / 2;

  /** The upper half of a vector's lanes. */
  private static final VectorMask<Double> UPPER = S.indexInRange(-HALF, HALF);

  /** Lanes 0 .. HALF - 1 repeated in both halves. */
  private static final VectorShuffle<Double> LOWER_TWICE = VectorShuffle.fromOp(S, l -> l % HALF);

  /** Lanes HALF .. VL - 1 repeated in both halves. */
  private static final VectorShuffle<Double> UPPER_TWICE = VectorShuffle.fromOp(S, l -> HALF + l % HALF);

  /**
   * Whether {@link #gemmPairs} takes the product: c half a vector wide (two of its rows fill a
   * vector), at least two rows, and b (inner x HALF) at least a vector long or one row (an outer
   * product).
   */
  static boolean pairs(int rows, int cols, int inner, double[] b) {
    return HALF >= 2 && cols == HALF && rows >= 2 && (b.length >= VL || inner == 1);
  }

  /**
   * c (rows x HALF) = alpha A b, two rows of c in each vector (rows i and i + 1 are contiguous):
   * lane r of a row pair's vector is the chain of row i (lanes below HALF) or i + 1, column r mod
   * HALF, fused multiply-adds over p from zero as in the scalar reference; b's row p is in both
   * halves (b's rows p and p + 1 loaded as one vector, its lower half repeated; the last row from
   * the vector ending at it; a b shorter than a vector, one row, by lane inserts). Four row pairs
   * at a time; the last pair starts at rows - 2, so that an odd row count recomputes row rows - 2
   * (the same chains, the same bits). The whole inner dimension in one pass: b is small.
   */
  private static void gemmPairs(int rows, int inner, double alpha, double[] a, int ars, int acs, double[] b,
      double[] c) {
    // Rows of b whose vector from p * HALF stays inside b (none when b is shorter than a vector).
    int safe = b.length < VL ? 0 : Math.min(inner, (b.length - VL) / HALF + 1);
    pairs4(rows, inner, safe, alpha, a, ars, acs, b, c);
  }

  /**
   * c (rows x cols) = alpha A b for cols between half a vector and a vector (a net 5 to 7 units wide
   * in float64 on 512-bit vectors, 9 to 15 in float32): one vector per row of c, its lanes below
   * cols the row's chains (fused multiply-adds over p from zero, as in the scalar reference), the
   * lanes above them the first columns of the next row's (never stored: see below). b's row p is
   * the vector from p * cols; its last row, where that vector would pass b's end, is built once
   * by lane inserts. Four rows at a time, the whole inner dimension in one pass (b is small), the
   * last block repeating the last row. Rows are stored whole vectors in ascending order: each
   * store runs into the next row's first entries, which that row's own store (later) overwrites;
   * the last row, whose vector would pass c's end, is stored lane by lane.
   */
  private static void gemmPartial(int rows, int cols, int inner, double alpha, double[] a, int ars, int acs,
      double[] b, double[] c) {
    // Rows of b whose vector stays inside b: all but the last, since cols > VL / 2.
    int safe = b.length < VL ? 0 : Math.min(inner, (b.length - VL) / cols + 1);
    int lastOffset = (inner - 1) * cols;
    // Every row but the last is stored as a whole vector (which stays inside c's rows * cols entries).
    int lastRow = rows - 1;
    for (int i = 0; i < rows; i += 4) {
      int q0 = i;
      int q1 = Math.min(i + 1, lastRow);
      int q2 = Math.min(i + 2, lastRow);
      int q3 = Math.min(i + 3, lastRow);
      int a0 = q0 * ars;
      int a1 = q1 * ars;
      int a2 = q2 * ars;
      int a3 = q3 * ars;
      DoubleVector s0 = DoubleVector.zero(S);
      DoubleVector s1 = s0;
      DoubleVector s2 = s0;
      DoubleVector s3 = s0;
      for (int p = 0; p < safe; p++) {
        DoubleVector bp = DoubleVector.fromArray(S, b, p * cols);
        int ap = p * acs;
        s0 = DoubleVector.broadcast(S, a[a0 + ap]).fma(bp, s0);
        s1 = DoubleVector.broadcast(S, a[a1 + ap]).fma(bp, s1);
        s2 = DoubleVector.broadcast(S, a[a2 + ap]).fma(bp, s2);
        s3 = DoubleVector.broadcast(S, a[a3 + ap]).fma(bp, s3);
      }
      if (safe < inner) {
        // b's last row (the only one left, since cols > VL / 2), its lanes inserted.
        DoubleVector bp = firstLanes(b, lastOffset, cols);
        int ap = (inner - 1) * acs;
        s0 = DoubleVector.broadcast(S, a[a0 + ap]).fma(bp, s0);
        s1 = DoubleVector.broadcast(S, a[a1 + ap]).fma(bp, s1);
        s2 = DoubleVector.broadcast(S, a[a2 + ap]).fma(bp, s2);
        s3 = DoubleVector.broadcast(S, a[a3 + ap]).fma(bp, s3);
      }
      if (alpha != 1) {
        s0 = s0.mul(alpha);
        s1 = s1.mul(alpha);
        s2 = s2.mul(alpha);
        s3 = s3.mul(alpha);
      }
      storeRow(s0, q0 < lastRow, cols, c, q0 * cols);
      storeRow(s1, q1 < lastRow, cols, c, q1 * cols);
      storeRow(s2, q2 < lastRow, cols, c, q2 * cols);
      storeRow(s3, q3 < lastRow, cols, c, q3 * cols);
    }
  }

  /** Row r of {@link #gemmPartial}: the whole vector, or its first cols lanes one by one. */
  private static void storeRow(DoubleVector v, boolean whole, int cols, double[] c, int offset) {
    if (whole) {
      v.intoArray(c, offset);
      return;
    }
    // Constant lane indices (an extract each; VL is a constant, so the untaken branches fold away).
    c[offset] = v.lane(0);
    if (cols > 1) {
      c[offset + 1] = v.lane(1);
    }
    if (VL > 2 && cols > 2) {
      c[offset + 2] = v.lane(2);
      if (cols > 3) {
        c[offset + 3] = v.lane(3);
      }
    }
    if (VL > 4 && cols > 4) {
      c[offset + 4] = v.lane(4);
      if (cols > 5) {
        c[offset + 5] = v.lane(5);
      }
      if (cols > 6) {
        c[offset + 6] = v.lane(6);
      }
      if (cols > 7) {
        c[offset + 7] = v.lane(7);
      }
    }
    if (VL > 8 && cols > 8) {
      c[offset + 8] = v.lane(8);
      if (cols > 9) {
        c[offset + 9] = v.lane(9);
      }
      if (cols > 10) {
        c[offset + 10] = v.lane(10);
      }
      if (cols > 11) {
        c[offset + 11] = v.lane(11);
      }
      if (cols > 12) {
        c[offset + 12] = v.lane(12);
      }
      if (cols > 13) {
        c[offset + 13] = v.lane(13);
      }
      if (cols > 14) {
        c[offset + 14] = v.lane(14);
      }
    }
  }

  /** Lanes 0 .. cols - 1 = b[from ..], the rest 0: inserts with constant lane indices. */
  private static DoubleVector firstLanes(double[] b, int from, int cols) {
    DoubleVector v = DoubleVector.zero(S).withLane(0, b[from]);
    if (cols > 1) {
      v = v.withLane(1, b[from + 1]);
    }
    if (VL > 2 && cols > 2) {
      v = v.withLane(2, b[from + 2]);
      if (cols > 3) {
        v = v.withLane(3, b[from + 3]);
      }
    }
    if (VL > 4 && cols > 4) {
      v = v.withLane(4, b[from + 4]);
      if (cols > 5) {
        v = v.withLane(5, b[from + 5]);
      }
      if (cols > 6) {
        v = v.withLane(6, b[from + 6]);
      }
      if (cols > 7) {
        v = v.withLane(7, b[from + 7]);
      }
    }
    if (VL > 8 && cols > 8) {
      v = v.withLane(8, b[from + 8]);
      if (cols > 9) {
        v = v.withLane(9, b[from + 9]);
      }
      if (cols > 10) {
        v = v.withLane(10, b[from + 10]);
      }
      if (cols > 11) {
        v = v.withLane(11, b[from + 11]);
      }
      if (cols > 12) {
        v = v.withLane(12, b[from + 12]);
      }
      if (cols > 13) {
        v = v.withLane(13, b[from + 13]);
      }
      if (cols > 14) {
        v = v.withLane(14, b[from + 14]);
      }
    }
    return v;
  }

  /**
   * Lane l = b[l mod HALF]: lane by lane with constant indices (a register insert each; VL is a
   * constant, so the untaken branches fold away).
   */
  private static DoubleVector twice(double[] b) {
    DoubleVector v = DoubleVector.broadcast(S, b[0]);
    v = v.withLane(1, b[1 % HALF]);
    if (VL > 2) {
      v = v.withLane(2, b[2 % HALF]);
      v = v.withLane(3, b[3 % HALF]);
    }
    if (VL > 4) {
      v = v.withLane(4, b[4 % HALF]);
      v = v.withLane(5, b[5 % HALF]);
      v = v.withLane(6, b[6 % HALF]);
      v = v.withLane(7, b[7 % HALF]);
    }
    if (VL > 8) {
      v = v.withLane(8, b[8 % HALF]);
      v = v.withLane(9, b[9 % HALF]);
      v = v.withLane(10, b[10 % HALF]);
      v = v.withLane(11, b[11 % HALF]);
      v = v.withLane(12, b[12 % HALF]);
      v = v.withLane(13, b[13 % HALF]);
      v = v.withLane(14, b[14 % HALF]);
      v = v.withLane(15, b[15 % HALF]);
    }
    return v;
  }

  /** The row pairs of {@link #gemmPairs}, four at a time: 4 chains of vectors. */
  private static void pairs4(int rows, int inner, int safe, double alpha, double[] a, int ars, int acs, double[] b,
      double[] c) {
    int lastPair = rows - 2;
    for (int i = 0; i < rows; i += 8) {
      int q0 = Math.min(i, lastPair);
      int q1 = Math.min(i + 2, lastPair);
      int q2 = Math.min(i + 4, lastPair);
      int q3 = Math.min(i + 6, lastPair);
      DoubleVector s0 = DoubleVector.zero(S);
      DoubleVector s1 = s0;
      DoubleVector s2 = s0;
      DoubleVector s3 = s0;
      int a0 = q0 * ars;
      int a1 = q1 * ars;
      int a2 = q2 * ars;
      int a3 = q3 * ars;
      if (q1 == q3) {
        // At most two distinct pairs left (a product 4 or 5 rows high, or the last rows): two
        // chains, not four of which two repeat (the work per step, not the latency, bounds these).
        for (int p = 0; p < inner; p++) {
          DoubleVector bp = p < safe ? DoubleVector.fromArray(S, b, p * HALF).rearrange(LOWER_TWICE)
              : b.length < VL ? twice(b)
              : DoubleVector.fromArray(S, b, (p - 1) * HALF).rearrange(UPPER_TWICE);
          int ap = p * acs;
          s0 = DoubleVector.broadcast(S, a[a0 + ap]).blend(a[a0 + ars + ap], UPPER).fma(bp, s0);
          s1 = DoubleVector.broadcast(S, a[a1 + ap]).blend(a[a1 + ars + ap], UPPER).fma(bp, s1);
        }
        s2 = s3 = s1;
      }
      for (int p = 0; q1 != q3 && p < inner; p++) {
        DoubleVector bp = p < safe ? DoubleVector.fromArray(S, b, p * HALF).rearrange(LOWER_TWICE)
            : b.length < VL ? twice(b) // one inner step: pairs() lets b be shorter only then
            : DoubleVector.fromArray(S, b, (p - 1) * HALF).rearrange(UPPER_TWICE);
        int ap = p * acs;
        s0 = DoubleVector.broadcast(S, a[a0 + ap]).blend(a[a0 + ars + ap], UPPER).fma(bp, s0);
        s1 = DoubleVector.broadcast(S, a[a1 + ap]).blend(a[a1 + ars + ap], UPPER).fma(bp, s1);
        s2 = DoubleVector.broadcast(S, a[a2 + ap]).blend(a[a2 + ars + ap], UPPER).fma(bp, s2);
        s3 = DoubleVector.broadcast(S, a[a3 + ap]).blend(a[a3 + ars + ap], UPPER).fma(bp, s3);
      }
      if (alpha != 1) {
        s0 = s0.mul(alpha);
        s1 = s1.mul(alpha);
        s2 = s2.mul(alpha);
        s3 = s3.mul(alpha);
      }
      s0.intoArray(c, q0 * HALF);
      s1.intoArray(c, q1 * HALF);
      s2.intoArray(c, q2 * HALF);
      s3.intoArray(c, q3 * HALF);
    }
  }

  /**
   * Rows at a0..a3 (c's rows at c0..c3), the vectors of columns from ja, jb and jc: 12 chains. The
   * vectors may overlap (a tail); all of c's entries are read before any is written.
   */
  private static void kernel4x3(int rows, int ars, int acs, int ja, int jb, int jc, int p0, int p1, boolean first,
      double scale, double[] a, double[] b, int ldb, double[] c) {
    int lastRow = rows - 1;
    for (int i = 0; i < rows; i += 4) {
      int a0 = i * ars;
      int a1 = Math.min(i + 1, lastRow) * ars;
      int a2 = Math.min(i + 2, lastRow) * ars;
      int a3 = Math.min(i + 3, lastRow) * ars;
      int c0 = i * ldb;
      int c1 = Math.min(i + 1, lastRow) * ldb;
      int c2 = Math.min(i + 2, lastRow) * ldb;
      int c3 = Math.min(i + 3, lastRow) * ldb;
      DoubleVector s00;
      DoubleVector s01;
      DoubleVector s02;
      DoubleVector s10;
      DoubleVector s11;
      DoubleVector s12;
      DoubleVector s20;
      DoubleVector s21;
      DoubleVector s22;
      DoubleVector s30;
      DoubleVector s31;
      DoubleVector s32;
      if (first) {
        s00 = s01 = s02 = s10 = s11 = s12 = s20 = s21 = s22 = s30 = s31 = s32 = DoubleVector.zero(S);
      } else {
        s00 = DoubleVector.fromArray(S, c, c0 + ja);
        s01 = DoubleVector.fromArray(S, c, c0 + jb);
        s02 = DoubleVector.fromArray(S, c, c0 + jc);
        s10 = DoubleVector.fromArray(S, c, c1 + ja);
        s11 = DoubleVector.fromArray(S, c, c1 + jb);
        s12 = DoubleVector.fromArray(S, c, c1 + jc);
        s20 = DoubleVector.fromArray(S, c, c2 + ja);
        s21 = DoubleVector.fromArray(S, c, c2 + jb);
        s22 = DoubleVector.fromArray(S, c, c2 + jc);
        s30 = DoubleVector.fromArray(S, c, c3 + ja);
        s31 = DoubleVector.fromArray(S, c, c3 + jb);
        s32 = DoubleVector.fromArray(S, c, c3 + jc);
      }
      for (int p = p0; p < p1; p++) {
        int bp = p * ldb;
        DoubleVector b0 = DoubleVector.fromArray(S, b, bp + ja);
        DoubleVector b1 = DoubleVector.fromArray(S, b, bp + jb);
        DoubleVector b2 = DoubleVector.fromArray(S, b, bp + jc);
        int ap = p * acs;
        DoubleVector x = DoubleVector.broadcast(S, a[a0 + ap]);
        s00 = x.fma(b0, s00);
        s01 = x.fma(b1, s01);
        s02 = x.fma(b2, s02);
        x = DoubleVector.broadcast(S, a[a1 + ap]);
        s10 = x.fma(b0, s10);
        s11 = x.fma(b1, s11);
        s12 = x.fma(b2, s12);
        x = DoubleVector.broadcast(S, a[a2 + ap]);
        s20 = x.fma(b0, s20);
        s21 = x.fma(b1, s21);
        s22 = x.fma(b2, s22);
        x = DoubleVector.broadcast(S, a[a3 + ap]);
        s30 = x.fma(b0, s30);
        s31 = x.fma(b1, s31);
        s32 = x.fma(b2, s32);
      }
      if (scale != 1) {
        s00 = s00.mul(scale);
        s01 = s01.mul(scale);
        s02 = s02.mul(scale);
        s10 = s10.mul(scale);
        s11 = s11.mul(scale);
        s12 = s12.mul(scale);
        s20 = s20.mul(scale);
        s21 = s21.mul(scale);
        s22 = s22.mul(scale);
        s30 = s30.mul(scale);
        s31 = s31.mul(scale);
        s32 = s32.mul(scale);
      }
      s00.intoArray(c, c0 + ja);
      s01.intoArray(c, c0 + jb);
      s02.intoArray(c, c0 + jc);
      s10.intoArray(c, c1 + ja);
      s11.intoArray(c, c1 + jb);
      s12.intoArray(c, c1 + jc);
      s20.intoArray(c, c2 + ja);
      s21.intoArray(c, c2 + jb);
      s22.intoArray(c, c2 + jc);
      s30.intoArray(c, c3 + ja);
      s31.intoArray(c, c3 + jb);
      s32.intoArray(c, c3 + jc);
    }
  }

  /** {@link #kernel4x3} with two vectors of columns, from ja and jb: 8 chains. */
  private static void kernel4x2(int rows, int ars, int acs, int ja, int jb, int p0, int p1, boolean first,
      double scale, double[] a, double[] b, int ldb, double[] c) {
    int lastRow = rows - 1;
    for (int i = 0; i < rows; i += 4) {
      int a0 = i * ars;
      int a1 = Math.min(i + 1, lastRow) * ars;
      int a2 = Math.min(i + 2, lastRow) * ars;
      int a3 = Math.min(i + 3, lastRow) * ars;
      int c0 = i * ldb;
      int c1 = Math.min(i + 1, lastRow) * ldb;
      int c2 = Math.min(i + 2, lastRow) * ldb;
      int c3 = Math.min(i + 3, lastRow) * ldb;
      DoubleVector s00;
      DoubleVector s01;
      DoubleVector s10;
      DoubleVector s11;
      DoubleVector s20;
      DoubleVector s21;
      DoubleVector s30;
      DoubleVector s31;
      if (first) {
        s00 = s01 = s10 = s11 = s20 = s21 = s30 = s31 = DoubleVector.zero(S);
      } else {
        s00 = DoubleVector.fromArray(S, c, c0 + ja);
        s01 = DoubleVector.fromArray(S, c, c0 + jb);
        s10 = DoubleVector.fromArray(S, c, c1 + ja);
        s11 = DoubleVector.fromArray(S, c, c1 + jb);
        s20 = DoubleVector.fromArray(S, c, c2 + ja);
        s21 = DoubleVector.fromArray(S, c, c2 + jb);
        s30 = DoubleVector.fromArray(S, c, c3 + ja);
        s31 = DoubleVector.fromArray(S, c, c3 + jb);
      }
      for (int p = p0; p < p1; p++) {
        int bp = p * ldb;
        DoubleVector b0 = DoubleVector.fromArray(S, b, bp + ja);
        DoubleVector b1 = DoubleVector.fromArray(S, b, bp + jb);
        int ap = p * acs;
        DoubleVector x = DoubleVector.broadcast(S, a[a0 + ap]);
        s00 = x.fma(b0, s00);
        s01 = x.fma(b1, s01);
        x = DoubleVector.broadcast(S, a[a1 + ap]);
        s10 = x.fma(b0, s10);
        s11 = x.fma(b1, s11);
        x = DoubleVector.broadcast(S, a[a2 + ap]);
        s20 = x.fma(b0, s20);
        s21 = x.fma(b1, s21);
        x = DoubleVector.broadcast(S, a[a3 + ap]);
        s30 = x.fma(b0, s30);
        s31 = x.fma(b1, s31);
      }
      if (scale != 1) {
        s00 = s00.mul(scale);
        s01 = s01.mul(scale);
        s10 = s10.mul(scale);
        s11 = s11.mul(scale);
        s20 = s20.mul(scale);
        s21 = s21.mul(scale);
        s30 = s30.mul(scale);
        s31 = s31.mul(scale);
      }
      s00.intoArray(c, c0 + ja);
      s01.intoArray(c, c0 + jb);
      s10.intoArray(c, c1 + ja);
      s11.intoArray(c, c1 + jb);
      s20.intoArray(c, c2 + ja);
      s21.intoArray(c, c2 + jb);
      s30.intoArray(c, c3 + ja);
      s31.intoArray(c, c3 + jb);
    }
  }

  private static void kernel4x1(int rows, int ars, int acs, int ja, int p0, int p1, boolean first, double scale,
      double[] a, double[] b, int ldb, double[] c) {
    int lastRow = rows - 1;
    for (int i = 0; i < rows; i += 4) {
      int a0 = i * ars;
      int a1 = Math.min(i + 1, lastRow) * ars;
      int a2 = Math.min(i + 2, lastRow) * ars;
      int a3 = Math.min(i + 3, lastRow) * ars;
      int c0 = i * ldb;
      int c1 = Math.min(i + 1, lastRow) * ldb;
      int c2 = Math.min(i + 2, lastRow) * ldb;
      int c3 = Math.min(i + 3, lastRow) * ldb;
      DoubleVector s0;
      DoubleVector s1;
      DoubleVector s2;
      DoubleVector s3;
      if (first) {
        s0 = s1 = s2 = s3 = DoubleVector.zero(S);
      } else {
        s0 = DoubleVector.fromArray(S, c, c0 + ja);
        s1 = DoubleVector.fromArray(S, c, c1 + ja);
        s2 = DoubleVector.fromArray(S, c, c2 + ja);
        s3 = DoubleVector.fromArray(S, c, c3 + ja);
      }
      for (int p = p0; p < p1; p++) {
        DoubleVector b0 = DoubleVector.fromArray(S, b, p * ldb + ja);
        int ap = p * acs;
        s0 = DoubleVector.broadcast(S, a[a0 + ap]).fma(b0, s0);
        s1 = DoubleVector.broadcast(S, a[a1 + ap]).fma(b0, s1);
        s2 = DoubleVector.broadcast(S, a[a2 + ap]).fma(b0, s2);
        s3 = DoubleVector.broadcast(S, a[a3 + ap]).fma(b0, s3);
      }
      if (scale != 1) {
        s0 = s0.mul(scale);
        s1 = s1.mul(scale);
        s2 = s2.mul(scale);
        s3 = s3.mul(scale);
      }
      s0.intoArray(c, c0 + ja);
      s1.intoArray(c, c1 + ja);
      s2.intoArray(c, c2 + ja);
      s3.intoArray(c, c3 + ja);
    }
  }

  private static void kernel1x3(int i, int j, int p0, int p1, boolean first, double scale, double[] a, int ars,
      int acs, double[] b, int ldb, double[] c) {
    int c0 = i * ldb + j;
    DoubleVector s0;
    DoubleVector s1;
    DoubleVector s2;
    if (first) {
      s0 = s1 = s2 = DoubleVector.zero(S);
    } else {
      s0 = DoubleVector.fromArray(S, c, c0);
      s1 = DoubleVector.fromArray(S, c, c0 + VL);
      s2 = DoubleVector.fromArray(S, c, c0 + 2 * VL);
    }
    int a0 = i * ars;
    for (int p = p0; p < p1; p++) {
      int bp = p * ldb + j;
      DoubleVector x = DoubleVector.broadcast(S, a[a0 + p * acs]);
      s0 = x.fma(DoubleVector.fromArray(S, b, bp), s0);
      s1 = x.fma(DoubleVector.fromArray(S, b, bp + VL), s1);
      s2 = x.fma(DoubleVector.fromArray(S, b, bp + 2 * VL), s2);
    }
    if (scale != 1) {
      s0 = s0.mul(scale);
      s1 = s1.mul(scale);
      s2 = s2.mul(scale);
    }
    s0.intoArray(c, c0);
    s1.intoArray(c, c0 + VL);
    s2.intoArray(c, c0 + 2 * VL);
  }

  private static void kernel1x1(int i, int j, int p0, int p1, boolean first, double scale, double[] a, int ars,
      int acs, double[] b, int ldb, double[] c) {
    int c0 = i * ldb + j;
    DoubleVector s0;
    if (first) {
      s0 = DoubleVector.zero(S);
    } else {
      s0 = DoubleVector.fromArray(S, c, c0);
    }
    int a0 = i * ars;
    for (int p = p0; p < p1; p++) {
      s0 = DoubleVector.broadcast(S, a[a0 + p * acs]).fma(DoubleVector.fromArray(S, b, p * ldb + j), s0);
    }
    if (scale != 1) {
      s0 = s0.mul(scale);
    }
    s0.intoArray(c, c0);
  }

  /**
   * Rows at a0..a3 (offsets into a; c's rows at c0..c3) and columns ja, jb of c, eight scalar chains
   * side by side: the same chain per entry as {@link #scalar}. A repeated row or column (ja == jb)
   * computes the same chain twice and stores the same bits to the same place.
   */
  private static void scalar4x2(int rows, int ars, int acs, int ja, int jb, int p0, int p1, boolean first,
      double scale, double[] a, double[] b, int ldb, double[] c) {
    int lastRow = rows - 1;
    for (int i = 0; i < rows; i += 4) {
      int a0 = i * ars;
      int a1 = Math.min(i + 1, lastRow) * ars;
      int a2 = Math.min(i + 2, lastRow) * ars;
      int a3 = Math.min(i + 3, lastRow) * ars;
      int c0 = i * ldb;
      int c1 = Math.min(i + 1, lastRow) * ldb;
      int c2 = Math.min(i + 2, lastRow) * ldb;
      int c3 = Math.min(i + 3, lastRow) * ldb;
      double s00 = 0;
      double s01 = 0;
      double s10 = 0;
      double s11 = 0;
      double s20 = 0;
      double s21 = 0;
      double s30 = 0;
      double s31 = 0;
      if (!first) {
        s00 = c[c0 + ja];
        s01 = c[c0 + jb];
        s10 = c[c1 + ja];
        s11 = c[c1 + jb];
        s20 = c[c2 + ja];
        s21 = c[c2 + jb];
        s30 = c[c3 + ja];
        s31 = c[c3 + jb];
      }
      for (int p = p0; p < p1; p++) {
        int bp = p * ldb;
        double b0 = b[bp + ja];
        double b1 = b[bp + jb];
        int ap = p * acs;
        double x0 = a[a0 + ap];
        double x1 = a[a1 + ap];
        double x2 = a[a2 + ap];
        double x3 = a[a3 + ap];
        s00 = Math.fma(x0, b0, s00);
        s01 = Math.fma(x0, b1, s01);
        s10 = Math.fma(x1, b0, s10);
        s11 = Math.fma(x1, b1, s11);
        s20 = Math.fma(x2, b0, s20);
        s21 = Math.fma(x2, b1, s21);
        s30 = Math.fma(x3, b0, s30);
        s31 = Math.fma(x3, b1, s31);
      }
      if (scale != 1) {
        s00 *= scale;
        s01 *= scale;
        s10 *= scale;
        s11 *= scale;
        s20 *= scale;
        s21 *= scale;
        s30 *= scale;
        s31 *= scale;
      }
      c[c0 + ja] = s00;
      c[c0 + jb] = s01;
      c[c1 + ja] = s10;
      c[c1 + jb] = s11;
      c[c2 + ja] = s20;
      c[c2 + jb] = s21;
      c[c3 + ja] = s30;
      c[c3 + jb] = s31;
    }
  }

  private static void scalar(int i, int j, int p0, int p1, boolean first, double scale, double[] a, int ars,
      int acs, double[] b, int ldb, double[] c) {
    int ci = i * ldb + j;
    double s = first ? 0 : c[ci];
    int a0 = i * ars;
    for (int p = p0; p < p1; p++) {
      s = Math.fma(a[a0 + p * acs], b[p * ldb + j], s);
    }
    c[ci] = scale != 1 ? s * scale : s;
  }
}
