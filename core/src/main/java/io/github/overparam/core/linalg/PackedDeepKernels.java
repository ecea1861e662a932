package io.github.overparam.core.linalg;

import static io.github.overparam.core.linalg.DoubleKernels.PARTIALS;
import static io.github.overparam.core.linalg.DoubleKernels.S;
import static io.github.overparam.core.linalg.DoubleKernels.VL;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The products of {@link #LANES} fully connected nets trained side by side, one net in each lane of a
 * float64 vector: every array holds entry e of net l at {@code e * LANES + l}, so each vector
 * operation is the scalar reference's operation ({@link ScalarDoubleKernels}) on every net at once
 * and a net's arithmetic never meets its neighbours'. Lane l's bits are those of net l's product
 * alone, on any vector width: each entry is the chain of fused multiply-adds over the inner index
 * in order from +0, as in {@link DoubleKernels}; a single-column product ({@link #multVec}) sums
 * the same {@link DoubleKernels#PARTIALS} partial sums in the same order.
 *
 * <p>Narrow nets are where this pays: a net 4 to 32 units wide fills a vector with the same
 * operation on 8 nets, where alone it fills it with row pairs, shuffles and short chains. The
 * products run in tiles of 4 x 4 entries (16 chains, 8 vector loads per 16 fused multiply-adds);
 * tiles past the last row or column repeat it (the same chains, stored with the same bits). No
 * allocation; stateless, thread-safe.
 */
public final class PackedDeepKernels {
  private PackedDeepKernels() {}

  /** Nets per vector: the lanes of the preferred float64 vector. */
  public static final int LANES = VL;

  /** Whether these products run here: the vector kernels. */
  public static final boolean AVAILABLE = Dense.vectorized();

  /** The product's entries as they are. */
  public static final int PLAIN = 0;

  /** max(entry, 0), NaN giving 0 (as {@link ScalarDoubleKernels#relu}). */
  public static final int RELU = 1;

  /** The entry where the gate's entry is > 0, else +0 (as {@link ScalarDoubleKernels#reluMask}). */
  public static final int MASK = 2;

  /** Inner steps per pass over c's tiles when the inner dimension is long (a gradient's sum over rows). */
  private static final int INNER_BLOCK = 16;

  /** Inner dimensions up to this run in one pass. */
  private static final int ONE_PASS = 64;

  /**
   * c (rows x cols, row-major) = A B, A(i, p) the entry {@code i * ars + p * acs} of a and B(p, j) the
   * entry {@code p * brs + j * bcs} of b (entries, each {@link #LANES} doubles), every entry of c the
   * chain fma(A(i, p), B(p, j), .) over p from +0; then, by {@code mode}, rectified ({@link #RELU})
   * or masked by {@code gate} (rows x cols, {@link #MASK}). Entry 0 of each matrix is index {@code ao}
   * of a ({@code bo} of b, {@code co} of c, {@code go} of gate): where a cache line starts, so that no
   * vector load straddles two lines. c must not overlap a, b or gate.
   */
  public static void product(int rows, int cols, int inner, double[] a, int ao, int ars, int acs, double[] b, int bo,
      int brs, int bcs, double[] c, int co, int mode, double[] gate, int go) {
    if (!AVAILABLE) {
      throw new IllegalStateException("packed products need the vector kernels (jdk.incubator.vector)");
    }
    if (inner == 1 && mode != RELU) {
      outer(rows, cols, a, ao, ars, b, bo, bcs, c, co, mode == MASK ? gate : null, go);
      return;
    }
    int lastI = rows - 1;
    int lastJ = cols - 1;
    // One pass over the inner index: every tile starts from +0 and ends there, so it rectifies or
    // masks its entries in registers before its stores (the same operation as the epilogue pass).
    boolean fused = inner <= ONE_PASS;
    int tileMode = fused ? mode : PLAIN;
    int block = fused ? Math.max(inner, 1) : INNER_BLOCK;
    for (int p0 = 0; p0 < Math.max(inner, 1); p0 += block) {
      int p1 = Math.min(inner, p0 + block);
      boolean first = p0 == 0;
      for (int i = 0; i < rows; i += 4) {
        int i1 = Math.min(i + 1, lastI);
        int i2 = Math.min(i + 2, lastI);
        int i3 = Math.min(i + 3, lastI);
        int a0 = i * ars;
        int c0 = i * cols;
        int c1 = i1 * cols;
        int c2 = i2 * cols;
        int c3 = i3 * cols;
        boolean adjacentRows = ars == 1 && i + 3 <= lastI;
        // B's columns adjacent: the strip's whole tiles in one call, the last columns (fewer than 4) below.
        int j = bcs == 1 ? cols & ~3 : 0;
        if (j > 0 && first && adjacentRows) {
          stripFromZeroAb(p0, p1, a, ao, a0, a0, a0, a0, acs, b, bo, brs, c, co, c0, c1, c2, c3, j, tileMode, gate,
              go);
        } else if (j > 0 && first) {
          stripFromZeroB(p0, p1, a, ao, a0, i1 * ars, i2 * ars, i3 * ars, acs, b, bo, brs, c, co, c0, c1, c2, c3, j,
              tileMode, gate, go);
        } else if (j > 0 && adjacentRows) {
          stripOnAb(p0, p1, a, ao, a0, a0, a0, a0, acs, b, bo, brs, c, co, c0, c1, c2, c3, j);
        } else {
          j = 0;
        }
        for (; j < cols; j += 4) {
          int j1 = Math.min(j + 1, lastJ);
          int j2 = Math.min(j + 2, lastJ);
          int j3 = Math.min(j + 3, lastJ);
          if (first) {
            tileFromZero(p0, p1, a, ao, a0, i1 * ars, i2 * ars, i3 * ars, acs, b, bo, j * bcs, j1 * bcs, j2 * bcs,
                j3 * bcs, brs, c, co, c0, c1, c2, c3, j, j1, j2, j3, tileMode, gate, go);
          } else {
            tileOn(p0, p1, a, ao, a0, i1 * ars, i2 * ars, i3 * ars, acs, b, bo, j * bcs, j1 * bcs, j2 * bcs, j3 * bcs,
                brs, c, co, c0, c1, c2, c3, j, j1, j2, j3);
          }
        }
      }
    }
    if (mode != PLAIN && !fused) {
      epilogue(rows * cols, mode, c, co, gate, go);
    }
  }

  /**
   * One 4 x 4 tile of c over the inner steps p0 .. p1 - 1, from +0: rows i0..i3 of A at entries a0..a3,
   * columns j0..j3 of B at b0..b3, c's rows at c0..c3 (entries; ao, bo and co: the matrices' first
   * indices, in doubles). The strips below are this tile with fewer live indices, where B's four
   * columns (bcs 1) and A's four rows (ars 1) are adjacent entries: with 16 accumulators live, C2
   * spills what does not fit the registers, and the tile alone ran 56 GFLOP/s generic, 64-69 with B's
   * columns adjacent, 72 with both (one 512-bit core, operands in L1); and they sweep a strip of 4 rows
   * across its whole tiles in one call (a call per tile, with its 27 arguments, cost the packed step
   * 5-15% at 8-32 units). Separate methods, not branches: one tile with a branch on its start ran the
   * packed step 1.3 times slower.
   */
  private static void tileFromZero(int p0, int p1, double[] a, int ao, int a0, int a1, int a2, int a3,
      int acs, double[] b, int bo, int b0, int b1, int b2, int b3, int brs, double[] c, int co, int c0, int c1,
      int c2, int c3, int j0, int j1, int j2, int j3, int mode, double[] gate, int go) {
    DoubleVector s00 = DoubleVector.zero(S);
    DoubleVector s01 = s00;
    DoubleVector s02 = s00;
    DoubleVector s03 = s00;
    DoubleVector s10 = s00;
    DoubleVector s11 = s00;
    DoubleVector s12 = s00;
    DoubleVector s13 = s00;
    DoubleVector s20 = s00;
    DoubleVector s21 = s00;
    DoubleVector s22 = s00;
    DoubleVector s23 = s00;
    DoubleVector s30 = s00;
    DoubleVector s31 = s00;
    DoubleVector s32 = s00;
    DoubleVector s33 = s00;
    int acsV = acs * VL;
    int brsV = brs * VL;
    int ap0 = ao + (a0 + p0 * acs) * VL;
    int ap1 = ao + (a1 + p0 * acs) * VL;
    int ap2 = ao + (a2 + p0 * acs) * VL;
    int ap3 = ao + (a3 + p0 * acs) * VL;
    int bp0 = bo + (b0 + p0 * brs) * VL;
    int bp1 = bo + (b1 + p0 * brs) * VL;
    int bp2 = bo + (b2 + p0 * brs) * VL;
    int bp3 = bo + (b3 + p0 * brs) * VL;
    for (int p = p0; p < p1; p++) {
      DoubleVector v0 = DoubleVector.fromArray(S, b, bp0);
      DoubleVector v1 = DoubleVector.fromArray(S, b, bp1);
      DoubleVector v2 = DoubleVector.fromArray(S, b, bp2);
      DoubleVector v3 = DoubleVector.fromArray(S, b, bp3);
      bp0 += brsV;
      bp1 += brsV;
      bp2 += brsV;
      bp3 += brsV;
      DoubleVector u = DoubleVector.fromArray(S, a, ap0);
      s00 = u.fma(v0, s00);
      s01 = u.fma(v1, s01);
      s02 = u.fma(v2, s02);
      s03 = u.fma(v3, s03);
      u = DoubleVector.fromArray(S, a, ap1);
      s10 = u.fma(v0, s10);
      s11 = u.fma(v1, s11);
      s12 = u.fma(v2, s12);
      s13 = u.fma(v3, s13);
      u = DoubleVector.fromArray(S, a, ap2);
      s20 = u.fma(v0, s20);
      s21 = u.fma(v1, s21);
      s22 = u.fma(v2, s22);
      s23 = u.fma(v3, s23);
      u = DoubleVector.fromArray(S, a, ap3);
      s30 = u.fma(v0, s30);
      s31 = u.fma(v1, s31);
      s32 = u.fma(v2, s32);
      s33 = u.fma(v3, s33);
      ap0 += acsV;
      ap1 += acsV;
      ap2 += acsV;
      ap3 += acsV;
    }
    if (mode == PLAIN) {
      s00.intoArray(c, co + (c0 + j0) * VL);
      s01.intoArray(c, co + (c0 + j1) * VL);
      s02.intoArray(c, co + (c0 + j2) * VL);
      s03.intoArray(c, co + (c0 + j3) * VL);
      s10.intoArray(c, co + (c1 + j0) * VL);
      s11.intoArray(c, co + (c1 + j1) * VL);
      s12.intoArray(c, co + (c1 + j2) * VL);
      s13.intoArray(c, co + (c1 + j3) * VL);
      s20.intoArray(c, co + (c2 + j0) * VL);
      s21.intoArray(c, co + (c2 + j1) * VL);
      s22.intoArray(c, co + (c2 + j2) * VL);
      s23.intoArray(c, co + (c2 + j3) * VL);
      s30.intoArray(c, co + (c3 + j0) * VL);
      s31.intoArray(c, co + (c3 + j1) * VL);
      s32.intoArray(c, co + (c3 + j2) * VL);
      s33.intoArray(c, co + (c3 + j3) * VL);
    } else if (mode == RELU) {
      // The epilogue of product in registers (the same operation): max(entry, 0), NaN giving 0.
      DoubleVector zero = DoubleVector.zero(S);
      zero.blend(s00, s00.compare(VectorOperators.GT, zero)).intoArray(c, co + (c0 + j0) * VL);
      zero.blend(s01, s01.compare(VectorOperators.GT, zero)).intoArray(c, co + (c0 + j1) * VL);
      zero.blend(s02, s02.compare(VectorOperators.GT, zero)).intoArray(c, co + (c0 + j2) * VL);
      zero.blend(s03, s03.compare(VectorOperators.GT, zero)).intoArray(c, co + (c0 + j3) * VL);
      zero.blend(s10, s10.compare(VectorOperators.GT, zero)).intoArray(c, co + (c1 + j0) * VL);
      zero.blend(s11, s11.compare(VectorOperators.GT, zero)).intoArray(c, co + (c1 + j1) * VL);
      zero.blend(s12, s12.compare(VectorOperators.GT, zero)).intoArray(c, co + (c1 + j2) * VL);
      zero.blend(s13, s13.compare(VectorOperators.GT, zero)).intoArray(c, co + (c1 + j3) * VL);
      zero.blend(s20, s20.compare(VectorOperators.GT, zero)).intoArray(c, co + (c2 + j0) * VL);
      zero.blend(s21, s21.compare(VectorOperators.GT, zero)).intoArray(c, co + (c2 + j1) * VL);
      zero.blend(s22, s22.compare(VectorOperators.GT, zero)).intoArray(c, co + (c2 + j2) * VL);
      zero.blend(s23, s23.compare(VectorOperators.GT, zero)).intoArray(c, co + (c2 + j3) * VL);
      zero.blend(s30, s30.compare(VectorOperators.GT, zero)).intoArray(c, co + (c3 + j0) * VL);
      zero.blend(s31, s31.compare(VectorOperators.GT, zero)).intoArray(c, co + (c3 + j1) * VL);
      zero.blend(s32, s32.compare(VectorOperators.GT, zero)).intoArray(c, co + (c3 + j2) * VL);
      zero.blend(s33, s33.compare(VectorOperators.GT, zero)).intoArray(c, co + (c3 + j3) * VL);
    } else {
      // The entry where the gate's entry is > 0, else +0.
      DoubleVector zero = DoubleVector.zero(S);
      zero.blend(s00, DoubleVector.fromArray(S, gate, go + (c0 + j0) * VL).compare(VectorOperators.GT, zero)).intoArray(
          c, co + (c0 + j0) * VL);
      zero.blend(s01, DoubleVector.fromArray(S, gate, go + (c0 + j1) * VL).compare(VectorOperators.GT, zero)).intoArray(
          c, co + (c0 + j1) * VL);
      zero.blend(s02, DoubleVector.fromArray(S, gate, go + (c0 + j2) * VL).compare(VectorOperators.GT, zero)).intoArray(
          c, co + (c0 + j2) * VL);
      zero.blend(s03, DoubleVector.fromArray(S, gate, go + (c0 + j3) * VL).compare(VectorOperators.GT, zero)).intoArray(
          c, co + (c0 + j3) * VL);
      zero.blend(s10, DoubleVector.fromArray(S, gate, go + (c1 + j0) * VL).compare(VectorOperators.GT, zero)).intoArray(
          c, co + (c1 + j0) * VL);
      zero.blend(s11, DoubleVector.fromArray(S, gate, go + (c1 + j1) * VL).compare(VectorOperators.GT, zero)).intoArray(
          c, co + (c1 + j1) * VL);
      zero.blend(s12, DoubleVector.fromArray(S, gate, go + (c1 + j2) * VL).compare(VectorOperators.GT, zero)).intoArray(
          c, co + (c1 + j2) * VL);
      zero.blend(s13, DoubleVector.fromArray(S, gate, go + (c1 + j3) * VL).compare(VectorOperators.GT, zero)).intoArray(
          c, co + (c1 + j3) * VL);
      zero.blend(s20, DoubleVector.fromArray(S, gate, go + (c2 + j0) * VL).compare(VectorOperators.GT, zero)).intoArray(
          c, co + (c2 + j0) * VL);
      zero.blend(s21, DoubleVector.fromArray(S, gate, go + (c2 + j1) * VL).compare(VectorOperators.GT, zero)).intoArray(
          c, co + (c2 + j1) * VL);
      zero.blend(s22, DoubleVector.fromArray(S, gate, go + (c2 + j2) * VL).compare(VectorOperators.GT, zero)).intoArray(
          c, co + (c2 + j2) * VL);
      zero.blend(s23, DoubleVector.fromArray(S, gate, go + (c2 + j3) * VL).compare(VectorOperators.GT, zero)).intoArray(
          c, co + (c2 + j3) * VL);
      zero.blend(s30, DoubleVector.fromArray(S, gate, go + (c3 + j0) * VL).compare(VectorOperators.GT, zero)).intoArray(
          c, co + (c3 + j0) * VL);
      zero.blend(s31, DoubleVector.fromArray(S, gate, go + (c3 + j1) * VL).compare(VectorOperators.GT, zero)).intoArray(
          c, co + (c3 + j1) * VL);
      zero.blend(s32, DoubleVector.fromArray(S, gate, go + (c3 + j2) * VL).compare(VectorOperators.GT, zero)).intoArray(
          c, co + (c3 + j2) * VL);
      zero.blend(s33, DoubleVector.fromArray(S, gate, go + (c3 + j3) * VL).compare(VectorOperators.GT, zero)).intoArray(
          c, co + (c3 + j3) * VL);
    }
  }

  /**
   * {@link #tileFromZero} on every whole tile of a strip of 4 rows, B's columns adjacent (B(p, j) the
   * entry {@code p * brs + j}): the tiles at columns 0, 4, ... jEnd - 4, one call for the strip.
   */
  private static void stripFromZeroB(int p0, int p1, double[] a, int ao, int a0, int a1, int a2, int a3, int acs,
      double[] b, int bo, int brs,
      double[] c, int co, int c0, int c1, int c2, int c3, int jEnd, int mode,
      double[] gate, int go) {
    int acsV = acs * VL;
    int brsV = brs * VL;
    for (int j = 0; j < jEnd; j += 4) {
      DoubleVector s00 = DoubleVector.zero(S);
      DoubleVector s01 = s00;
      DoubleVector s02 = s00;
      DoubleVector s03 = s00;
      DoubleVector s10 = s00;
      DoubleVector s11 = s00;
      DoubleVector s12 = s00;
      DoubleVector s13 = s00;
      DoubleVector s20 = s00;
      DoubleVector s21 = s00;
      DoubleVector s22 = s00;
      DoubleVector s23 = s00;
      DoubleVector s30 = s00;
      DoubleVector s31 = s00;
      DoubleVector s32 = s00;
      DoubleVector s33 = s00;
      int ap0 = ao + (a0 + p0 * acs) * VL;
      int ap1 = ao + (a1 + p0 * acs) * VL;
      int ap2 = ao + (a2 + p0 * acs) * VL;
      int ap3 = ao + (a3 + p0 * acs) * VL;
      int bp0 = bo + (j + p0 * brs) * VL;
      for (int p = p0; p < p1; p++) {
        DoubleVector v0 = DoubleVector.fromArray(S, b, bp0);
        DoubleVector v1 = DoubleVector.fromArray(S, b, bp0 + 1 * VL);
        DoubleVector v2 = DoubleVector.fromArray(S, b, bp0 + 2 * VL);
        DoubleVector v3 = DoubleVector.fromArray(S, b, bp0 + 3 * VL);
        bp0 += brsV;
        DoubleVector u = DoubleVector.fromArray(S, a, ap0);
        s00 = u.fma(v0, s00);
        s01 = u.fma(v1, s01);
        s02 = u.fma(v2, s02);
        s03 = u.fma(v3, s03);
        u = DoubleVector.fromArray(S, a, ap1);
        s10 = u.fma(v0, s10);
        s11 = u.fma(v1, s11);
        s12 = u.fma(v2, s12);
        s13 = u.fma(v3, s13);
        u = DoubleVector.fromArray(S, a, ap2);
        s20 = u.fma(v0, s20);
        s21 = u.fma(v1, s21);
        s22 = u.fma(v2, s22);
        s23 = u.fma(v3, s23);
        u = DoubleVector.fromArray(S, a, ap3);
        s30 = u.fma(v0, s30);
        s31 = u.fma(v1, s31);
        s32 = u.fma(v2, s32);
        s33 = u.fma(v3, s33);
        ap0 += acsV;
        ap1 += acsV;
        ap2 += acsV;
        ap3 += acsV;
      }
      if (mode == PLAIN) {
        s00.intoArray(c, co + (c0 + j + 0) * VL);
        s01.intoArray(c, co + (c0 + j + 1) * VL);
        s02.intoArray(c, co + (c0 + j + 2) * VL);
        s03.intoArray(c, co + (c0 + j + 3) * VL);
        s10.intoArray(c, co + (c1 + j + 0) * VL);
        s11.intoArray(c, co + (c1 + j + 1) * VL);
        s12.intoArray(c, co + (c1 + j + 2) * VL);
        s13.intoArray(c, co + (c1 + j + 3) * VL);
        s20.intoArray(c, co + (c2 + j + 0) * VL);
        s21.intoArray(c, co + (c2 + j + 1) * VL);
        s22.intoArray(c, co + (c2 + j + 2) * VL);
        s23.intoArray(c, co + (c2 + j + 3) * VL);
        s30.intoArray(c, co + (c3 + j + 0) * VL);
        s31.intoArray(c, co + (c3 + j + 1) * VL);
        s32.intoArray(c, co + (c3 + j + 2) * VL);
        s33.intoArray(c, co + (c3 + j + 3) * VL);
      } else if (mode == RELU) {
        // The epilogue of product in registers (the same operation): max(entry, 0), NaN giving 0.
        DoubleVector zero = DoubleVector.zero(S);
        zero.blend(s00, s00.compare(VectorOperators.GT, zero)).intoArray(c, co + (c0 + j + 0) * VL);
        zero.blend(s01, s01.compare(VectorOperators.GT, zero)).intoArray(c, co + (c0 + j + 1) * VL);
        zero.blend(s02, s02.compare(VectorOperators.GT, zero)).intoArray(c, co + (c0 + j + 2) * VL);
        zero.blend(s03, s03.compare(VectorOperators.GT, zero)).intoArray(c, co + (c0 + j + 3) * VL);
        zero.blend(s10, s10.compare(VectorOperators.GT, zero)).intoArray(c, co + (c1 + j + 0) * VL);
        zero.blend(s11, s11.compare(VectorOperators.GT, zero)).intoArray(c, co + (c1 + j + 1) * VL);
        zero.blend(s12, s12.compare(VectorOperators.GT, zero)).intoArray(c, co + (c1 + j + 2) * VL);
        zero.blend(s13, s13.compare(VectorOperators.GT, zero)).intoArray(c, co + (c1 + j + 3) * VL);
        zero.blend(s20, s20.compare(VectorOperators.GT, zero)).intoArray(c, co + (c2 + j + 0) * VL);
        zero.blend(s21, s21.compare(VectorOperators.GT, zero)).intoArray(c, co + (c2 + j + 1) * VL);
        zero.blend(s22, s22.compare(VectorOperators.GT, zero)).intoArray(c, co + (c2 + j + 2) * VL);
        zero.blend(s23, s23.compare(VectorOperators.GT, zero)).intoArray(c, co + (c2 + j + 3) * VL);
        zero.blend(s30, s30.compare(VectorOperators.GT, zero)).intoArray(c, co + (c3 + j + 0) * VL);
        zero.blend(s31, s31.compare(VectorOperators.GT, zero)).intoArray(c, co + (c3 + j + 1) * VL);
        zero.blend(s32, s32.compare(VectorOperators.GT, zero)).intoArray(c, co + (c3 + j + 2) * VL);
        zero.blend(s33, s33.compare(VectorOperators.GT, zero)).intoArray(c, co + (c3 + j + 3) * VL);
      } else {
        // The entry where the gate's entry is > 0, else +0.
        DoubleVector zero = DoubleVector.zero(S);
        zero.blend(s00, DoubleVector.fromArray(S, gate, go + (c0 + j + 0) * VL).compare(VectorOperators.GT,
            zero)).intoArray(c, co + (c0 + j + 0) * VL);
        zero.blend(s01, DoubleVector.fromArray(S, gate, go + (c0 + j + 1) * VL).compare(VectorOperators.GT,
            zero)).intoArray(c, co + (c0 + j + 1) * VL);
        zero.blend(s02, DoubleVector.fromArray(S, gate, go + (c0 + j + 2) * VL).compare(VectorOperators.GT,
            zero)).intoArray(c, co + (c0 + j + 2) * VL);
        zero.blend(s03, DoubleVector.fromArray(S, gate, go + (c0 + j + 3) * VL).compare(VectorOperators.GT,
            zero)).intoArray(c, co + (c0 + j + 3) * VL);
        zero.blend(s10, DoubleVector.fromArray(S, gate, go + (c1 + j + 0) * VL).compare(VectorOperators.GT,
            zero)).intoArray(c, co + (c1 + j + 0) * VL);
        zero.blend(s11, DoubleVector.fromArray(S, gate, go + (c1 + j + 1) * VL).compare(VectorOperators.GT,
            zero)).intoArray(c, co + (c1 + j + 1) * VL);
        zero.blend(s12, DoubleVector.fromArray(S, gate, go + (c1 + j + 2) * VL).compare(VectorOperators.GT,
            zero)).intoArray(c, co + (c1 + j + 2) * VL);
        zero.blend(s13, DoubleVector.fromArray(S, gate, go + (c1 + j + 3) * VL).compare(VectorOperators.GT,
            zero)).intoArray(c, co + (c1 + j + 3) * VL);
        zero.blend(s20, DoubleVector.fromArray(S, gate, go + (c2 + j + 0) * VL).compare(VectorOperators.GT,
            zero)).intoArray(c, co + (c2 + j + 0) * VL);
        zero.blend(s21, DoubleVector.fromArray(S, gate, go + (c2 + j + 1) * VL).compare(VectorOperators.GT,
            zero)).intoArray(c, co + (c2 + j + 1) * VL);
        zero.blend(s22, DoubleVector.fromArray(S, gate, go + (c2 + j + 2) * VL).compare(VectorOperators.GT,
            zero)).intoArray(c, co + (c2 + j + 2) * VL);
        zero.blend(s23, DoubleVector.fromArray(S, gate, go + (c2 + j + 3) * VL).compare(VectorOperators.GT,
            zero)).intoArray(c, co + (c2 + j + 3) * VL);
        zero.blend(s30, DoubleVector.fromArray(S, gate, go + (c3 + j + 0) * VL).compare(VectorOperators.GT,
            zero)).intoArray(c, co + (c3 + j + 0) * VL);
        zero.blend(s31, DoubleVector.fromArray(S, gate, go + (c3 + j + 1) * VL).compare(VectorOperators.GT,
            zero)).intoArray(c, co + (c3 + j + 1) * VL);
        zero.blend(s32, DoubleVector.fromArray(S, gate, go + (c3 + j + 2) * VL).compare(VectorOperators.GT,
            zero)).intoArray(c, co + (c3 + j + 2) * VL);
        zero.blend(s33, DoubleVector.fromArray(S, gate, go + (c3 + j + 3) * VL).compare(VectorOperators.GT,
            zero)).intoArray(c, co + (c3 + j + 3) * VL);
      }
    }
  }

  /**
   * {@link #stripFromZeroB} with A's four rows adjacent too (a1..a3 unused).
   */
  private static void stripFromZeroAb(int p0, int p1, double[] a, int ao, int a0, int a1, int a2, int a3, int acs,
      double[] b, int bo, int brs,
      double[] c, int co, int c0, int c1, int c2, int c3, int jEnd, int mode,
      double[] gate, int go) {
    int acsV = acs * VL;
    int brsV = brs * VL;
    for (int j = 0; j < jEnd; j += 4) {
      DoubleVector s00 = DoubleVector.zero(S);
      DoubleVector s01 = s00;
      DoubleVector s02 = s00;
      DoubleVector s03 = s00;
      DoubleVector s10 = s00;
      DoubleVector s11 = s00;
      DoubleVector s12 = s00;
      DoubleVector s13 = s00;
      DoubleVector s20 = s00;
      DoubleVector s21 = s00;
      DoubleVector s22 = s00;
      DoubleVector s23 = s00;
      DoubleVector s30 = s00;
      DoubleVector s31 = s00;
      DoubleVector s32 = s00;
      DoubleVector s33 = s00;
      int ap0 = ao + (a0 + p0 * acs) * VL;
      int bp0 = bo + (j + p0 * brs) * VL;
      for (int p = p0; p < p1; p++) {
        DoubleVector v0 = DoubleVector.fromArray(S, b, bp0);
        DoubleVector v1 = DoubleVector.fromArray(S, b, bp0 + 1 * VL);
        DoubleVector v2 = DoubleVector.fromArray(S, b, bp0 + 2 * VL);
        DoubleVector v3 = DoubleVector.fromArray(S, b, bp0 + 3 * VL);
        bp0 += brsV;
        DoubleVector u = DoubleVector.fromArray(S, a, ap0);
        s00 = u.fma(v0, s00);
        s01 = u.fma(v1, s01);
        s02 = u.fma(v2, s02);
        s03 = u.fma(v3, s03);
        u = DoubleVector.fromArray(S, a, ap0 + 1 * VL);
        s10 = u.fma(v0, s10);
        s11 = u.fma(v1, s11);
        s12 = u.fma(v2, s12);
        s13 = u.fma(v3, s13);
        u = DoubleVector.fromArray(S, a, ap0 + 2 * VL);
        s20 = u.fma(v0, s20);
        s21 = u.fma(v1, s21);
        s22 = u.fma(v2, s22);
        s23 = u.fma(v3, s23);
        u = DoubleVector.fromArray(S, a, ap0 + 3 * VL);
        s30 = u.fma(v0, s30);
        s31 = u.fma(v1, s31);
        s32 = u.fma(v2, s32);
        s33 = u.fma(v3, s33);
        ap0 += acsV;
      }
      if (mode == PLAIN) {
        s00.intoArray(c, co + (c0 + j + 0) * VL);
        s01.intoArray(c, co + (c0 + j + 1) * VL);
        s02.intoArray(c, co + (c0 + j + 2) * VL);
        s03.intoArray(c, co + (c0 + j + 3) * VL);
        s10.intoArray(c, co + (c1 + j + 0) * VL);
        s11.intoArray(c, co + (c1 + j + 1) * VL);
        s12.intoArray(c, co + (c1 + j + 2) * VL);
        s13.intoArray(c, co + (c1 + j + 3) * VL);
        s20.intoArray(c, co + (c2 + j + 0) * VL);
        s21.intoArray(c, co + (c2 + j + 1) * VL);
        s22.intoArray(c, co + (c2 + j + 2) * VL);
        s23.intoArray(c, co + (c2 + j + 3) * VL);
        s30.intoArray(c, co + (c3 + j + 0) * VL);
        s31.intoArray(c, co + (c3 + j + 1) * VL);
        s32.intoArray(c, co + (c3 + j + 2) * VL);
        s33.intoArray(c, co + (c3 + j + 3) * VL);
      } else if (mode == RELU) {
        // The epilogue of product in registers (the same operation): max(entry, 0), NaN giving 0.
        DoubleVector zero = DoubleVector.zero(S);
        zero.blend(s00, s00.compare(VectorOperators.GT, zero)).intoArray(c, co + (c0 + j + 0) * VL);
        zero.blend(s01, s01.compare(VectorOperators.GT, zero)).intoArray(c, co + (c0 + j + 1) * VL);
        zero.blend(s02, s02.compare(VectorOperators.GT, zero)).intoArray(c, co + (c0 + j + 2) * VL);
        zero.blend(s03, s03.compare(VectorOperators.GT, zero)).intoArray(c, co + (c0 + j + 3) * VL);
        zero.blend(s10, s10.compare(VectorOperators.GT, zero)).intoArray(c, co + (c1 + j + 0) * VL);
        zero.blend(s11, s11.compare(VectorOperators.GT, zero)).intoArray(c, co + (c1 + j + 1) * VL);
        zero.blend(s12, s12.compare(VectorOperators.GT, zero)).intoArray(c, co + (c1 + j + 2) * VL);
        zero.blend(s13, s13.compare(VectorOperators.GT, zero)).intoArray(c, co + (c1 + j + 3) * VL);
        zero.blend(s20, s20.compare(VectorOperators.GT, zero)).intoArray(c, co + (c2 + j + 0) * VL);
        zero.blend(s21, s21.compare(VectorOperators.GT, zero)).intoArray(c, co + (c2 + j + 1) * VL);
        zero.blend(s22, s22.compare(VectorOperators.GT, zero)).intoArray(c, co + (c2 + j + 2) * VL);
        zero.blend(s23, s23.compare(VectorOperators.GT, zero)).intoArray(c, co + (c2 + j + 3) * VL);
        zero.blend(s30, s30.compare(VectorOperators.GT, zero)).intoArray(c, co + (c3 + j + 0) * VL);
        zero.blend(s31, s31.compare(VectorOperators.GT, zero)).intoArray(c, co + (c3 + j + 1) * VL);
        zero.blend(s32, s32.compare(VectorOperators.GT, zero)).intoArray(c, co + (c3 + j + 2) * VL);
        zero.blend(s33, s33.compare(VectorOperators.GT, zero)).intoArray(c, co + (c3 + j + 3) * VL);
      } else {
        // The entry where the gate's entry is > 0, else +0.
        DoubleVector zero = DoubleVector.zero(S);
        zero.blend(s00, DoubleVector.fromArray(S, gate, go + (c0 + j + 0) * VL).compare(VectorOperators.GT,
            zero)).intoArray(c, co + (c0 + j + 0) * VL);
        zero.blend(s01, DoubleVector.fromArray(S, gate, go + (c0 + j + 1) * VL).compare(VectorOperators.GT,
            zero)).intoArray(c, co + (c0 + j + 1) * VL);
        zero.blend(s02, DoubleVector.fromArray(S, gate, go + (c0 + j + 2) * VL).compare(VectorOperators.GT,
            zero)).intoArray(c, co + (c0 + j + 2) * VL);
        zero.blend(s03, DoubleVector.fromArray(S, gate, go + (c0 + j + 3) * VL).compare(VectorOperators.GT,
            zero)).intoArray(c, co + (c0 + j + 3) * VL);
        zero.blend(s10, DoubleVector.fromArray(S, gate, go + (c1 + j + 0) * VL).compare(VectorOperators.GT,
            zero)).intoArray(c, co + (c1 + j + 0) * VL);
        zero.blend(s11, DoubleVector.fromArray(S, gate, go + (c1 + j + 1) * VL).compare(VectorOperators.GT,
            zero)).intoArray(c, co + (c1 + j + 1) * VL);
        zero.blend(s12, DoubleVector.fromArray(S, gate, go + (c1 + j + 2) * VL).compare(VectorOperators.GT,
            zero)).intoArray(c, co + (c1 + j + 2) * VL);
        zero.blend(s13, DoubleVector.fromArray(S, gate, go + (c1 + j + 3) * VL).compare(VectorOperators.GT,
            zero)).intoArray(c, co + (c1 + j + 3) * VL);
        zero.blend(s20, DoubleVector.fromArray(S, gate, go + (c2 + j + 0) * VL).compare(VectorOperators.GT,
            zero)).intoArray(c, co + (c2 + j + 0) * VL);
        zero.blend(s21, DoubleVector.fromArray(S, gate, go + (c2 + j + 1) * VL).compare(VectorOperators.GT,
            zero)).intoArray(c, co + (c2 + j + 1) * VL);
        zero.blend(s22, DoubleVector.fromArray(S, gate, go + (c2 + j + 2) * VL).compare(VectorOperators.GT,
            zero)).intoArray(c, co + (c2 + j + 2) * VL);
        zero.blend(s23, DoubleVector.fromArray(S, gate, go + (c2 + j + 3) * VL).compare(VectorOperators.GT,
            zero)).intoArray(c, co + (c2 + j + 3) * VL);
        zero.blend(s30, DoubleVector.fromArray(S, gate, go + (c3 + j + 0) * VL).compare(VectorOperators.GT,
            zero)).intoArray(c, co + (c3 + j + 0) * VL);
        zero.blend(s31, DoubleVector.fromArray(S, gate, go + (c3 + j + 1) * VL).compare(VectorOperators.GT,
            zero)).intoArray(c, co + (c3 + j + 1) * VL);
        zero.blend(s32, DoubleVector.fromArray(S, gate, go + (c3 + j + 2) * VL).compare(VectorOperators.GT,
            zero)).intoArray(c, co + (c3 + j + 2) * VL);
        zero.blend(s33, DoubleVector.fromArray(S, gate, go + (c3 + j + 3) * VL).compare(VectorOperators.GT,
            zero)).intoArray(c, co + (c3 + j + 3) * VL);
      }
    }
  }

  /**
   * {@link #tileFromZero} going on from what c holds (the chains of the inner steps before).
   */
  private static void tileOn(int p0, int p1, double[] a, int ao, int a0, int a1, int a2, int a3,
      int acs, double[] b, int bo, int b0, int b1, int b2, int b3, int brs, double[] c, int co, int c0, int c1,
      int c2, int c3, int j0, int j1, int j2, int j3) {
    DoubleVector s00 = DoubleVector.fromArray(S, c, co + (c0 + j0) * VL);
    DoubleVector s01 = DoubleVector.fromArray(S, c, co + (c0 + j1) * VL);
    DoubleVector s02 = DoubleVector.fromArray(S, c, co + (c0 + j2) * VL);
    DoubleVector s03 = DoubleVector.fromArray(S, c, co + (c0 + j3) * VL);
    DoubleVector s10 = DoubleVector.fromArray(S, c, co + (c1 + j0) * VL);
    DoubleVector s11 = DoubleVector.fromArray(S, c, co + (c1 + j1) * VL);
    DoubleVector s12 = DoubleVector.fromArray(S, c, co + (c1 + j2) * VL);
    DoubleVector s13 = DoubleVector.fromArray(S, c, co + (c1 + j3) * VL);
    DoubleVector s20 = DoubleVector.fromArray(S, c, co + (c2 + j0) * VL);
    DoubleVector s21 = DoubleVector.fromArray(S, c, co + (c2 + j1) * VL);
    DoubleVector s22 = DoubleVector.fromArray(S, c, co + (c2 + j2) * VL);
    DoubleVector s23 = DoubleVector.fromArray(S, c, co + (c2 + j3) * VL);
    DoubleVector s30 = DoubleVector.fromArray(S, c, co + (c3 + j0) * VL);
    DoubleVector s31 = DoubleVector.fromArray(S, c, co + (c3 + j1) * VL);
    DoubleVector s32 = DoubleVector.fromArray(S, c, co + (c3 + j2) * VL);
    DoubleVector s33 = DoubleVector.fromArray(S, c, co + (c3 + j3) * VL);
    int acsV = acs * VL;
    int brsV = brs * VL;
    int ap0 = ao + (a0 + p0 * acs) * VL;
    int ap1 = ao + (a1 + p0 * acs) * VL;
    int ap2 = ao + (a2 + p0 * acs) * VL;
    int ap3 = ao + (a3 + p0 * acs) * VL;
    int bp0 = bo + (b0 + p0 * brs) * VL;
    int bp1 = bo + (b1 + p0 * brs) * VL;
    int bp2 = bo + (b2 + p0 * brs) * VL;
    int bp3 = bo + (b3 + p0 * brs) * VL;
    for (int p = p0; p < p1; p++) {
      DoubleVector v0 = DoubleVector.fromArray(S, b, bp0);
      DoubleVector v1 = DoubleVector.fromArray(S, b, bp1);
      DoubleVector v2 = DoubleVector.fromArray(S, b, bp2);
      DoubleVector v3 = DoubleVector.fromArray(S, b, bp3);
      bp0 += brsV;
      bp1 += brsV;
      bp2 += brsV;
      bp3 += brsV;
      DoubleVector u = DoubleVector.fromArray(S, a, ap0);
      s00 = u.fma(v0, s00);
      s01 = u.fma(v1, s01);
      s02 = u.fma(v2, s02);
      s03 = u.fma(v3, s03);
      u = DoubleVector.fromArray(S, a, ap1);
      s10 = u.fma(v0, s10);
      s11 = u.fma(v1, s11);
      s12 = u.fma(v2, s12);
      s13 = u.fma(v3, s13);
      u = DoubleVector.fromArray(S, a, ap2);
      s20 = u.fma(v0, s20);
      s21 = u.fma(v1, s21);
      s22 = u.fma(v2, s22);
      s23 = u.fma(v3, s23);
      u = DoubleVector.fromArray(S, a, ap3);
      s30 = u.fma(v0, s30);
      s31 = u.fma(v1, s31);
      s32 = u.fma(v2, s32);
      s33 = u.fma(v3, s33);
      ap0 += acsV;
      ap1 += acsV;
      ap2 += acsV;
      ap3 += acsV;
    }
    s00.intoArray(c, co + (c0 + j0) * VL);
    s01.intoArray(c, co + (c0 + j1) * VL);
    s02.intoArray(c, co + (c0 + j2) * VL);
    s03.intoArray(c, co + (c0 + j3) * VL);
    s10.intoArray(c, co + (c1 + j0) * VL);
    s11.intoArray(c, co + (c1 + j1) * VL);
    s12.intoArray(c, co + (c1 + j2) * VL);
    s13.intoArray(c, co + (c1 + j3) * VL);
    s20.intoArray(c, co + (c2 + j0) * VL);
    s21.intoArray(c, co + (c2 + j1) * VL);
    s22.intoArray(c, co + (c2 + j2) * VL);
    s23.intoArray(c, co + (c2 + j3) * VL);
    s30.intoArray(c, co + (c3 + j0) * VL);
    s31.intoArray(c, co + (c3 + j1) * VL);
    s32.intoArray(c, co + (c3 + j2) * VL);
    s33.intoArray(c, co + (c3 + j3) * VL);
  }

  /**
   * {@link #stripFromZeroAb} going on from what c holds (the chains of the inner steps before).
   */
  private static void stripOnAb(int p0, int p1, double[] a, int ao, int a0, int a1, int a2, int a3, int acs, double[] b,
      int bo, int brs,
      double[] c, int co, int c0, int c1, int c2, int c3, int jEnd) {
    int acsV = acs * VL;
    int brsV = brs * VL;
    for (int j = 0; j < jEnd; j += 4) {
      DoubleVector s00 = DoubleVector.fromArray(S, c, co + (c0 + j + 0) * VL);
      DoubleVector s01 = DoubleVector.fromArray(S, c, co + (c0 + j + 1) * VL);
      DoubleVector s02 = DoubleVector.fromArray(S, c, co + (c0 + j + 2) * VL);
      DoubleVector s03 = DoubleVector.fromArray(S, c, co + (c0 + j + 3) * VL);
      DoubleVector s10 = DoubleVector.fromArray(S, c, co + (c1 + j + 0) * VL);
      DoubleVector s11 = DoubleVector.fromArray(S, c, co + (c1 + j + 1) * VL);
      DoubleVector s12 = DoubleVector.fromArray(S, c, co + (c1 + j + 2) * VL);
      DoubleVector s13 = DoubleVector.fromArray(S, c, co + (c1 + j + 3) * VL);
      DoubleVector s20 = DoubleVector.fromArray(S, c, co + (c2 + j + 0) * VL);
      DoubleVector s21 = DoubleVector.fromArray(S, c, co + (c2 + j + 1) * VL);
      DoubleVector s22 = DoubleVector.fromArray(S, c, co + (c2 + j + 2) * VL);
      DoubleVector s23 = DoubleVector.fromArray(S, c, co + (c2 + j + 3) * VL);
      DoubleVector s30 = DoubleVector.fromArray(S, c, co + (c3 + j + 0) * VL);
      DoubleVector s31 = DoubleVector.fromArray(S, c, co + (c3 + j + 1) * VL);
      DoubleVector s32 = DoubleVector.fromArray(S, c, co + (c3 + j + 2) * VL);
      DoubleVector s33 = DoubleVector.fromArray(S, c, co + (c3 + j + 3) * VL);
      int ap0 = ao + (a0 + p0 * acs) * VL;
      int bp0 = bo + (j + p0 * brs) * VL;
      for (int p = p0; p < p1; p++) {
        DoubleVector v0 = DoubleVector.fromArray(S, b, bp0);
        DoubleVector v1 = DoubleVector.fromArray(S, b, bp0 + 1 * VL);
        DoubleVector v2 = DoubleVector.fromArray(S, b, bp0 + 2 * VL);
        DoubleVector v3 = DoubleVector.fromArray(S, b, bp0 + 3 * VL);
        bp0 += brsV;
        DoubleVector u = DoubleVector.fromArray(S, a, ap0);
        s00 = u.fma(v0, s00);
        s01 = u.fma(v1, s01);
        s02 = u.fma(v2, s02);
        s03 = u.fma(v3, s03);
        u = DoubleVector.fromArray(S, a, ap0 + 1 * VL);
        s10 = u.fma(v0, s10);
        s11 = u.fma(v1, s11);
        s12 = u.fma(v2, s12);
        s13 = u.fma(v3, s13);
        u = DoubleVector.fromArray(S, a, ap0 + 2 * VL);
        s20 = u.fma(v0, s20);
        s21 = u.fma(v1, s21);
        s22 = u.fma(v2, s22);
        s23 = u.fma(v3, s23);
        u = DoubleVector.fromArray(S, a, ap0 + 3 * VL);
        s30 = u.fma(v0, s30);
        s31 = u.fma(v1, s31);
        s32 = u.fma(v2, s32);
        s33 = u.fma(v3, s33);
        ap0 += acsV;
      }
      s00.intoArray(c, co + (c0 + j + 0) * VL);
      s01.intoArray(c, co + (c0 + j + 1) * VL);
      s02.intoArray(c, co + (c0 + j + 2) * VL);
      s03.intoArray(c, co + (c0 + j + 3) * VL);
      s10.intoArray(c, co + (c1 + j + 0) * VL);
      s11.intoArray(c, co + (c1 + j + 1) * VL);
      s12.intoArray(c, co + (c1 + j + 2) * VL);
      s13.intoArray(c, co + (c1 + j + 3) * VL);
      s20.intoArray(c, co + (c2 + j + 0) * VL);
      s21.intoArray(c, co + (c2 + j + 1) * VL);
      s22.intoArray(c, co + (c2 + j + 2) * VL);
      s23.intoArray(c, co + (c2 + j + 3) * VL);
      s30.intoArray(c, co + (c3 + j + 0) * VL);
      s31.intoArray(c, co + (c3 + j + 1) * VL);
      s32.intoArray(c, co + (c3 + j + 2) * VL);
      s33.intoArray(c, co + (c3 + j + 3) * VL);
    }
  }

  /**
   * t (cols x rows, row-major) = the transpose of s (rows x cols), entry by entry ({@link #LANES}
   * doubles each), from index {@code so} of s to {@code to} of t. t must not overlap s.
   */
  public static void transpose(int rows, int cols, double[] s, int so, double[] t, int to) {
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        DoubleVector.fromArray(S, s, so + (i * cols + j) * VL).intoArray(t, to + (j * rows + i) * VL);
      }
    }
  }

  /**
   * c (rows x cols) = the outer product A(i, 0) B(0, j), each entry fma(A(i, 0), B(0, j), +0) as the
   * one-step chain of {@link #product}, then where {@code gate} is not null masked by it, in one pass
   * (the last hidden layer's delta: the output's delta times the fixed output weights, through its
   * ReLU). A tile per 16 entries cost as much as the rest of a narrow net's backward pass.
   */
  private static void outer(int rows, int cols, double[] a, int ao, int ars, double[] b, int bo, int bcs, double[] c,
      int co, double[] gate, int go) {
    for (int i = 0; i < rows; i++) {
      DoubleVector zero = DoubleVector.zero(S);
      DoubleVector ai = DoubleVector.fromArray(S, a, ao + i * ars * VL);
      int ci = i * cols * VL;
      for (int j = 0; j < cols; j++) {
        int e = ci + j * VL;
        DoubleVector v = ai.fma(DoubleVector.fromArray(S, b, bo + j * bcs * VL), zero);
        if (gate != null) {
          v = zero.blend(v, DoubleVector.fromArray(S, gate, go + e).compare(VectorOperators.GT, zero));
        }
        v.intoArray(c, co + e);
      }
    }
  }

  /** The epilogue of {@link #product} over c's rows x cols entries, in place. */
  private static void epilogue(int entries, int mode, double[] c, int co, double[] gate, int go) {
    for (int e = 0; e < entries * VL; e += VL) {
      DoubleVector zero = DoubleVector.zero(S);
      DoubleVector s = DoubleVector.fromArray(S, c, co + e);
      DoubleVector g = mode == RELU ? s : DoubleVector.fromArray(S, gate, go + e);
      zero.blend(s, g.compare(VectorOperators.GT, zero)).intoArray(c, co + e);
    }
  }

  /** Spare entries an array needs to hold its data from any of {@link #align}'s offsets. */
  public static final int SLACK = Alignment.LINE / Double.BYTES - 1;

  /**
   * The offset at which {@code length} doubles of {@code array} (allocated with {@link #SLACK} spare
   * entries) start a cache line now, the data held at {@code offset} moved there if the collector
   * moved the array since. A hint: any offset gives the same results (only speed differs), so a
   * move between this call and the next is harmless. {@code holder} is the caller's one-entry
   * scratch.
   */
  public static int align(Object[] holder, double[] array, int offset, int length) {
    int skip = Alignment.skip(holder, array, Double.BYTES);
    if (skip != offset) {
      System.arraycopy(array, offset, array, skip, length);
    }
    return skip;
  }

  /**
   * c (rows) = alpha (a v) for a (rows x inner) and v (inner), starting at indices ao, vo and co, as
   * {@link ScalarDoubleKernels#multVec}:
   * partial k the chain over the inner indices p = k mod PARTIALS below the last multiple of
   * PARTIALS, the partials added in order from +0, then the tail p by p, then alpha (one per lane)
   * times the sum.
   */
  public static void multVec(int rows, int inner, double[] alpha, double[] a, int ao, double[] v, int vo, double[] c,
      int co) {
    int bound = inner - inner % PARTIALS;
    for (int i = 0; i < rows; i++) {
      int a0 = ao + i * inner * VL;
      DoubleVector sum = DoubleVector.zero(S);
      for (int k = 0; k < PARTIALS; k++) {
        DoubleVector partial = DoubleVector.zero(S);
        for (int p = k; p < bound; p += PARTIALS) {
          partial = DoubleVector.fromArray(S, a, a0 + p * VL).fma(DoubleVector.fromArray(S, v, vo + p * VL), partial);
        }
        sum = sum.add(partial);
      }
      for (int p = bound; p < inner; p++) {
        sum = DoubleVector.fromArray(S, a, a0 + p * VL).fma(DoubleVector.fromArray(S, v, vo + p * VL), sum);
      }
      DoubleVector.fromArray(S, alpha, 0).mul(sum).intoArray(c, co + i * VL);
    }
  }

  /**
   * w = fma(-lr, g, w) entry by entry from indices wo and go, minusLr holding -lr per lane (as {@link
   * ScalarDoubleKernels#addScaled}).
   */
  public static void addScaled(int entries, double[] minusLr, double[] g, int go, double[] w, int wo) {
    for (int e = 0; e < entries * VL; e += VL) {
      DoubleVector.fromArray(S, minusLr, 0).fma(DoubleVector.fromArray(S, g, go + e), DoubleVector.fromArray(S, w,
          wo + e)).intoArray(w, wo + e);
    }
  }

  /**
   * loss (one per lane) = the sum over i in order from +0 of (c (f_i - y_i)) (f_i - y_i): with c = 0.5
   * the half sum of squares' terms, with c = 1 the squared errors (as {@code Loss.term} evaluates
   * them). f and y hold n entries from indices fo and yo.
   */
  public static void squaredErrors(int n, double c, double[] f, int fo, double[] y, int yo, double[] loss) {
    DoubleVector sum = DoubleVector.zero(S);
    for (int e = 0; e < n * VL; e += VL) {
      DoubleVector diff = DoubleVector.fromArray(S, f, fo + e).sub(DoubleVector.fromArray(S, y, yo + e));
      sum = sum.add(DoubleVector.broadcast(S, c).mul(diff).mul(diff));
    }
    sum.intoArray(loss, 0);
  }

  /**
   * delta_i = alpha (weight (c (f_i - y_i))), alpha and weight one per lane: the output gradient of the
   * squared errors (c = 1 for the half sum of squares, whose derivative is f - y, and 2 for the
   * mean squared error) as the trainer weights it and the net's output scale scales it.
   */
  public static void squaredErrorGradient(int n, double c, double[] weight, double[] alpha, double[] f, int fo,
      double[] y, int yo, double[] delta, int deltaOffset) {
    for (int e = 0; e < n * VL; e += VL) {
      DoubleVector diff = DoubleVector.fromArray(S, f, fo + e).sub(DoubleVector.fromArray(S, y, yo + e));
      DoubleVector derivative = c == 1 ? diff : DoubleVector.broadcast(S, c).mul(diff);
      DoubleVector.fromArray(S, alpha, 0).mul(DoubleVector.fromArray(S, weight, 0).mul(derivative)).intoArray(delta,
          deltaOffset + e);
    }
  }
}
