package io.github.overparam.core.linalg;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vectorized double kernels of the training step ({@code jdk.incubator.vector}, preferred species),
 * on raw row-major arrays whose leading dimension is their column count. Only {@link Dense} and
 * the benchmarks call this class, and only after checking that the incubator module is present.
 *
 * <p>Every product entry is a sequential chain of fused multiply-adds over the inner index in
 * increasing order, started from zero and scaled by alpha at the end, whatever the register block,
 * inner-dimension block or vector width that computed it: results are bit-identical from run to
 * run and across vector widths. The one other order is a product with a single output column
 * ({@link #multVec}), a dot product split into {@link #PARTIALS} partial sums (as many as a
 * 512-bit vector has lanes, whatever this machine's vector width) added in a fixed order: its bits
 * too are the same on every vector width, and {@link ScalarDoubleKernels} computes them the same
 * way. No method allocates or starts a thread.
 *
 * <p>Layout (DESIGN.md section 6): the wide dimension is the contiguous one. The packed products'
 * register tile and cache blocks are a {@link Blocking}, chosen per JVM from the vector registers,
 * the vendor and the caches (4 x 4 vectors on Intel cores with AVX-512, 4 x 3 on other AVX-512
 * cores, 6 x 2 with AVX2); the unpacked ones ({@link DoubleInPlaceKernels}) use 4 rows x 3 or 2
 * vectors (as wide as the tile allows) and the blocks {@link #KB} and {@link #NB}.
 *
 * <p>FloatKernels is generated from this file by {@code scripts/gen-float-kernels.sh}: edit here.
 */
final class DoubleKernels {
  private DoubleKernels() {}

  static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
  /** Lanes of one vector. */
  static final int VL = S.length();
  /** Inner-dimension block of the unpacked products. */
  static final int KB = 256;
  /** Column block of the unpacked products: 10 panels of 3 vectors. */
  static final int NB = 30 * VL;

  /**
   * Right factors of at most this many entries (inner x cols) are read in place, unpacked: they stay
   * in L1 anyway, and packing them would cost as much as the product (narrow nets: X W with d = 10).
   */
  static final int SMALL = Integer.getInteger("overparam.kernels.small", 2048);

  /**
   * Products of at most this many rows and at most {@link #NARROW} columns are computed unpacked
   * too, whatever the inner dimension: packing serves a panel of the right factor to every block of
   * 4 rows, and with at most 4 blocks it costs more than it saves (the weight gradient X^T delta of a
   * narrow net with d = 10 inputs: about 1.3 times faster on S7 and 1.7 on S9, 2026-11-30). System
   * property {@code overparam.kernels.smallRows}.
   */
  static final int SMALL_ROWS = Integer.getInteger("overparam.kernels.smallRows", 16);

  /** The widest product {@link #SMALL_ROWS} applies to (measured up to m = 64; S1's m = 1,000 packs). */
  static final int NARROW = 256;

  /** Per-thread scratch (packed panels, a transposed factor); grows once, then reused. */
  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  /** This thread's scratch of at least size entries (the partial sums of a fused pass). */
  static double[] scratchTile(int size) {
    return SCRATCH.get().tile(size);
  }

  /** The vector shape in a log line: "DoubleVector, 8 lanes (512 bits)". */
  static String describe() {
    return "DoubleVector, " + VL + " lanes (" + S.vectorBitSize() + " bits)";
  }

  /**
   * c (rows x cols) = alpha a b with a (rows x inner) and b (inner x cols). c must not alias a or b.
   */
  static void mult(int rows, int cols, int inner, double alpha, double[] a, double[] b, double[] c) {
    mult(Blocking.forColumns(cols, VL), rows, cols, inner, alpha, a, b, c);
  }

  /** {@link #mult} with the given blocking (the same bits whatever it is). */
  static void mult(Blocking bl, int rows, int cols, int inner, double alpha, double[] a, double[] b, double[] c) {
    if (cols == 1 && inner > 1) {
      multVec(rows, inner, alpha, a, b, c);
    } else {
      gemm(bl, rows, cols, inner, alpha, a, inner, 1, b, false, c, NONE, null);
    }
  }

  /** c (rows x cols) = alpha a^T b with a (inner x rows) and b (inner x cols). */
  static void multTransA(int rows, int cols, int inner, double alpha, double[] a, double[] b, double[] c) {
    multTransA(Blocking.forColumns(cols == 1 ? rows : cols, VL), rows, cols, inner, alpha, a, b, c);
  }

  /** {@link #multTransA} with the given blocking. */
  static void multTransA(Blocking bl, int rows, int cols, int inner, double alpha, double[] a, double[] b,
      double[] c) {
    if (cols == 1) {
      // c^T (1 x rows) = b^T a: one row, the wide dimension (rows) contiguous in a.
      gemm(bl, 1, rows, inner, alpha, b, inner, 1, a, false, c, NONE, null);
    } else {
      gemm(bl, rows, cols, inner, alpha, a, 1, rows, b, false, c, NONE, null);
    }
  }

  /** c (rows x cols) = alpha a b^T with a (rows x inner) and b (cols x inner). */
  static void multTransB(int rows, int cols, int inner, double alpha, double[] a, double[] b, double[] c) {
    multTransB(Blocking.forColumns(cols, VL), rows, cols, inner, alpha, a, b, c);
  }

  /** {@link #multTransB} with the given blocking. */
  static void multTransB(Blocking bl, int rows, int cols, int inner, double alpha, double[] a, double[] b,
      double[] c) {
    if (inner == 1) {
      // An outer product: b (cols x 1) is already the 1 x cols row it needs.
      gemm(bl, rows, cols, 1, alpha, a, 1, 1, b, false, c, NONE, null);
    } else if (cols == 1) {
      multVec(rows, inner, alpha, a, b, c);
    } else {
      // b^T is packed straight from b's rows, so the product runs in the same micro-kernel.
      gemm(bl, rows, cols, inner, alpha, a, inner, 1, b, true, c, NONE, null);
    }
  }

  /**
   * z (rows x cols) = alpha a b and h = max(z, 0): the forward product with its ReLU fused, each
   * tile rectified while in L1. a (rows x inner), b (inner x cols).
   */
  static void multRelu(int rows, int cols, int inner, double alpha, double[] a, double[] b, double[] z,
      double[] h) {
    gemm(Blocking.forColumns(cols, VL), rows, cols, inner, alpha, a, inner, 1, b, false, z, RELU, h);
  }

  /**
   * c (rows x cols) = (alpha a b^T) where gate > 0, else 0: the backpropagated delta through the
   * ReLU mask in one pass. a (rows x inner), b (cols x inner), gate (rows x cols).
   */
  static void multTransBMasked(int rows, int cols, int inner, double alpha, double[] a, double[] b,
      double[] gate, double[] c) {
    if (inner == 1) {
      gemm(Blocking.forColumns(cols, VL), rows, cols, 1, alpha, a, 1, 1, b, false, c, MASK, gate);
    } else {
      gemm(Blocking.forColumns(cols, VL), rows, cols, inner, alpha, a, inner, 1, b, true, c, MASK, gate);
    }
  }

  /** t (cols x rows) = s^T, s (rows x cols); cache-blocked. */
  static void transpose(int rows, int cols, double[] s, double[] t) {
    final int blk = 32;
    for (int i0 = 0; i0 < rows; i0 += blk) {
      int i1 = Math.min(rows, i0 + blk);
      for (int j0 = 0; j0 < cols; j0 += blk) {
        int j1 = Math.min(cols, j0 + blk);
        for (int i = i0; i < i1; i++) {
          int si = i * cols;
          for (int j = j0; j < j1; j++) {
            t[j * rows + i] = s[si + j];
          }
        }
      }
    }
  }

  /**
   * c (rows x cols) = alpha A B, where A(i, p) = a[i * ars + p * acs] (so both a and a^T are
   * served) and B is b (inner x cols, row-major) or, when {@code bt}, b^T with b (cols x inner).
   * The heart of every product: packed and blocked by {@link DoublePackedKernels#gemmPacked}, or
   * read in place by {@link DoubleInPlaceKernels} when packing would cost more than it saves.
   */
  static void gemm(int rows, int cols, int inner, double alpha, double[] a, int ars, int acs, double[] b,
      boolean bt, double[] c) {
    gemm(Blocking.forColumns(cols, VL), rows, cols, inner, alpha, a, ars, acs, b, bt, c, NONE, null);
  }

  /** No epilogue. */
  static final int NONE = 0;
  /** Epilogue: aux = max(c, 0), the ReLU of the product, written while the tile is in L1. */
  static final int RELU = 1;
  /** Epilogue: c = 0 where aux <= 0 or NaN, the ReLU backward mask applied to the product. */
  static final int MASK = 2;

  /**
   * {@link #gemm} with an epilogue applied to each finished tile while it is still in L1: one
   * memory pass over the output instead of two. aux is rows x cols.
   */
  static void gemm(Blocking bl, int rows, int cols, int inner, double alpha, double[] a, int ars, int acs,
      double[] b, boolean bt, double[] c, int epilogue, double[] aux) {
    if (inner == 0) {
      Arrays.fill(c, 0, rows * cols, 0);
      epilogue(c, 0, cols, rows, cols, epilogue, aux);
      return;
    }
    // This thread's scratch only where it is used: a lookup that misses (a Spark task thread has
    // many thread-locals) costs as much as a small product.
    if (!packed(rows, cols, inner)) {
      if (bt && inner > 1 && cols > 1) {
        // (A cols x 1 or 1 x inner factor is laid out as its own transpose.)
        double[] t = SCRATCH.get().transposed(cols * inner);
        transpose(cols, inner, b, t);
        b = t;
      }
      DoubleInPlaceKernels.gemmInPlace(bl, rows, cols, inner, alpha, a, ars, acs, b, c);
      epilogue(c, 0, cols, rows, cols, epilogue, aux);
      return;
    }
    DoublePackedKernels.gemmPacked(bl, rows, cols, inner, alpha, a, ars, acs, b, bt, null, null, null, c, epilogue, aux,
        SCRATCH.get());
  }

  /**
   * The activation-pattern word of v[from] to v[from + count - 1] for {@link Signs} (count a
   * multiple of VL, at most 64): bit k set where v[from + k] > 0 (NaN and -0.0 are not). Each
   * vector's compare picks its lanes' bits (lane l of vector k at bit k VL + l) into integer lanes,
   * ORed across the vectors and reduced once per lane width of bits ({@code VectorMask.toLong} is
   * not intrinsified on JDK 17).
   */
  static long positiveWord(double[] v, int from, int count) {
    DoubleVector zero = DoubleVector.zero(S);
    int span = LANE_BIT.elementSize();
    long word = 0;
    for (int base = 0; base < count; base += span) {
      LongVector acc = LongVector.zero(LANE_BIT.species());
      for (int k = 0; k < span && base + k < count; k += VL) {
        DoubleVector on = zero.blend(LANE_BIT.lanewise(VectorOperators.LSHL, k).reinterpretAsDoubles(),
            DoubleVector.fromArray(S, v, from + base + k).compare(VectorOperators.GT, zero));
        acc = acc.or(on.reinterpretAsLongs());
      }
      word |= (acc.reduceLanes(VectorOperators.OR) & (-1L >>> (Long.SIZE - span))) << base;
    }
    return word;
  }

  /** Integer lanes of the vectors' shape holding 1 << lane ({@link #positiveWord}). */
  private static final LongVector LANE_BIT = LongVector.broadcast(S.withLanes(long.class), 1).lanewise(
      VectorOperators.LSHL, LongVector.zero(S.withLanes(long.class)).addIndex(1));

  /** Whether {@link #gemm} takes the packed product for these sizes (else the in-place one). */
  static boolean packed(int rows, int cols, int inner) {
    return !(rows < 4 || (rows <= SMALL_ROWS && cols <= NARROW) || (long) inner * cols <= SMALL);
  }

  /**
   * grad (d x m) = x^T g with g (n x m) = (delta a^T) where gate > 0, else +0, and x (n x d): the
   * first-layer gradient of a two-layer ReLU net with one output. The bits of {@code
   * multTransBMasked(n, m, 1, 1, delta, a, gate, scratch)} then {@code multTransA(d, m, n, 1, x,
   * scratch, grad)}; where that product is packed, g is formed as its panels are packed ({@link
   * DoublePackedKernels#gemmPacked}) and scratch is not written, the gates read from gateBytes where
   * it is not null (entry i m + j 1 exactly where gate is > 0, else 0, as {@link #reluForwardRows}
   * writes it).
   */
  static void maskedOuterGradient(int n, int d, int m, double[] x, double[] delta, double[] a, double[] gate,
      byte[] gateBytes, double[] scratch, double[] grad) {
    if (m > 1 && packed(d, m, n)) {
      DoublePackedKernels.gemmPacked(Blocking.CHOSEN, d, m, n, 1, x, 1, d, a, false, delta, gate, gateBytes, grad, NONE,
          null, SCRATCH.get());
    } else {
      multTransBMasked(n, m, 1, 1, delta, a, gate, scratch);
      multTransA(d, m, n, 1, x, scratch, grad);
    }
  }

  /**
   * {@link DoublePackedKernels#reluForwardPanels} with this JVM's blocking and this thread's
   * scratch, the panels from the first entry of gates on a cache line: returns that entry.
   */
  static int reluForwardPanels(int n, int d, int m, double alpha, double[] x, double[] w, double[] a, double[] gates,
      double[] f) {
    Scratch scratch = SCRATCH.get();
    int g0 = scratch.skip(gates);
    DoublePackedKernels.reluForwardPanels(Blocking.CHOSEN, n, d, m, alpha, x, w, a, gates, g0, f, scratch);
    return g0;
  }

  /**
   * {@link DoublePackedKernels#reluForwardRows} with this JVM's blocking and this thread's scratch
   * (gateBytes, unless null, gets h's gates: entry i m + j 1 exactly where h is > 0, else 0).
   */
  static void reluForwardRows(int n, int d, int m, double alpha, double[] x, double[] w, double[] a, double[] h,
      byte[] gateBytes, double[] f) {
    DoublePackedKernels.reluForwardRows(Blocking.CHOSEN, n, d, m, alpha, x, w, a, h, gateBytes, f, SCRATCH.get());
  }

  /** {@link DoublePackedKernels#panelGradient} with this JVM's blocking and this thread's scratch. */
  static void panelGradient(int n, int d, int m, double[] xT, double[] delta, double[] a, double[] gates, int g0,
      double[] grad) {
    DoublePackedKernels.panelGradient(Blocking.CHOSEN, n, d, m, xT, delta, a, gates, g0, grad, SCRATCH.get());
  }

  /** Applies the epilogue to the height x width block of c at offset c0 (row stride ldc). */
  static void epilogue(double[] c, int c0, int ldc, int height, int width, int epilogue, double[] aux) {
    if (epilogue == NONE) {
      return;
    }
    if (ldc == width && height > 1) {
      // Whole rows, contiguous: one row of height x width entries, so that a block narrower than a
      // vector is still vectors (a branch per entry mispredicts on half of them).
      epilogue(c, c0, height * width, 1, height * width, epilogue, aux);
      return;
    }
    DoubleVector zero = DoubleVector.zero(S);
    int bound = S.loopBound(width);
    for (int r = 0; r < height; r++) {
      int o = c0 + r * ldc;
      int j = 0;
      if (epilogue == RELU) {
        for (; j < bound; j += VL) {
          DoubleVector v = DoubleVector.fromArray(S, c, o + j);
          zero.blend(v, v.compare(VectorOperators.GT, zero)).intoArray(aux, o + j);
        }
        for (; j < width; j++) {
          double v = c[o + j];
          aux[o + j] = v > 0 ? v : 0;
        }
      } else {
        for (; j < bound; j += VL) {
          VectorMask<Double> on = DoubleVector.fromArray(S, aux, o + j).compare(VectorOperators.GT, zero);
          zero.blend(DoubleVector.fromArray(S, c, o + j), on).intoArray(c, o + j);
        }
        for (; j < width; j++) {
          if (!(aux[o + j] > 0)) {
            c[o + j] = 0;
          }
        }
      }
    }
  }

  /** Per-thread buffers: packed panels and the transposed factor of multTransB; grown once, then reused. */
  static final class Scratch {
    private double[] packedB = new double[0];
    private double[] packedA = new double[0];
    private double[] transposed = new double[0];
    private double[] tile = new double[0];

    double[] tile(int size) {
      if (tile.length < size) {
        tile = new double[size];
      }
      return tile;
    }

    /** Holds packedB while {@link Alignment} reads its address. */
    private final Object[] holder = new Object[1];

    /** Room for size entries from {@link #packedBSkip}, the first on a cache line. */
    double[] packedB(int size) {
      if (packedB.length < size + Alignment.LINE / Double.BYTES) {
        packedB = new double[size + Alignment.LINE / Double.BYTES];
      }
      return packedB;
    }

    /** The entries of packedB before its first on a cache line (read at each use: the collector moves arrays). */
    int packedBSkip() {
      return Alignment.skip(holder, packedB, Double.BYTES);
    }

    double[] packedA(int size) {
      if (packedA.length < size) {
        packedA = new double[size];
      }
      return packedA;
    }

    private int[] rows = new int[0];
    private double[] lineTile = new double[0];
    private final Object[] lineHolder = new Object[1];

    /** Room for size entries from {@link #lineTileSkip}, the first on a cache line. */
    double[] lineTile(int size) {
      if (lineTile.length < size + Alignment.LINE / Double.BYTES) {
        lineTile = new double[size + Alignment.LINE / Double.BYTES];
      }
      return lineTile;
    }

    int lineTileSkip() {
      return Alignment.skip(lineHolder, lineTile, Double.BYTES);
    }

    /** The entries of an array before its first on a cache line. */
    int skip(double[] array) {
      return Alignment.skip(lineHolder, array, Double.BYTES);
    }

    int[] rows(int size) {
      if (rows.length < size) {
        rows = new int[size];
      }
      return rows;
    }

    double[] transposed(int size) {
      if (transposed.length < size) {
        transposed = new double[size];
      }
      return transposed;
    }
  }

  /**
   * Partial sums of a single-column product ({@link #multVec}): as many as a 64-byte (512-bit)
   * vector has lanes (8 in float64, 16 in float32), whatever the vector width of this machine;
   * declared once, by the scalar reference whose order the kernel reproduces.
   */
  static final int PARTIALS = ScalarDoubleKernels.PARTIALS;

  /**
   * c (rows x 1) = alpha a v, a (rows x inner), v (inner): dot products, four rows at a time
   * sharing the loads of v. Each row's sum is split into {@link #PARTIALS} partial sums, partial k a
   * sequential chain of fused multiply-adds over the inner indices p = k mod PARTIALS below the last
   * multiple of PARTIALS; the partials are added in order 0 .. PARTIALS-1 from zero, then the tail
   * p by p, then the sum is scaled by alpha. A vector of PARTIALS lanes holds the partials in one
   * register, a vector of half as many in two, and {@link ScalarDoubleKernels#multVec} computes the
   * same chains one after the other: the bits are the same whatever the vector width.
   */
  static void multVec(int rows, int inner, double alpha, double[] a, double[] v, double[] c) {
    if (VL == PARTIALS) {
      multVec1(rows, inner, alpha, a, v, c);
    } else if (2 * VL == PARTIALS) {
      multVec2(rows, inner, alpha, a, v, c);
    } else {
      ScalarDoubleKernels.multVec(rows, inner, alpha, a, v, c);
    }
  }

  /** {@link #multVec} with one vector of partial sums per row. */
  private static void multVec1(int rows, int inner, double alpha, double[] a, double[] v, double[] c) {
    int bound = inner - inner % PARTIALS;
    int i = 0;
    for (; i + 4 <= rows; i += 4) {
      int a0 = i * inner;
      int a1 = a0 + inner;
      int a2 = a1 + inner;
      int a3 = a2 + inner;
      DoubleVector s0 = DoubleVector.zero(S);
      DoubleVector s1 = s0;
      DoubleVector s2 = s0;
      DoubleVector s3 = s0;
      for (int p = 0; p < bound; p += VL) {
        DoubleVector x = DoubleVector.fromArray(S, v, p);
        s0 = DoubleVector.fromArray(S, a, a0 + p).fma(x, s0);
        s1 = DoubleVector.fromArray(S, a, a1 + p).fma(x, s1);
        s2 = DoubleVector.fromArray(S, a, a2 + p).fma(x, s2);
        s3 = DoubleVector.fromArray(S, a, a3 + p).fma(x, s3);
      }
      c[i] = alpha * finish(sumLanes(s0, 0), a, a0, v, bound, inner);
      c[i + 1] = alpha * finish(sumLanes(s1, 0), a, a1, v, bound, inner);
      c[i + 2] = alpha * finish(sumLanes(s2, 0), a, a2, v, bound, inner);
      c[i + 3] = alpha * finish(sumLanes(s3, 0), a, a3, v, bound, inner);
    }
    for (; i < rows; i++) {
      int a0 = i * inner;
      DoubleVector s0 = DoubleVector.zero(S);
      for (int p = 0; p < bound; p += VL) {
        s0 = DoubleVector.fromArray(S, a, a0 + p).fma(DoubleVector.fromArray(S, v, p), s0);
      }
      c[i] = alpha * finish(sumLanes(s0, 0), a, a0, v, bound, inner);
    }
  }

  /** {@link #multVec} with two vectors of partial sums per row (lanes 0 .. VL-1 and VL .. 2 VL-1). */
  private static void multVec2(int rows, int inner, double alpha, double[] a, double[] v, double[] c) {
    int bound = inner - inner % PARTIALS;
    int i = 0;
    for (; i + 4 <= rows; i += 4) {
      int a0 = i * inner;
      int a1 = a0 + inner;
      int a2 = a1 + inner;
      int a3 = a2 + inner;
      DoubleVector s0 = DoubleVector.zero(S);
      DoubleVector s1 = s0;
      DoubleVector s2 = s0;
      DoubleVector s3 = s0;
      DoubleVector t0 = s0;
      DoubleVector t1 = s0;
      DoubleVector t2 = s0;
      DoubleVector t3 = s0;
      for (int p = 0; p < bound; p += PARTIALS) {
        DoubleVector x = DoubleVector.fromArray(S, v, p);
        DoubleVector y = DoubleVector.fromArray(S, v, p + VL);
        s0 = DoubleVector.fromArray(S, a, a0 + p).fma(x, s0);
        t0 = DoubleVector.fromArray(S, a, a0 + p + VL).fma(y, t0);
        s1 = DoubleVector.fromArray(S, a, a1 + p).fma(x, s1);
        t1 = DoubleVector.fromArray(S, a, a1 + p + VL).fma(y, t1);
        s2 = DoubleVector.fromArray(S, a, a2 + p).fma(x, s2);
        t2 = DoubleVector.fromArray(S, a, a2 + p + VL).fma(y, t2);
        s3 = DoubleVector.fromArray(S, a, a3 + p).fma(x, s3);
        t3 = DoubleVector.fromArray(S, a, a3 + p + VL).fma(y, t3);
      }
      c[i] = alpha * finish(sumLanes(t0, sumLanes(s0, 0)), a, a0, v, bound, inner);
      c[i + 1] = alpha * finish(sumLanes(t1, sumLanes(s1, 0)), a, a1, v, bound, inner);
      c[i + 2] = alpha * finish(sumLanes(t2, sumLanes(s2, 0)), a, a2, v, bound, inner);
      c[i + 3] = alpha * finish(sumLanes(t3, sumLanes(s3, 0)), a, a3, v, bound, inner);
    }
    for (; i < rows; i++) {
      int a0 = i * inner;
      DoubleVector s0 = DoubleVector.zero(S);
      DoubleVector t0 = s0;
      for (int p = 0; p < bound; p += PARTIALS) {
        s0 = DoubleVector.fromArray(S, a, a0 + p).fma(DoubleVector.fromArray(S, v, p), s0);
        t0 = DoubleVector.fromArray(S, a, a0 + p + VL).fma(DoubleVector.fromArray(S, v, p + VL), t0);
      }
      c[i] = alpha * finish(sumLanes(t0, sumLanes(s0, 0)), a, a0, v, bound, inner);
    }
  }

  /** The sum of the partials (see {@link #sumLanes}), then the tail from bound on. */
  private static double finish(double partials, double[] a, int a0, double[] v, int bound, int inner) {
    double sum = partials;
    for (int p = bound; p < inner; p++) {
      sum = Math.fma(a[a0 + p], v[p], sum);
    }
    return sum;
  }

  /**
   * sum plus v's lanes 0, 1, .. VL - 1, one by one in that order. Lane by lane in a fixed order:
   * reduceLanes(ADD) may sum in another order once compiled; lane(k) with a constant k is a
   * register extract (with a variable k it is not), and VL is a constant, so the untaken branches
   * fold away. No scratch: a thread-local lookup costs as much as a short product.
   */
  static double sumLanes(DoubleVector v, double sum) {
    sum += v.lane(0);
    sum += v.lane(1);
    if (VL > 2) {
      sum += v.lane(2);
      sum += v.lane(3);
    }
    if (VL > 4) {
      sum += v.lane(4);
      sum += v.lane(5);
      sum += v.lane(6);
      sum += v.lane(7);
    }
    if (VL > 8) {
      sum += v.lane(8);
      sum += v.lane(9);
      sum += v.lane(10);
      sum += v.lane(11);
      sum += v.lane(12);
      sum += v.lane(13);
      sum += v.lane(14);
      sum += v.lane(15);
    }
    return sum;
  }

  /** h = max(z, 0) elementwise over the first size entries (NaN gives 0). */
  static void relu(double[] z, double[] h, int size) {
    DoubleVector zero = DoubleVector.zero(S);
    int bound = S.loopBound(size);
    int e = 0;
    for (; e < bound; e += VL) {
      DoubleVector v = DoubleVector.fromArray(S, z, e);
      zero.blend(v, v.compare(VectorOperators.GT, zero)).intoArray(h, e);
    }
    for (; e < size; e++) {
      double v = z[e];
      h[e] = v > 0 ? v : 0;
    }
  }

  /** g = 0 where z <= 0 or NaN, over the first size entries. */
  static void reluMask(double[] g, double[] z, int size) {
    DoubleVector zero = DoubleVector.zero(S);
    int bound = S.loopBound(size);
    int e = 0;
    for (; e < bound; e += VL) {
      VectorMask<Double> on = DoubleVector.fromArray(S, z, e).compare(VectorOperators.GT, zero);
      zero.blend(DoubleVector.fromArray(S, g, e), on).intoArray(g, e);
    }
    for (; e < size; e++) {
      if (!(z[e] > 0)) {
        g[e] = 0;
      }
    }
  }

  /** w += alpha g over the first size entries, each a fused multiply-add. */
  static void addScaled(double[] w, double alpha, double[] g, int size) {
    DoubleVector x = DoubleVector.broadcast(S, alpha);
    int bound = S.loopBound(size);
    int e = 0;
    for (; e < bound; e += VL) {
      x.fma(DoubleVector.fromArray(S, g, e), DoubleVector.fromArray(S, w, e)).intoArray(w, e);
    }
    for (; e < size; e++) {
      w[e] = Math.fma(alpha, g[e], w[e]);
    }
  }

  /** h = z where gate > 0, else 0 (a ReLU with another net's pattern), over the first size entries. */
  static void reluGate(double[] z, double[] gate, double[] h, int size) {
    DoubleVector zero = DoubleVector.zero(S);
    int bound = S.loopBound(size);
    int e = 0;
    for (; e < bound; e += VL) {
      VectorMask<Double> on = DoubleVector.fromArray(S, gate, e).compare(VectorOperators.GT, zero);
      zero.blend(DoubleVector.fromArray(S, z, e), on).intoArray(h, e);
    }
    for (; e < size; e++) {
      h[e] = gate[e] > 0 ? z[e] : 0;
    }
  }

  /** target[t + i] += source[s + i] for i < length. */
  static void addTo(double[] target, int t, double[] source, int s, int length) {
    int bound = S.loopBound(length);
    int i = 0;
    for (; i < bound; i += VL) {
      DoubleVector.fromArray(S, target, t + i).add(DoubleVector.fromArray(S, source, s + i)).intoArray(target, t + i);
    }
    for (; i < length; i++) {
      target[t + i] += source[s + i];
    }
  }

  /** target = alpha source over the first size entries. */
  /** target[t + e] = alpha source[s + e] for e < size, each product rounded once. */
  static void scale(double alpha, double[] source, int s, double[] target, int t, int size) {
    int bound = S.loopBound(size);
    int e = 0;
    for (; e < bound; e += VL) {
      DoubleVector.fromArray(S, source, s + e).mul(alpha).intoArray(target, t + e);
    }
    for (; e < size; e++) {
      target[t + e] = alpha * source[s + e];
    }
  }

  /** c[c0 + e] = c[c0 + e] v[v0 + e] for e < size. */
  static void multiply(double[] c, int c0, double[] v, int v0, int size) {
    int bound = S.loopBound(size);
    int e = 0;
    for (; e < bound; e += VL) {
      DoubleVector.fromArray(S, c, c0 + e).mul(DoubleVector.fromArray(S, v, v0 + e)).intoArray(c, c0 + e);
    }
    for (; e < size; e++) {
      c[c0 + e] *= v[v0 + e];
    }
  }

  static void scale(double alpha, double[] source, double[] target, int size) {
    int bound = S.loopBound(size);
    int e = 0;
    for (; e < bound; e += VL) {
      DoubleVector.fromArray(S, source, e).mul(alpha).intoArray(target, e);
    }
    for (; e < size; e++) {
      target[e] = alpha * source[e];
    }
  }
}
