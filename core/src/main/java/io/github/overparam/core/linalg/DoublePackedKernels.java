package io.github.overparam.core.linalg;

import static io.github.overparam.core.linalg.DoubleKernels.NONE;
import static io.github.overparam.core.linalg.DoubleKernels.RELU;
import static io.github.overparam.core.linalg.DoubleKernels.S;
import static io.github.overparam.core.linalg.DoubleKernels.VL;

import java.util.Arrays;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The packed path of {@link DoubleKernels#gemm} and its micro-kernels of 4 rows x 1 to 4 vectors
 * (the 6-row ones are in {@link DoubleSixRowKernels}), for a {@link Blocking}.
 *
 * <p>Part of {@link DoubleKernels}, with the same summation order and guarantees.
 *
 * <p>Its float twin is generated from this file by {@code scripts/gen-float-kernels.sh}: edit here.
 */
final class DoublePackedKernels {
  private DoublePackedKernels() {}

  /**
   * c (rows x cols) = alpha A B as {@link DoubleKernels#gemm}, blocked as in GotoBLAS: for each
   * block of {@code bl.blockFor(inner, rows * cols)} inner indices, every row of A is copied once
   * into tiles of {@code bl.rows()} rows (row by row for 4 rows, step by step for 6; whole tiles of a row-major A
   * are read where they lie instead, {@link #inPlace}); then
   * for each block of {@code bl.panels()} panels of columns, B is copied into a contiguous buffer of
   * panels {@code bl.vectors()} vectors wide (read sequentially whatever b's layout; a power-of-two
   * row stride such as 512 doubles would otherwise map every row of a panel to the same L1 set),
   * and each panel is swept down every tile of rows (the panel in L1, the tiles' slices of A
   * streaming from L2) or each tile across the panels, as {@link #panelsOuter} decides. Edge panels
   * and edge rows are zero-padded and computed into a small tile, so the same micro-kernels do all.
   * Each entry is continued from block to block along the inner dimension in order and scaled by
   * alpha after the last block.
   *
   * <p>When delta is not null, B (inner x cols) is not b but (delta b^T) where gate > 0, else +0
   * (delta of length inner, b of length cols, gate inner x cols): each entry fma(delta_p, b_j, 0) or
   * +0, the bits of {@code DoubleKernels.multTransBMasked(inner, cols, 1, 1, delta, b, gate, g)},
   * formed as the panels are packed and never stored whole (the ReLU backward's masked outer
   * product, consumed by the first layer's gradient x^T g: one pass over the gate instead of writing
   * g and reading it back). With {@code gateBytes} (not null), the gate is read from entry p cols +
   * j of gateBytes instead, 1 exactly where gate is > 0 and 0 elsewhere ({@link #reluForwardRows}
   * writes both): the same B, from a byte per entry instead of a double.
   */
  static void gemmPacked(Blocking bl, int rows, int cols, int inner, double alpha, double[] a, int ars, int acs,
      double[] b, boolean bt, double[] delta, double[] gate, byte[] gateBytes, double[] c, int epilogue, double[] aux,
      DoubleKernels.Scratch scratch) {
    int mr = bl.rows();
    int wide = bl.vectors() * VL;
    int kb = bl.blockFor(inner, (long) rows * cols);
    int nb = bl.panelsFor(kb) * wide;
    int tiles = (rows + mr - 1) / mr;
    double[] pb = scratch.packedB(kb * (nb + wide));
    // The panels from a cache line on: a 512-bit load of a panel's row then never straddles two.
    int pb0 = scratch.packedBSkip();
    double[] pa = scratch.packedA(tiles * mr * kb);
    double[] tile = scratch.tile(mr * wide);
    // A ReLU in place (h = max(z, 0) into z itself) in the 4-row kernels' registers, as they store
    // the last block: no pass over c afterwards.
    boolean reluInKernel = epilogue == RELU && aux == c && mr == 4;
    // A^T of a row-major a, read where it lies: block and the kernels take its step -acs (< 0).
    boolean columns = !reluInKernel && inPlaceColumns(mr, wide, rows, cols, ars, acs);
    boolean inPlace = inPlace(mr, acs) || columns;
    int lda = columns ? -acs : ars;
    int after = reluInKernel ? NONE : epilogue;
    for (int p0 = 0; p0 < inner; p0 += kb) {
      int kc = Math.min(inner, p0 + kb) - p0;
      boolean first = p0 == 0;
      boolean last = p0 + kc == inner;
      double scale = last ? alpha : 1;
      if (!columns) {
        packA(mr, rows, kc, a, ars, acs, p0, pa, inPlace);
      }
      for (int j0 = 0; j0 < cols; j0 += nb) {
        int j1 = Math.min(cols, j0 + nb);
        // Full panels, then one of fewer vectors for the rest (zero-padded to whole vectors): a width
        // such as 128 floats is 2 x 48 + 32, not 3 x 48 with a third wasted.
        int panels = (j1 - j0 + wide - 1) / wide;
        int rest = (j1 - j0) - (panels - 1) * wide;
        int restWidth = (rest + VL - 1) / VL * VL;
        // Gates as bytes (a p-block of them fits the L2) and panels outer: each panel is packed
        // just before its tiles, into the same L1-sized buffer, instead of all of them first (the
        // packed panels, 0.5 MB at S2, then went out to the L2 and came back).
        boolean panelAtATime = gateBytes != null && delta != null && panelsOuter(rows, cols, kc, wide);
        if (!panelAtATime) {
          if (delta == null && bt) {
            for (int q = 0; q < panels; q++) {
              int jq = j0 + q * wide;
              int pw = q == panels - 1 ? restWidth : wide;
              packTransposed(b, inner, p0, kc, jq, Math.min(wide, j1 - jq), pw, pb, pb0 + q * kc * wide);
            }
          } else {
            // A row of B (or of the gate) across all the panels, then the next: the rows are read in
            // order, which the hardware prefetcher follows (panel by panel, a few lines of each row a
            // row apart: every row a new page, a cache miss each).
            for (int p = 0; p < kc; p++) {
              for (int q = 0; q < panels; q++) {
                int jq = j0 + q * wide;
                int pw = q == panels - 1 ? restWidth : wide;
                int width = Math.min(wide, j1 - jq);
                int d = pb0 + q * kc * wide + p * pw;
                if (delta == null) {
                  System.arraycopy(b, (p0 + p) * cols + jq, pb, d, width);
                } else if (gateBytes != null) {
                  packMaskedRow(delta[p0 + p], b, gateBytes, (p0 + p) * cols + jq, jq, width, pb, d);
                } else {
                  packMaskedRow(delta[p0 + p], b, gate, (p0 + p) * cols + jq, jq, width, pb, d);
                }
                if (width < pw) {
                  Arrays.fill(pb, d + width, d + pw, 0);
                }
              }
            }
          }
        }
        if (!panelsOuter(rows, cols, kc, wide)) {
          tilesOuter(mr, wide, rows, cols, tiles, panels, restWidth, j0, j1, kc, first, last, scale,
              reluInKernel && last, pa, inPlace ? a : null, lda, p0, pb, pb0, tile, c, after, aux);
          continue;
        }
        // Panel by panel, down every tile of rows: the panel (kc x wide) stays in L1 while the
        // tiles' slices of A stream from L2, mr entries per inner step (a 512-bit core's FMAs
        // outrun its L2 when the panels stream instead: 192 bytes per step of a 4 x 3 tile).
        for (int q = 0; q < panels; q++) {
          int jq = j0 + q * wide;
          int width = Math.min(wide, j1 - jq);
          int pw = q == panels - 1 ? restWidth : wide;
          boolean lastPanel = q == panels - 1;
          int pbq = pb0 + q * kc * wide;
          if (panelAtATime) {
            pbq = pb0;
            for (int p = 0; p < kc; p++) {
              int d = pbq + p * pw;
              packMaskedRow(delta[p0 + p], b, gateBytes, (p0 + p) * cols + jq, jq, width, pb, d);
              if (width < pw) {
                Arrays.fill(pb, d + width, d + pw, 0);
              }
            }
          }
          for (int t = 0; t < tiles; t++) {
            int i = t * mr;
            int height = Math.min(mr, rows - i);
            block(mr, pw, width, height, pa, t * mr * kc, inPlace ? a : null, inPlaceOffset(i, p0, lda), lda, pb, pbq,
                kc, first, scale, reluInKernel && last, tile, c, i, jq, cols);
            if (last && after != NONE && PANEL_EPILOGUE) {
              // The tile just finished, still in L1 (across the column block at its last panel, the
              // tile's rows had gone out to the L2 as the panels before swept the other tiles: S5's
              // masked backward products, 5% of its float32 step).
              DoubleKernels.epilogue(c, i * cols + jq, cols, height, width, after, aux);
            } else if (lastPanel && last && after != NONE) {
              // The tile's rows across the column block, once they are all final.
              DoubleKernels.epilogue(c, i * cols + j0, cols, height, j1 - j0, after, aux);
            }
          }
        }
      }
    }
  }

  /**
   * Columns of a two-layer net's gate panels ({@link #reluForwardPanels}) per point: m in panels
   * {@code bl.vectors()} vectors wide, column block by column block, the last panel rounded up to
   * whole vectors.
   */
  static int panelColumns(Blocking bl, int m) {
    int wide = bl.vectors() * VL;
    int nb = bl.panels() * wide;
    int full = m / nb * nb;
    int rest = m - full;
    if (rest == 0) {
      return full;
    }
    return full + (rest - 1) / wide * wide + lastPanel(rest, wide);
  }

  /**
   * The inner block (of points) of the gate functions: {@link Blocking#blockFor} for the gradient's
   * product x^T G, n points into a d x m c. The forward pass lays the gates out in blocks of it, the
   * gradient reads them so, and the layout functions find an entry by it.
   */
  static int gateBlock(Blocking bl, int n, int d, int m) {
    return bl.blockFor(n, (long) d * m);
  }

  /** The width of the last panel of a column block {@code width} wide: its columns rounded up to whole vectors. */
  static int lastPanel(int width, int wide) {
    int rest = width - (width - 1) / wide * wide;
    return (rest + VL - 1) / VL * VL;
  }

  /**
   * The forward pass of a two-layer ReLU net with one output (x n x d, w d x m, a m) for d <=
   * {@code bl.kb()}: f = alpha max(x w, 0) a with the bits of {@link DoubleKernels#multRelu} then
   * {@link DoubleKernels#multVec} (each entry of x w one chain of fused multiply-adds, f's partial
   * sums as multVec's), but h is never stored: each tile of x w is rectified in L1, summed into f's
   * partials and written out as the gate, 1 where x w > 0 and 0 elsewhere (NaN included), into
   * {@code gates} laid out as the packed right factor of {@link #panelGradient} (n x {@link
   * #panelColumns}; {@link #gateOffset}). The pass writes one n x m array instead of writing h and
   * reading it back twice (for f, and for the gradient's masked panels).
   */
  static void reluForwardPanels(Blocking bl, int n, int d, int m, double alpha, double[] x, double[] w, double[] a,
      double[] gates, int g0, double[] f, DoubleKernels.Scratch scratch) {
    reluForward(bl, n, d, m, alpha, x, w, a, gates, g0, f, scratch, false, null);
  }

  /**
   * {@link #reluForwardPanels}' pass with h = max(x w, 0) itself written out instead of the gates, as
   * the n x m array h (row by row, from entry 0) that {@link DoubleKernels#multRelu} writes, with its
   * bits: f (the same bits as multRelu then multVec) is summed from the tiles in L1, and h is not
   * read back for it.
   */
  static void reluForwardRows(Blocking bl, int n, int d, int m, double alpha, double[] x, double[] w, double[] a,
      double[] h, byte[] gateBytes, double[] f, DoubleKernels.Scratch scratch) {
    reluForward(bl, n, d, m, alpha, x, w, a, h, 0, f, scratch, true, gateBytes);
  }

  /**
   * The pass of {@link #reluForwardPanels} (rows false) and {@link #reluForwardRows} (rows true,
   * gates h, and its gates into gateBytes unless null).
   */
  private static void reluForward(Blocking bl, int n, int d, int m, double alpha, double[] x, double[] w, double[] a,
      double[] gates, int g0, double[] f, DoubleKernels.Scratch scratch, boolean rows, byte[] gateBytes) {
    int mr = bl.rows();
    int wide = bl.vectors() * VL;
    int nb = bl.panels() * wide;
    int kbg = gateBlock(bl, n, d, m);
    int mp = panelColumns(bl, m);
    int tiles = (n + mr - 1) / mr;
    int groups = DoubleKernels.PARTIALS / VL;
    int bound = m - m % DoubleKernels.PARTIALS;
    double[] pb = scratch.packedB(d * (nb + wide));
    int pb0 = scratch.packedBSkip();
    double[] pa = scratch.packedA(tiles * mr * d);
    double[] tile = scratch.tile(mr * wide);
    // f's partial sums and tails per point; the tile of x w on a cache line of its own array.
    double[] acc = scratch.transposed(n * 2 * DoubleKernels.PARTIALS);
    int sums = 0;
    int tails = n * DoubleKernels.PARTIALS;
    Arrays.fill(acc, sums, tails, 0);
    double[] z = scratch.lineTile(mr * wide);
    int z0 = scratch.lineTileSkip();
    boolean inPlace = inPlace(mr, 1);
    boolean fused = mr == 4 && wide == 3 * VL && DoubleKernels.PARTIALS == VL;
    // Per point: where its row of gates starts (its block of points, kc of them, and its row there).
    int[] rowAt = scratch.rows(3 * n);
    for (int i = 0; i < n; i++) {
      int p0 = i / kbg * kbg;
      // Rows: entry (i, j) of h at g0 + i m + j.
      rowAt[3 * i] = rows ? g0 + i * m : g0 + p0 * mp;
      rowAt[3 * i + 1] = rows ? 1 : Math.min(kbg, n - p0);
      rowAt[3 * i + 2] = rows ? 0 : i - p0;
    }
    packA(mr, n, d, x, d, 1, 0, pa, inPlace);
    for (int j0 = 0; j0 < m; j0 += nb) {
      int j1 = Math.min(m, j0 + nb);
      int panels = (j1 - j0 + wide - 1) / wide;
      int restWidth = lastPanel(j1 - j0, wide);
      for (int p = 0; p < d; p++) {
        for (int q = 0; q < panels; q++) {
          int jq = j0 + q * wide;
          int pw = q == panels - 1 ? restWidth : wide;
          int width = Math.min(wide, j1 - jq);
          int dst = pb0 + q * d * wide + p * pw;
          System.arraycopy(w, p * m + jq, pb, dst, width);
          if (width < pw) {
            Arrays.fill(pb, dst + width, dst + pw, 0);
          }
        }
      }
      // Gates: panel by panel down the tiles, so that the gates of a panel are written in order, one
      // stream. Rows: tile by tile across the panels, so that each row of h is written in order (panel
      // by panel, S3's 10,000-unit rows took 4-7% longer than through multRelu; docs/benchmarks.md,
      // 2026-12-04). Each row's panels
      // come in increasing order either way: f's partial sums are the same.
      int q = 0;
      int t = 0;
      for (int step = 0; step < panels * tiles; step++) {
        int jq = j0 + q * wide;
        int pw = q == panels - 1 ? restWidth : wide;
        int width = Math.min(wide, j1 - jq);
        int i = t * mr;
        int height = Math.min(mr, n - i);
        if (fused && height == 4 && width == pw && pw == wide && jq + pw <= bound) {
          // The whole tiles of the 4 x 3 kernel: from its registers into the gates and f's sums.
          kernel4x3gates(inPlace ? x : pa, inPlace ? i * d : t * mr * d, d, pb, pb0 + q * d * wide, d, a, jq, i, gates,
              rowAt, acc, sums, rows);
        } else {
          block(mr, pw, width, height, pa, t * mr * d, inPlace ? x : null, i * d, d, pb, pb0 + q * d * wide, d, true,
              1, false, tile, z, 0, z0, pw);
          gateTile(z, z0, pw, width, height, i, jq, bound, a, gates, rowAt, acc, sums, tails, rows);
        }
        if (rows) {
          if (++q == panels) {
            if (gateBytes != null) {
              // The tile's rows across the column block, just written (in L1 or L2), in one pass:
              // the kernel itself, given this vector code too, was compiled without its vector
              // intrinsics (and allocated); a pass per tile took S3's step 4% longer (S2's the same).
              tileGates(gates, g0, m, i, j0, height, j1 - j0, gateBytes);
            }
            q = 0;
            t++;
          }
        } else if (++t == tiles) {
          t = 0;
          q++;
        }
      }
    }
    for (int i = 0; i < n; i++) {
      double sum = 0;
      // The partials one by one in order, read where they lie: the bits of sumLanes on each group's
      // vector, without the lane extracts (1.4% of S2's float32 step).
      int o = sums + i * DoubleKernels.PARTIALS;
      for (int e = 0; e < groups * VL; e++) {
        sum += acc[o + e];
      }
      for (int j = bound; j < m; j++) {
        sum = Math.fma(acc[tails + i * DoubleKernels.PARTIALS + j - bound], a[j], sum);
      }
      f[i] = alpha * sum;
    }
  }

  /** Whether {@link #gateTile} takes a gate panel's tail columns a vector at a time. */
  private static final boolean TAIL_VECTORS = !"false".equals(System.getProperty("overparam.kernels.tailVectors"));

  /**
   * The rows of a tile of x w (z, rows pw apart, of which width entries are columns jq on) for
   * points i to i + height - 1: their gates into their panel rows (rowAt: per point its block's
   * offset, the block's kc and its row there), zero past width; h = max(z, 0) a into each row's
   * partial sums (acc from sums, {@link DoubleKernels#PARTIALS} per point: the vector of a column's
   * group) below bound, and h itself into the row's tail (from tails) from bound on. With {@code
   * rows}, h itself (its width entries) is written where the gates would go (rowAt then gives each
   * point's row of h).
   */
  private static void gateTile(double[] z, int z0, int pw, int width, int height, int i, int jq, int bound, double[] a,
      double[] gates, int[] rowAt, double[] acc, int sums, int tails, boolean rows) {
    DoubleVector zero = DoubleVector.zero(S);
    DoubleVector one = DoubleVector.broadcast(S, 1);
    int full = Math.max(0, Math.min(pw, bound - jq));
    for (int r = 0; r < height; r++) {
      int row = i + r;
      int go = rowAt[3 * row] + rowAt[3 * row + 1] * jq + rowAt[3 * row + 2] * pw;
      int zo = z0 + r * pw;
      int so = sums + row * DoubleKernels.PARTIALS;
      int v = 0;
      if (DoubleKernels.PARTIALS == VL) {
        DoubleVector s0 = DoubleVector.fromArray(S, acc, so);
        for (; v < full; v += VL) {
          DoubleVector zv = DoubleVector.fromArray(S, z, zo + v);
          VectorMask<Double> on = zv.compare(VectorOperators.GT, zero);
          DoubleVector h = zero.blend(zv, on);
          (rows ? h : zero.blend(one, on)).intoArray(gates, go + v);
          s0 = h.fma(DoubleVector.fromArray(S, a, jq + v), s0);
        }
        s0.intoArray(acc, so);
      } else {
        for (; v < full; v += VL) {
          DoubleVector zv = DoubleVector.fromArray(S, z, zo + v);
          VectorMask<Double> on = zv.compare(VectorOperators.GT, zero);
          DoubleVector h = zero.blend(zv, on);
          (rows ? h : zero.blend(one, on)).intoArray(gates, go + v);
          int sv = so + (jq + v) / VL % (DoubleKernels.PARTIALS / VL) * VL;
          h.fma(DoubleVector.fromArray(S, a, jq + v), DoubleVector.fromArray(S, acc, sv)).intoArray(acc, sv);
        }
      }
      if (!rows && TAIL_VECTORS) {
        // The columns from bound (f's tails, summed apart) and the panel's padding, a vector at a
        // time: z past the width is another tile's (block copies only the width), so masked out; the
        // padding's gates are 0 as before, and its tail sums, past m - bound, are never read.
        int to = tails + row * DoubleKernels.PARTIALS + jq - bound;
        for (; v < pw; v += VL) {
          DoubleVector zv = DoubleVector.fromArray(S, z, zo + v);
          VectorMask<Double> on = zv.compare(VectorOperators.GT, zero).and(S.indexInRange(v, width));
          zero.blend(one, on).intoArray(gates, go + v);
          zero.blend(zv, on).intoArray(acc, to + v);
        }
      }
      for (; v < pw; v++) {
        double h = v < width && z[zo + v] > 0 ? z[zo + v] : 0;
        if (!rows) {
          gates[go + v] = h > 0 ? 1 : 0;
        } else if (v < width) {
          gates[go + v] = h;
        }
        if (v < width) {
          acc[tails + row * DoubleKernels.PARTIALS + jq + v - bound] = h;
        }
      }
    }
  }

  /**
   * Where {@link #reluForwardPanels} puts the gate of point i and unit j: in the block of points
   * from p0 = i - i mod kb (kb = gateBlock(bl, n, d, m), kc of them) and the column block from j0,
   * the panel from jq, row i - p0.
   */
  static int gateOffset(Blocking bl, int n, int d, int m, int i, int j) {
    int wide = bl.vectors() * VL;
    int nb = bl.panels() * wide;
    int kbg = gateBlock(bl, n, d, m);
    int p0 = i / kbg * kbg;
    int kc = Math.min(kbg, n - p0);
    int j0 = j / nb * nb;
    int q = (j - j0) / wide;
    int j1 = Math.min(m, j0 + nb);
    int panels = (j1 - j0 + wide - 1) / wide;
    int pw = q == panels - 1 ? lastPanel(j1 - j0, wide) : wide;
    return p0 * panelColumns(bl, m) + kc * j0 + q * kc * wide + (i - p0) * pw + (j - j0 - q * wide);
  }

  /**
   * Sets bit i m + j of bits (bit e & 63 of word e >>> 6) where the gate of point i and unit j in
   * {@code gates} (as {@link #reluForwardPanels} writes them) is > 0, and clears it elsewhere; with
   * {@code count}, leaves bits alone and returns the number of entries whose bit differs instead.
   */
  static long gatePattern(Blocking bl, int n, int d, int m, double[] gates, int g0, long[] bits, boolean count) {
    int wide = bl.vectors() * VL;
    int nb = bl.panels() * wide;
    int kbg = gateBlock(bl, n, d, m);
    int mp = panelColumns(bl, m);
    if (!count) {
      Arrays.fill(bits, 0, (int) (((long) n * m + 63) >>> 6), 0L);
    }
    long differ = 0;
    for (int p0 = 0; p0 < n; p0 += kbg) {
      int kc = Math.min(kbg, n - p0);
      for (int j0 = 0; j0 < m; j0 += nb) {
        int j1 = Math.min(m, j0 + nb);
        int panels = (j1 - j0 + wide - 1) / wide;
        int restWidth = lastPanel(j1 - j0, wide);
        for (int q = 0; q < panels; q++) {
          int jq = j0 + q * wide;
          int pw = q == panels - 1 ? restWidth : wide;
          int width = Math.min(wide, j1 - jq);
          int base = g0 + p0 * mp + kc * j0 + q * kc * wide;
          long mask = width == 64 ? -1L : (1L << width) - 1;
          // Whole vectors of the panel's row (its padding past width holds zero gates): a vector
          // compare each, not a compare per gate.
          int read = Math.min(pw, (width + VL - 1) / VL * VL);
          for (int p = 0; p < kc; p++) {
            long e = (long) (p0 + p) * m + jq;
            long word = Signs.word(gates, base + p * pw, read) & mask;
            int wi = (int) (e >>> 6);
            int shift = (int) (e & 63);
            boolean spills = shift + width > 64;
            if (count) {
              differ += Long.bitCount((bits[wi] ^ (word << shift)) & (mask << shift));
              if (spills) {
                differ += Long.bitCount((bits[wi + 1] ^ (word >>> (64 - shift))) & (mask >>> (64 - shift)));
              }
            } else {
              bits[wi] |= word << shift;
              if (spills) {
                bits[wi + 1] |= word >>> (64 - shift);
              }
            }
          }
        }
      }
    }
    return differ;
  }

  /**
   * The first-layer gradient of a two-layer ReLU net with one output from the gates of {@link
   * #reluForwardPanels}: grad (d x m) = a_j times column j of xd^T G, xd (n x d) = x times delta
   * row by row (each entry rounded), G the gates (1 or 0). Entry (k, j) is a_j times one chain of
   * fused multiply-adds fma(xd_ik, G_ij, s) over i in increasing order (whatever the blocking), then
   * rounded. The gates are read where they lie, as the packed panels of the product: no pass forms a
   * masked right factor. x comes transposed (xT, d x n, row-major: a net's training input, transposed
   * once): the left factor xd^T is then packed from xT's rows times delta as they lie, contiguous
   * and a vector at a time, where packing it from a row-major xd read it down its columns.
   */
  static void panelGradient(Blocking bl, int n, int d, int m, double[] xT, double[] delta, double[] a, double[] gates,
      int g0, double[] grad, DoubleKernels.Scratch scratch) {
    int mr = bl.rows();
    int wide = bl.vectors() * VL;
    int nb = bl.panels() * wide;
    int kb = gateBlock(bl, n, d, m);
    int mp = panelColumns(bl, m);
    int tiles = (d + mr - 1) / mr;
    double[] pa = scratch.packedA(tiles * mr * kb);
    double[] tile = scratch.tile(mr * wide);
    // Whether the last block scaled each finished tile by a (else a pass over grad does it after).
    boolean scaled = false;
    for (int p0 = 0; p0 < n; p0 += kb) {
      int kc = Math.min(n, p0 + kb) - p0;
      boolean first = p0 == 0;
      boolean last = p0 + kc == n;
      packScaled(mr, d, n, kc, xT, delta, p0, pa);
      for (int j0 = 0; j0 < m; j0 += nb) {
        int j1 = Math.min(m, j0 + nb);
        int panels = (j1 - j0 + wide - 1) / wide;
        int restWidth = lastPanel(j1 - j0, wide);
        int base = g0 + p0 * mp + kc * j0;
        if (!panelsOuter(d, m, kc, wide)) {
          tilesOuter(mr, wide, d, m, tiles, panels, restWidth, j0, j1, kc, first, false, 1, false, pa, null, 1, p0,
              gates, base, tile, grad, NONE, null);
          continue;
        }
        for (int q = 0; q < panels; q++) {
          int jq = j0 + q * wide;
          int width = Math.min(wide, j1 - jq);
          int pw = q == panels - 1 ? restWidth : wide;
          for (int t = 0; t < tiles; t++) {
            int i = t * mr;
            int height = Math.min(mr, d - i);
            block(mr, pw, width, height, pa, t * mr * kc, null, 0, 0, gates, base + q * kc * wide, kc, first, 1,
                false, tile, grad, i, jq, m);
            if (last && COLUMNS_IN_TILES) {
              // a_j times the finished tile while it is in L1 (a pass over grad after the product read
              // it back from the L2: 1.4% of S2's float32 step).
              for (int r = 0; r < height; r++) {
                DoubleKernels.multiply(grad, (i + r) * m + jq, a, jq, width);
              }
              scaled = true;
            }
          }
        }
      }
    }
    if (!scaled) {
      for (int k = 0; k < d; k++) {
        DoubleKernels.multiply(grad, k * m, a, 0, m);
      }
    }
  }

  /** Whether {@link #panelGradient} scales its tiles by a as they finish. */
  private static final boolean COLUMNS_IN_TILES = !"false".equals(System.getProperty(
      "overparam.kernels.columnsInTiles"));

  /**
   * Whether {@link #gemmPacked} sweeps each panel down the tiles (the panel in L1, A streaming) rather
   * than each tile across the panels (the tile of A in L1, the panels streaming from L2), for panels
   * {@code wide} entries wide. Panels outer where a panel's row is at least {@link #STREAM_BYTES}
   * (512-bit vectors: 192 bytes a step of a 4 x 3 tile, which the FMAs consume faster than the L2
   * delivers; on 256-bit vectors, 64 or 96 bytes a step, the L2 keeps up and tiles outer measured
   * faster on Zen 3, 2026-11-30), except for a short inner block into a c larger than half the L2:
   * there each panel's pass writes a few lines of every row of c with few multiply-adds per line,
   * lines the hardware prefetcher does not see coming (a 200 x 10,000 output with 50 inner steps ran
   * at 0.6-0.8 of the tiles-outer speed), while tile by tile the rows of c are written in order; and
   * except where c's rows are a multiple of {@link #ALIAS_BYTES} apart (512 or 1,024 doubles, 1,024
   * floats): panel by panel, each kernel then loads a tile of c whose addresses share their low 12
   * bits with the stores of the tile before it, four rows up, which the core holds back as possible
   * dependences (4K aliasing), and a tile's rows share their L1 sets; tile by tile, one kernel
   * follows another along the same rows (S5's training step 21-23 -> 25-26 steps/s in float64, a
   * net 1,024 wide 4.0 -> 4.8-5.3, 2026-12-01).
   */
  static boolean panelsOuter(int rows, int cols, int kc, int wide) {
    return wide * Double.BYTES >= STREAM_BYTES
        && (long) cols * Double.BYTES % ALIAS_BYTES != 0
        && (kc >= PANELS_OUTER_KC || (long) rows * cols * Double.BYTES <= Blocking.L2_BYTES / 2);
  }

  /** Whether the panels-outer sweep applies the epilogue to each tile as it finishes (else per row of tiles). */
  private static final boolean PANEL_EPILOGUE = !"false".equals(System.getProperty("overparam.kernels.panelEpilogue"));

  /** Row strides (in bytes) whose multiples keep the tiles outer: x86's 4K-aliasing window. */
  static final int ALIAS_BYTES = 4096;

  /** The bytes of a panel's row from which the panels go outer. */
  static final int STREAM_BYTES = 128;

  /** The inner block from which the panels go outer whatever the size of c. */
  static final int PANELS_OUTER_KC = 96;

  /**
   * {@link #gemmPacked}'s column block with every tile swept across the panels (a not null: whole
   * tiles read in place, rows ars apart, or with ars < 0 a transposed A, steps -ars apart).
   */
  private static void tilesOuter(int mr, int wide, int rows, int cols, int tiles, int panels, int restWidth, int j0,
      int j1, int kc, boolean first, boolean last, double scale, boolean relu, double[] pa, double[] a, int ars, int p0,
      double[] pb, int pb0, double[] tile, double[] c, int epilogue, double[] aux) {
    for (int t = 0; t < tiles; t++) {
      int i = t * mr;
      int height = Math.min(mr, rows - i);
      int pao = t * mr * kc;
      for (int q = 0; q < panels; q++) {
        int jq = j0 + q * wide;
        int pw = q == panels - 1 ? restWidth : wide;
        block(mr, pw, Math.min(wide, j1 - jq), height, pa, pao, a, inPlaceOffset(i, p0, ars), ars, pb,
            pb0 + q * kc * wide, kc,
            first, scale, relu, tile, c, i, jq, cols);
      }
      if (last && epilogue != NONE) {
        // The tile's rows across the column block, still in L1: one call per tile, not per panel.
        DoubleKernels.epilogue(c, i * cols + j0, cols, height, j1 - j0, epilogue, aux);
      }
    }
  }

  /**
   * Where A(i, p0) lies in a matrix read in place: rows lda apart, or with lda < 0 a transposed A
   * whose steps are -lda apart ({@link #inPlaceColumns}).
   */
  private static int inPlaceOffset(int i, int p0, int lda) {
    return lda < 0 ? i - lda * p0 : i * lda + p0;
  }

  /**
   * One tile of rows (from row i) times one panel (from column jq) into c; edges through the padded
   * tile. A whole tile of A is read in place (from a at ar, rows lda apart; with lda < 0 a transposed
   * A, steps -lda apart, {@link #inPlaceColumns}) when a is not null, else from the packed tile at
   * pa[pao] (and so is an edge tile of fewer than mr rows).
   */
  private static void block(int mr, int pw, int width, int height, double[] pa, int pao, double[] a, int ar, int lda,
      double[] pb, int pbo, int kc, boolean first, double scale, boolean relu, double[] tile, double[] c, int i, int jq,
      int cols) {
    boolean here = a != null && height == mr;
    double[] src = here ? a : pa;
    int off = here ? ar : pao;
    int ld = here ? lda : kc;
    if (width == pw && height == mr) {
      micro(mr, pw, src, off, ld, pb, pbo, kc, first, scale, relu, c, i * cols + jq, cols);
      return;
    }
    if (!first) {
      for (int r = 0; r < height; r++) {
        System.arraycopy(c, (i + r) * cols + jq, tile, r * pw, width);
      }
    }
    micro(mr, pw, src, off, ld, pb, pbo, kc, first, scale, relu, tile, 0, pw);
    for (int r = 0; r < height; r++) {
      System.arraycopy(tile, r * pw, c, (i + r) * cols + jq, width);
    }
  }

  /**
   * Copies A(i, p0 + p) for all rows i and p < kc into tiles of mr rows, tile t at t * mr * kc: 4
   * rows as {@link #packRows} (only the tiles not read in place), 6 rows step by step, entry (r, p)
   * at 6 * p + r, rows past the end zero. Reads a along its contiguous index: a column's 6 entries in
   * one copy when they are contiguous in a (a^T b: A is a read down its columns).
   */
  private static void packA(int mr, int rows, int kc, double[] a, int ars, int acs, int p0, double[] pa,
      boolean inPlace) {
    if (mr == 4) {
      packRows(rows, kc, a, ars, acs, p0, pa, inPlace ? rows / 4 : 0);
      return;
    }
    int tiles = (rows + mr - 1) / mr;
    for (int t = 0; t < tiles; t++) {
      int i = t * mr;
      int height = Math.min(mr, rows - i);
      int dst = t * mr * kc;
      int a0 = i * ars + p0 * acs;
      if (height == mr && ars == 1) {
        for (int p = 0; p < kc; p++) {
          System.arraycopy(a, a0 + p * acs, pa, dst + mr * p, mr);
        }
        continue;
      }
      if (acs == 1) {
        for (int r = 0; r < height; r++) {
          int ar = (i + r) * ars + p0;
          for (int p = 0; p < kc; p++) {
            pa[dst + mr * p + r] = a[ar + p];
          }
        }
      } else {
        for (int p = 0; p < kc; p++) {
          int ap = i * ars + (p0 + p) * acs;
          for (int r = 0; r < height; r++) {
            pa[dst + mr * p + r] = a[ap + r * ars];
          }
        }
      }
      for (int r = height; r < mr; r++) {
        for (int p = 0; p < kc; p++) {
          pa[dst + mr * p + r] = 0;
        }
      }
    }
  }

  /**
   * Packs A(k, p0 + p) = xT(k, p0 + p) delta(p0 + p), each product rounded, for the rows k < rows and
   * p < kc into tiles of mr rows as {@link #packA} lays them out (xT rows x n, row-major): the left
   * factor xd^T of {@link #panelGradient}, formed as it is packed.
   */
  private static void packScaled(int mr, int rows, int n, int kc, double[] xT, double[] delta, int p0, double[] pa) {
    int tiles = (rows + mr - 1) / mr;
    int bound = S.loopBound(kc);
    for (int t = 0; t < tiles; t++) {
      int i = t * mr;
      int height = Math.min(mr, rows - i);
      int dst = t * mr * kc;
      for (int r = 0; r < height; r++) {
        int src = (i + r) * n + p0;
        if (mr == 4) {
          int out = dst + r * kc;
          int p = 0;
          for (; p < bound; p += VL) {
            DoubleVector.fromArray(S, xT, src + p).mul(DoubleVector.fromArray(S, delta, p0 + p)).intoArray(pa, out + p);
          }
          for (; p < kc; p++) {
            pa[out + p] = xT[src + p] * delta[p0 + p];
          }
        } else {
          for (int p = 0; p < kc; p++) {
            pa[dst + mr * p + r] = xT[src + p] * delta[p0 + p];
          }
        }
      }
      if (mr == 4) {
        Arrays.fill(pa, dst + height * kc, dst + 4 * kc, 0);
      } else {
        for (int r = height; r < mr; r++) {
          for (int p = 0; p < kc; p++) {
            pa[dst + mr * p + r] = 0;
          }
        }
      }
    }
  }

  /**
   * Copies A(i, p0 + p) for all rows i from tile fromTile on and p < kc into tiles of 4 rows, tile t
   * at t * 4 * kc, entry (r, p) at r * kc + p (each row of the tile contiguous, as a row-major A
   * read in place); rows past the end are zero. A row-major A's rows are copied whole; a column-major
   * one's (a^T b) 4 rows are read side by side, one entry of each per step.
   */
  private static void packRows(int rows, int kc, double[] a, int ars, int acs, int p0, double[] pa, int fromTile) {
    int tiles = (rows + 3) / 4;
    for (int t = fromTile; t < tiles; t++) {
      int i = t * 4;
      int height = Math.min(4, rows - i);
      int dst = t * 4 * kc;
      if (acs == 1) {
        for (int r = 0; r < height; r++) {
          System.arraycopy(a, (i + r) * ars + p0, pa, dst + r * kc, kc);
        }
      } else if (height == 4) {
        int o = i * ars + p0 * acs;
        int d1 = dst + kc;
        int d2 = d1 + kc;
        int d3 = d2 + kc;
        for (int p = 0; p < kc; p++, o += acs) {
          pa[dst + p] = a[o];
          pa[d1 + p] = a[o + ars];
          pa[d2 + p] = a[o + 2 * ars];
          pa[d3 + p] = a[o + 3 * ars];
        }
      } else {
        for (int r = 0; r < height; r++) {
          int o = (i + r) * ars + p0 * acs;
          for (int p = 0; p < kc; p++, o += acs) {
            pa[dst + r * kc + p] = a[o];
          }
        }
      }
      Arrays.fill(pa, dst + height * kc, dst + 4 * kc, 0);
    }
  }

  /**
   * Copies B(p0 + p, jq + jj) = b(jq + jj, p0 + p) (b is cols x inner, B = b^T) for p < kc and jj <
   * width into a panel pw wide at dst, entry (p, jj) at dst + p * pw + jj; columns past width are
   * zero. Reads b along its contiguous (inner) index.
   */
  private static void packTransposed(double[] b, int inner, int p0, int kc, int jq, int width, int pw, double[] pb,
      int dst) {
    for (int jj = 0; jj < pw; jj++) {
      if (jj < width) {
        int src = (jq + jj) * inner + p0;
        for (int p = 0; p < kc; p++) {
          pb[dst + p * pw + jj] = b[src + p];
        }
      } else {
        for (int p = 0; p < kc; p++) {
          pb[dst + p * pw + jj] = 0;
        }
      }
    }
  }

  /**
   * One row of the masked outer product's panel: pb[d + jj] = fma(dp, u[jq + jj], 0) where
   * gate[g + jj] > 0, else +0, for jj < width (the bits of {@code DoubleKernels.multTransBMasked}).
   */
  private static void packMaskedRow(double dp, double[] u, double[] gate, int g, int jq, int width, double[] pb,
      int d) {
    DoubleVector zero = DoubleVector.zero(S);
    DoubleVector dv = DoubleVector.broadcast(S, dp);
    int bound = S.loopBound(width);
    int jj = 0;
    for (; jj < bound; jj += VL) {
      DoubleVector v = dv.fma(DoubleVector.fromArray(S, u, jq + jj), zero);
      zero.blend(v, DoubleVector.fromArray(S, gate, g + jj).compare(VectorOperators.GT, zero)).intoArray(pb, d + jj);
    }
    for (; jj < width; jj++) {
      pb[d + jj] = gate[g + jj] > 0 ? Math.fma(dp, u[jq + jj], 0) : 0;
    }
  }

  /**
   * {@link #packMaskedRow} with the gates of the row's entries as bytes (1 on, 0 off) from entry g
   * of gateBytes: the same entries.
   */
  private static void packMaskedRow(double dp, double[] u, byte[] gateBytes, int g, int jq, int width, double[] pb,
      int d) {
    DoubleVector zero = DoubleVector.zero(S);
    DoubleVector dv = DoubleVector.broadcast(S, dp);
    int bound = S.loopBound(width);
    int jj = 0;
    for (; jj < bound; jj += VL) {
      DoubleVector v = dv.fma(DoubleVector.fromArray(S, u, jq + jj), zero);
      // Each lane's gate widened and negated (0 or all ones), as a mask of v's bits: +0 where off.
      LongVector keep = ((LongVector) ByteVector.fromArray(BS, gateBytes, g + jj).convertShape(VectorOperators.B2L, LS,
          0)).neg();
      v.reinterpretAsLongs().and(keep).reinterpretAsDoubles().intoArray(pb, d + jj);
    }
    for (; jj < width; jj++) {
      pb[d + jj] = gateBytes[g + jj] != 0 ? Math.fma(dp, u[jq + jj], 0) : 0;
    }
  }

  /**
   * The gates of a block of h = max(z, 0) as {@link #reluForwardRows} writes it (entry (i, j) at h0
   * + i m + j) into gateBytes (entry i m + j): 1 where h is > 0, 0 elsewhere, for the height rows
   * from point i and the width columns from unit jq. A lane of h is +0 or > 0, and a positive double's raw
   * bits are a positive integer: min(raw, 1) narrowed to a byte is the gate (integer lane operations
   * throughout: {@code VectorMask.intoArray} is not intrinsified on JDK 17 and allocates).
   */
  private static void tileGates(double[] h, int h0, int m, int i, int jq, int height, int width, byte[] gateBytes) {
    int bound = S.loopBound(width);
    for (int r = 0; r < height; r++) {
      int e = (i + r) * m + jq;
      int o = h0 + e;
      int v = 0;
      for (; v < bound; v += VL) {
        gateBytes(DoubleVector.fromArray(S, h, o + v)).intoArray(gateBytes, e + v);
      }
      for (; v < width; v++) {
        gateBytes[e + v] = (byte) (h[o + v] > 0 ? 1 : 0);
      }
    }
  }

  /** The gates of h's lanes (each +0 or > 0) as bytes, 1 where > 0: {@link #tileGates}. */
  private static ByteVector gateBytes(DoubleVector h) {
    return h.reinterpretAsLongs().min(ONE).convertShape(VectorOperators.L2B, BS, 0).reinterpretAsBytes();
  }

  /** The integer lanes of the vectors' shape, bytes as many as lanes, and ones. */
  private static final VectorSpecies<Long> LS = S.withLanes(long.class);
  private static final VectorSpecies<Byte> BS = VectorSpecies.of(byte.class, VectorShape.forBitSize(VL * Byte.SIZE));
  private static final LongVector ONE = LongVector.broadcast(LS, 1);

  /**
   * Whether {@link #gemmPacked} reads the whole tiles of A in place ({@link #microRows}) instead of
   * packing them: where A's rows are contiguous (acs 1, as H and delta in H W and delta W^T) and the
   * tile has 4 rows. Packing such a tile is a 4 x kc transpose, one entry at a time, that cost as
   * much as a sixth of a float32 training step of S4 (500 x 128 products, each packed entry used by
   * three panels); read in place, the kernel broadcasts from four rows, each along its contiguous
   * index. The multiply-adds and their order are those of a packed tile: the same bits.
   * {@code -Doverparam.kernels.packRows=true} packs them as before.
   */
  static boolean inPlace(int mr, int acs) {
    return mr == 4 && acs == 1 && !PACK_ROWS;
  }

  private static final boolean PACK_ROWS = Boolean.getBoolean("overparam.kernels.packRows");

  /**
   * Whether {@link #gemmPacked} reads A where it lies when A is the transpose of a row-major matrix
   * (a^T b, the layers' gradients H^T D: A(i, p) at a[i + p * acs]): on 4 x 4 tiles whose every tile
   * of rows and every panel is whole, so that only {@link #kernel4x4columns} is needed. The tile's 4
   * entries of a step are then contiguous, one step acs entries from the next; packed, they cost a 4
   * x kc transpose per tile and inner block. The gradient of S4 alone (128 x 128, inner 500, 4 x 4
   * tiles) ran at 50-53 GFLOP/s against 47-48 in float64 and 101-107 against 89-90 in float32; S4's
   * training step 4-5% faster in float64 and 6% in float32, S5's within the noise (AMD Zen 4,
   * 2026-12-03, JVMs alternating). The same multiply-adds in the same order: the same bits. {@code
   * -Doverparam.kernels.packRows=true} packs them as before.
   */
  static boolean inPlaceColumns(int mr, int wide, int rows, int cols, int ars, int acs) {
    return mr == 4 && wide == 4 * VL && ars == 1 && acs != 1 && rows % 4 == 0 && cols % wide == 0 && !PACK_ROWS;
  }

  /**
   * The micro-kernel of 4 rows of A read in place (rows lda apart from a0) and a panel pw wide; with
   * lda < 0, 4 rows of a transposed A and a panel of 4 vectors ({@link #inPlaceColumns}: A(r, p) at
   * a0 + r - p * lda).
   */
  static void microRows(int pw, double[] a, int a0, int lda, double[] pb, int pbo, int kc, boolean first,
      double scale, boolean relu, double[] c, int c0, int ldc) {
    if (lda < 0) {
      kernel4x4columns(a, a0, -lda, pb, pbo, kc, first, scale, c, c0, ldc);
    } else if (pw == 4 * VL) {
      kernel4x4rows(a, a0, lda, pb, pbo, kc, first, scale, relu, c, c0, ldc);
    } else if (pw == 3 * VL) {
      kernel4x3rows(a, a0, lda, pb, pbo, kc, first, scale, relu, c, c0, ldc);
    } else if (pw == 2 * VL) {
      kernel4x2rows(a, a0, lda, pb, pbo, kc, first, scale, relu, c, c0, ldc);
    } else {
      kernel4x1rows(a, a0, lda, pb, pbo, kc, first, scale, relu, c, c0, ldc);
    }
  }

  /** {@link #microRows}'s kernel of 4 rows x 4 vectors. */
  private static void kernel4x4rows(double[] a, int a0, int lda, double[] pb, int pbo, int kc, boolean first,
      double scale, boolean relu, double[] c, int c0, int ldc) {
    DoubleVector s00;
    DoubleVector s01;
    DoubleVector s02;
    DoubleVector s03;
    DoubleVector s10;
    DoubleVector s11;
    DoubleVector s12;
    DoubleVector s13;
    DoubleVector s20;
    DoubleVector s21;
    DoubleVector s22;
    DoubleVector s23;
    DoubleVector s30;
    DoubleVector s31;
    DoubleVector s32;
    DoubleVector s33;
    if (first) {
      s00 = s01 = s02 = s03 = s10 = s11 = s12 = s13 = s20 = s21 = s22 = s23 = s30 = s31 = s32 = s33 = DoubleVector.zero(
          S);
    } else {
      int c1 = c0 + ldc;
      int c2 = c1 + ldc;
      int c3 = c2 + ldc;
      s00 = DoubleVector.fromArray(S, c, c0);
      s01 = DoubleVector.fromArray(S, c, c0 + VL);
      s02 = DoubleVector.fromArray(S, c, c0 + 2 * VL);
      s03 = DoubleVector.fromArray(S, c, c0 + 3 * VL);
      s10 = DoubleVector.fromArray(S, c, c1);
      s11 = DoubleVector.fromArray(S, c, c1 + VL);
      s12 = DoubleVector.fromArray(S, c, c1 + 2 * VL);
      s13 = DoubleVector.fromArray(S, c, c1 + 3 * VL);
      s20 = DoubleVector.fromArray(S, c, c2);
      s21 = DoubleVector.fromArray(S, c, c2 + VL);
      s22 = DoubleVector.fromArray(S, c, c2 + 2 * VL);
      s23 = DoubleVector.fromArray(S, c, c2 + 3 * VL);
      s30 = DoubleVector.fromArray(S, c, c3);
      s31 = DoubleVector.fromArray(S, c, c3 + VL);
      s32 = DoubleVector.fromArray(S, c, c3 + 2 * VL);
      s33 = DoubleVector.fromArray(S, c, c3 + 3 * VL);
    }
    int wide = 4 * VL;
    int a1 = a0 + lda;
    int a2 = a1 + lda;
    int a3 = a2 + lda;
    // Two steps an iteration (half the loop's integer work per multiply-add). Each row of A is
    // indexed by the step plus a loop-invariant offset, the form whose range checks C2 can hoist.
    int p = 0;
    for (; p < kc - 1; p += 2) {
      int bp = pbo + wide * p;
      DoubleVector b0 = DoubleVector.fromArray(S, pb, bp);
      DoubleVector b1 = DoubleVector.fromArray(S, pb, bp + VL);
      DoubleVector b2 = DoubleVector.fromArray(S, pb, bp + 2 * VL);
      DoubleVector b3 = DoubleVector.fromArray(S, pb, bp + 3 * VL);
      DoubleVector x = DoubleVector.broadcast(S, a[a0 + p]);
      s00 = x.fma(b0, s00);
      s01 = x.fma(b1, s01);
      s02 = x.fma(b2, s02);
      s03 = x.fma(b3, s03);
      x = DoubleVector.broadcast(S, a[a1 + p]);
      s10 = x.fma(b0, s10);
      s11 = x.fma(b1, s11);
      s12 = x.fma(b2, s12);
      s13 = x.fma(b3, s13);
      x = DoubleVector.broadcast(S, a[a2 + p]);
      s20 = x.fma(b0, s20);
      s21 = x.fma(b1, s21);
      s22 = x.fma(b2, s22);
      s23 = x.fma(b3, s23);
      x = DoubleVector.broadcast(S, a[a3 + p]);
      s30 = x.fma(b0, s30);
      s31 = x.fma(b1, s31);
      s32 = x.fma(b2, s32);
      s33 = x.fma(b3, s33);
      bp += wide;
      b0 = DoubleVector.fromArray(S, pb, bp);
      b1 = DoubleVector.fromArray(S, pb, bp + VL);
      b2 = DoubleVector.fromArray(S, pb, bp + 2 * VL);
      b3 = DoubleVector.fromArray(S, pb, bp + 3 * VL);
      x = DoubleVector.broadcast(S, a[a0 + p + 1]);
      s00 = x.fma(b0, s00);
      s01 = x.fma(b1, s01);
      s02 = x.fma(b2, s02);
      s03 = x.fma(b3, s03);
      x = DoubleVector.broadcast(S, a[a1 + p + 1]);
      s10 = x.fma(b0, s10);
      s11 = x.fma(b1, s11);
      s12 = x.fma(b2, s12);
      s13 = x.fma(b3, s13);
      x = DoubleVector.broadcast(S, a[a2 + p + 1]);
      s20 = x.fma(b0, s20);
      s21 = x.fma(b1, s21);
      s22 = x.fma(b2, s22);
      s23 = x.fma(b3, s23);
      x = DoubleVector.broadcast(S, a[a3 + p + 1]);
      s30 = x.fma(b0, s30);
      s31 = x.fma(b1, s31);
      s32 = x.fma(b2, s32);
      s33 = x.fma(b3, s33);
    }
    if (p < kc) {
      int bp = pbo + wide * p;
      DoubleVector b0 = DoubleVector.fromArray(S, pb, bp);
      DoubleVector b1 = DoubleVector.fromArray(S, pb, bp + VL);
      DoubleVector b2 = DoubleVector.fromArray(S, pb, bp + 2 * VL);
      DoubleVector b3 = DoubleVector.fromArray(S, pb, bp + 3 * VL);
      DoubleVector x = DoubleVector.broadcast(S, a[a0 + p]);
      s00 = x.fma(b0, s00);
      s01 = x.fma(b1, s01);
      s02 = x.fma(b2, s02);
      s03 = x.fma(b3, s03);
      x = DoubleVector.broadcast(S, a[a1 + p]);
      s10 = x.fma(b0, s10);
      s11 = x.fma(b1, s11);
      s12 = x.fma(b2, s12);
      s13 = x.fma(b3, s13);
      x = DoubleVector.broadcast(S, a[a2 + p]);
      s20 = x.fma(b0, s20);
      s21 = x.fma(b1, s21);
      s22 = x.fma(b2, s22);
      s23 = x.fma(b3, s23);
      x = DoubleVector.broadcast(S, a[a3 + p]);
      s30 = x.fma(b0, s30);
      s31 = x.fma(b1, s31);
      s32 = x.fma(b2, s32);
      s33 = x.fma(b3, s33);
    }
    if (scale != 1) {
      s00 = s00.mul(scale);
      s01 = s01.mul(scale);
      s02 = s02.mul(scale);
      s03 = s03.mul(scale);
      s10 = s10.mul(scale);
      s11 = s11.mul(scale);
      s12 = s12.mul(scale);
      s13 = s13.mul(scale);
      s20 = s20.mul(scale);
      s21 = s21.mul(scale);
      s22 = s22.mul(scale);
      s23 = s23.mul(scale);
      s30 = s30.mul(scale);
      s31 = s31.mul(scale);
      s32 = s32.mul(scale);
      s33 = s33.mul(scale);
    }
    if (relu) {
      DoubleVector zero = DoubleVector.zero(S);
      s00 = zero.blend(s00, s00.compare(VectorOperators.GT, zero));
      s01 = zero.blend(s01, s01.compare(VectorOperators.GT, zero));
      s02 = zero.blend(s02, s02.compare(VectorOperators.GT, zero));
      s03 = zero.blend(s03, s03.compare(VectorOperators.GT, zero));
      s10 = zero.blend(s10, s10.compare(VectorOperators.GT, zero));
      s11 = zero.blend(s11, s11.compare(VectorOperators.GT, zero));
      s12 = zero.blend(s12, s12.compare(VectorOperators.GT, zero));
      s13 = zero.blend(s13, s13.compare(VectorOperators.GT, zero));
      s20 = zero.blend(s20, s20.compare(VectorOperators.GT, zero));
      s21 = zero.blend(s21, s21.compare(VectorOperators.GT, zero));
      s22 = zero.blend(s22, s22.compare(VectorOperators.GT, zero));
      s23 = zero.blend(s23, s23.compare(VectorOperators.GT, zero));
      s30 = zero.blend(s30, s30.compare(VectorOperators.GT, zero));
      s31 = zero.blend(s31, s31.compare(VectorOperators.GT, zero));
      s32 = zero.blend(s32, s32.compare(VectorOperators.GT, zero));
      s33 = zero.blend(s33, s33.compare(VectorOperators.GT, zero));
    }
    int c1 = c0 + ldc;
    int c2 = c1 + ldc;
    int c3 = c2 + ldc;
    s00.intoArray(c, c0);
    s01.intoArray(c, c0 + VL);
    s02.intoArray(c, c0 + 2 * VL);
    s03.intoArray(c, c0 + 3 * VL);
    s10.intoArray(c, c1);
    s11.intoArray(c, c1 + VL);
    s12.intoArray(c, c1 + 2 * VL);
    s13.intoArray(c, c1 + 3 * VL);
    s20.intoArray(c, c2);
    s21.intoArray(c, c2 + VL);
    s22.intoArray(c, c2 + 2 * VL);
    s23.intoArray(c, c2 + 3 * VL);
    s30.intoArray(c, c3);
    s31.intoArray(c, c3 + VL);
    s32.intoArray(c, c3 + 2 * VL);
    s33.intoArray(c, c3 + 3 * VL);
  }

  /**
   * {@link #kernel4x4rows} for 4 rows of A whose entries of a step are contiguous and the steps lda
   * apart (A(r, p) at a0 + r + p * lda: the transpose of a row-major matrix, read in place), without
   * the ReLU ({@link #inPlaceColumns} is never asked for one).
   */
  private static void kernel4x4columns(double[] a, int a0, int lda, double[] pb, int pbo, int kc, boolean first,
      double scale, double[] c, int c0, int ldc) {
    DoubleVector s00;
    DoubleVector s01;
    DoubleVector s02;
    DoubleVector s03;
    DoubleVector s10;
    DoubleVector s11;
    DoubleVector s12;
    DoubleVector s13;
    DoubleVector s20;
    DoubleVector s21;
    DoubleVector s22;
    DoubleVector s23;
    DoubleVector s30;
    DoubleVector s31;
    DoubleVector s32;
    DoubleVector s33;
    if (first) {
      s00 = s01 = s02 = s03 = s10 = s11 = s12 = s13 = s20 = s21 = s22 = s23 = s30 = s31 = s32 = s33 = DoubleVector.zero(
          S);
    } else {
      int c1 = c0 + ldc;
      int c2 = c1 + ldc;
      int c3 = c2 + ldc;
      s00 = DoubleVector.fromArray(S, c, c0);
      s01 = DoubleVector.fromArray(S, c, c0 + VL);
      s02 = DoubleVector.fromArray(S, c, c0 + 2 * VL);
      s03 = DoubleVector.fromArray(S, c, c0 + 3 * VL);
      s10 = DoubleVector.fromArray(S, c, c1);
      s11 = DoubleVector.fromArray(S, c, c1 + VL);
      s12 = DoubleVector.fromArray(S, c, c1 + 2 * VL);
      s13 = DoubleVector.fromArray(S, c, c1 + 3 * VL);
      s20 = DoubleVector.fromArray(S, c, c2);
      s21 = DoubleVector.fromArray(S, c, c2 + VL);
      s22 = DoubleVector.fromArray(S, c, c2 + 2 * VL);
      s23 = DoubleVector.fromArray(S, c, c2 + 3 * VL);
      s30 = DoubleVector.fromArray(S, c, c3);
      s31 = DoubleVector.fromArray(S, c, c3 + VL);
      s32 = DoubleVector.fromArray(S, c, c3 + 2 * VL);
      s33 = DoubleVector.fromArray(S, c, c3 + 3 * VL);
    }
    int wide = 4 * VL;
    int o = a0;
    // Two steps an iteration (half the loop's integer work per multiply-add); a step's 4 entries of
    // A are contiguous from o, the next step's lda further.
    int p = 0;
    for (; p < kc - 1; p += 2, o += 2 * lda) {
      int bp = pbo + wide * p;
      DoubleVector b0 = DoubleVector.fromArray(S, pb, bp);
      DoubleVector b1 = DoubleVector.fromArray(S, pb, bp + VL);
      DoubleVector b2 = DoubleVector.fromArray(S, pb, bp + 2 * VL);
      DoubleVector b3 = DoubleVector.fromArray(S, pb, bp + 3 * VL);
      DoubleVector x = DoubleVector.broadcast(S, a[o + 0]);
      s00 = x.fma(b0, s00);
      s01 = x.fma(b1, s01);
      s02 = x.fma(b2, s02);
      s03 = x.fma(b3, s03);
      x = DoubleVector.broadcast(S, a[o + 1]);
      s10 = x.fma(b0, s10);
      s11 = x.fma(b1, s11);
      s12 = x.fma(b2, s12);
      s13 = x.fma(b3, s13);
      x = DoubleVector.broadcast(S, a[o + 2]);
      s20 = x.fma(b0, s20);
      s21 = x.fma(b1, s21);
      s22 = x.fma(b2, s22);
      s23 = x.fma(b3, s23);
      x = DoubleVector.broadcast(S, a[o + 3]);
      s30 = x.fma(b0, s30);
      s31 = x.fma(b1, s31);
      s32 = x.fma(b2, s32);
      s33 = x.fma(b3, s33);
      bp += wide;
      b0 = DoubleVector.fromArray(S, pb, bp);
      b1 = DoubleVector.fromArray(S, pb, bp + VL);
      b2 = DoubleVector.fromArray(S, pb, bp + 2 * VL);
      b3 = DoubleVector.fromArray(S, pb, bp + 3 * VL);
      x = DoubleVector.broadcast(S, a[o + lda + 0]);
      s00 = x.fma(b0, s00);
      s01 = x.fma(b1, s01);
      s02 = x.fma(b2, s02);
      s03 = x.fma(b3, s03);
      x = DoubleVector.broadcast(S, a[o + lda + 1]);
      s10 = x.fma(b0, s10);
      s11 = x.fma(b1, s11);
      s12 = x.fma(b2, s12);
      s13 = x.fma(b3, s13);
      x = DoubleVector.broadcast(S, a[o + lda + 2]);
      s20 = x.fma(b0, s20);
      s21 = x.fma(b1, s21);
      s22 = x.fma(b2, s22);
      s23 = x.fma(b3, s23);
      x = DoubleVector.broadcast(S, a[o + lda + 3]);
      s30 = x.fma(b0, s30);
      s31 = x.fma(b1, s31);
      s32 = x.fma(b2, s32);
      s33 = x.fma(b3, s33);
    }
    if (p < kc) {
      int bp = pbo + wide * p;
      DoubleVector b0 = DoubleVector.fromArray(S, pb, bp);
      DoubleVector b1 = DoubleVector.fromArray(S, pb, bp + VL);
      DoubleVector b2 = DoubleVector.fromArray(S, pb, bp + 2 * VL);
      DoubleVector b3 = DoubleVector.fromArray(S, pb, bp + 3 * VL);
      DoubleVector x = DoubleVector.broadcast(S, a[o + 0]);
      s00 = x.fma(b0, s00);
      s01 = x.fma(b1, s01);
      s02 = x.fma(b2, s02);
      s03 = x.fma(b3, s03);
      x = DoubleVector.broadcast(S, a[o + 1]);
      s10 = x.fma(b0, s10);
      s11 = x.fma(b1, s11);
      s12 = x.fma(b2, s12);
      s13 = x.fma(b3, s13);
      x = DoubleVector.broadcast(S, a[o + 2]);
      s20 = x.fma(b0, s20);
      s21 = x.fma(b1, s21);
      s22 = x.fma(b2, s22);
      s23 = x.fma(b3, s23);
      x = DoubleVector.broadcast(S, a[o + 3]);
      s30 = x.fma(b0, s30);
      s31 = x.fma(b1, s31);
      s32 = x.fma(b2, s32);
      s33 = x.fma(b3, s33);
    }
    if (scale != 1) {
      s00 = s00.mul(scale);
      s01 = s01.mul(scale);
      s02 = s02.mul(scale);
      s03 = s03.mul(scale);
      s10 = s10.mul(scale);
      s11 = s11.mul(scale);
      s12 = s12.mul(scale);
      s13 = s13.mul(scale);
      s20 = s20.mul(scale);
      s21 = s21.mul(scale);
      s22 = s22.mul(scale);
      s23 = s23.mul(scale);
      s30 = s30.mul(scale);
      s31 = s31.mul(scale);
      s32 = s32.mul(scale);
      s33 = s33.mul(scale);
    }
    int c1 = c0 + ldc;
    int c2 = c1 + ldc;
    int c3 = c2 + ldc;
    s00.intoArray(c, c0);
    s01.intoArray(c, c0 + VL);
    s02.intoArray(c, c0 + 2 * VL);
    s03.intoArray(c, c0 + 3 * VL);
    s10.intoArray(c, c1);
    s11.intoArray(c, c1 + VL);
    s12.intoArray(c, c1 + 2 * VL);
    s13.intoArray(c, c1 + 3 * VL);
    s20.intoArray(c, c2);
    s21.intoArray(c, c2 + VL);
    s22.intoArray(c, c2 + 2 * VL);
    s23.intoArray(c, c2 + 3 * VL);
    s30.intoArray(c, c3);
    s31.intoArray(c, c3 + VL);
    s32.intoArray(c, c3 + 2 * VL);
    s33.intoArray(c, c3 + 3 * VL);
  }

  /** {@link #microRows}'s kernel of 4 rows x 3 vectors. */
  private static void kernel4x3rows(double[] a, int a0, int lda, double[] pb, int pbo, int kc, boolean first,
      double scale, boolean relu, double[] c, int c0, int ldc) {
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
      int c1 = c0 + ldc;
      int c2 = c1 + ldc;
      int c3 = c2 + ldc;
      s00 = DoubleVector.fromArray(S, c, c0);
      s01 = DoubleVector.fromArray(S, c, c0 + VL);
      s02 = DoubleVector.fromArray(S, c, c0 + 2 * VL);
      s10 = DoubleVector.fromArray(S, c, c1);
      s11 = DoubleVector.fromArray(S, c, c1 + VL);
      s12 = DoubleVector.fromArray(S, c, c1 + 2 * VL);
      s20 = DoubleVector.fromArray(S, c, c2);
      s21 = DoubleVector.fromArray(S, c, c2 + VL);
      s22 = DoubleVector.fromArray(S, c, c2 + 2 * VL);
      s30 = DoubleVector.fromArray(S, c, c3);
      s31 = DoubleVector.fromArray(S, c, c3 + VL);
      s32 = DoubleVector.fromArray(S, c, c3 + 2 * VL);
    }
    int wide = 3 * VL;
    int a1 = a0 + lda;
    int a2 = a1 + lda;
    int a3 = a2 + lda;
    // Two steps an iteration (half the loop's integer work per multiply-add). Each row of A is
    // indexed by the step plus a loop-invariant offset, the form whose range checks C2 can hoist.
    int p = 0;
    for (; p < kc - 1; p += 2) {
      int bp = pbo + wide * p;
      DoubleVector b0 = DoubleVector.fromArray(S, pb, bp);
      DoubleVector b1 = DoubleVector.fromArray(S, pb, bp + VL);
      DoubleVector b2 = DoubleVector.fromArray(S, pb, bp + 2 * VL);
      DoubleVector x = DoubleVector.broadcast(S, a[a0 + p]);
      s00 = x.fma(b0, s00);
      s01 = x.fma(b1, s01);
      s02 = x.fma(b2, s02);
      x = DoubleVector.broadcast(S, a[a1 + p]);
      s10 = x.fma(b0, s10);
      s11 = x.fma(b1, s11);
      s12 = x.fma(b2, s12);
      x = DoubleVector.broadcast(S, a[a2 + p]);
      s20 = x.fma(b0, s20);
      s21 = x.fma(b1, s21);
      s22 = x.fma(b2, s22);
      x = DoubleVector.broadcast(S, a[a3 + p]);
      s30 = x.fma(b0, s30);
      s31 = x.fma(b1, s31);
      s32 = x.fma(b2, s32);
      bp += wide;
      b0 = DoubleVector.fromArray(S, pb, bp);
      b1 = DoubleVector.fromArray(S, pb, bp + VL);
      b2 = DoubleVector.fromArray(S, pb, bp + 2 * VL);
      x = DoubleVector.broadcast(S, a[a0 + p + 1]);
      s00 = x.fma(b0, s00);
      s01 = x.fma(b1, s01);
      s02 = x.fma(b2, s02);
      x = DoubleVector.broadcast(S, a[a1 + p + 1]);
      s10 = x.fma(b0, s10);
      s11 = x.fma(b1, s11);
      s12 = x.fma(b2, s12);
      x = DoubleVector.broadcast(S, a[a2 + p + 1]);
      s20 = x.fma(b0, s20);
      s21 = x.fma(b1, s21);
      s22 = x.fma(b2, s22);
      x = DoubleVector.broadcast(S, a[a3 + p + 1]);
      s30 = x.fma(b0, s30);
      s31 = x.fma(b1, s31);
      s32 = x.fma(b2, s32);
    }
    if (p < kc) {
      int bp = pbo + wide * p;
      DoubleVector b0 = DoubleVector.fromArray(S, pb, bp);
      DoubleVector b1 = DoubleVector.fromArray(S, pb, bp + VL);
      DoubleVector b2 = DoubleVector.fromArray(S, pb, bp + 2 * VL);
      DoubleVector x = DoubleVector.broadcast(S, a[a0 + p]);
      s00 = x.fma(b0, s00);
      s01 = x.fma(b1, s01);
      s02 = x.fma(b2, s02);
      x = DoubleVector.broadcast(S, a[a1 + p]);
      s10 = x.fma(b0, s10);
      s11 = x.fma(b1, s11);
      s12 = x.fma(b2, s12);
      x = DoubleVector.broadcast(S, a[a2 + p]);
      s20 = x.fma(b0, s20);
      s21 = x.fma(b1, s21);
      s22 = x.fma(b2, s22);
      x = DoubleVector.broadcast(S, a[a3 + p]);
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
    if (relu) {
      DoubleVector zero = DoubleVector.zero(S);
      s00 = zero.blend(s00, s00.compare(VectorOperators.GT, zero));
      s01 = zero.blend(s01, s01.compare(VectorOperators.GT, zero));
      s02 = zero.blend(s02, s02.compare(VectorOperators.GT, zero));
      s10 = zero.blend(s10, s10.compare(VectorOperators.GT, zero));
      s11 = zero.blend(s11, s11.compare(VectorOperators.GT, zero));
      s12 = zero.blend(s12, s12.compare(VectorOperators.GT, zero));
      s20 = zero.blend(s20, s20.compare(VectorOperators.GT, zero));
      s21 = zero.blend(s21, s21.compare(VectorOperators.GT, zero));
      s22 = zero.blend(s22, s22.compare(VectorOperators.GT, zero));
      s30 = zero.blend(s30, s30.compare(VectorOperators.GT, zero));
      s31 = zero.blend(s31, s31.compare(VectorOperators.GT, zero));
      s32 = zero.blend(s32, s32.compare(VectorOperators.GT, zero));
    }
    int c1 = c0 + ldc;
    int c2 = c1 + ldc;
    int c3 = c2 + ldc;
    s00.intoArray(c, c0);
    s01.intoArray(c, c0 + VL);
    s02.intoArray(c, c0 + 2 * VL);
    s10.intoArray(c, c1);
    s11.intoArray(c, c1 + VL);
    s12.intoArray(c, c1 + 2 * VL);
    s20.intoArray(c, c2);
    s21.intoArray(c, c2 + VL);
    s22.intoArray(c, c2 + 2 * VL);
    s30.intoArray(c, c3);
    s31.intoArray(c, c3 + VL);
    s32.intoArray(c, c3 + 2 * VL);
  }

  /**
   * {@link #reluForwardPanels}' whole tiles of the 4 x 3 kernel with a partial sum a vector: the
   * tile of x w (4 rows from point i, 3 vectors from unit jq, kc inner steps from zero, as {@link
   * #kernel4x3rows}) goes from the registers into the gates (with {@code rows}, h) and f's partial
   * sums as {@link #gateTile} puts them (the same operations in the same order: the same bits), not through a tile
   * in L1 first: no tile stored and loaded back, no call per tile for the gates (S3 and S2 float32
   * training steps 4% faster than through the tile, 2026-12-03). Its inner loop is kernel4x3rows'
   * written out again: a kernel cannot hand its 12 accumulators to another method, whose vectors C2
   * would then box (the written-out ReLU blocks, docs/benchmarks.md, 2026-12-02).
   */
  private static void kernel4x3gates(double[] a, int a0, int lda, double[] pb, int pbo, int kc, double[] av, int jq,
      int i, double[] gates, int[] rowAt, double[] acc, int sums, boolean rows) {
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
    s00 = s01 = s02 = s10 = s11 = s12 = s20 = s21 = s22 = s30 = s31 = s32 = DoubleVector.zero(S);
    int wide = 3 * VL;
    int a1 = a0 + lda;
    int a2 = a1 + lda;
    int a3 = a2 + lda;
    // One step an iteration (kernel4x3rows takes two): a smaller method, which C2 compiles with
    // every vector call bound whatever the profile it finds.
    for (int p = 0; p < kc; p++) {
      int bp = pbo + wide * p;
      DoubleVector b0 = DoubleVector.fromArray(S, pb, bp);
      DoubleVector b1 = DoubleVector.fromArray(S, pb, bp + VL);
      DoubleVector b2 = DoubleVector.fromArray(S, pb, bp + 2 * VL);
      DoubleVector x = DoubleVector.broadcast(S, a[a0 + p]);
      s00 = x.fma(b0, s00);
      s01 = x.fma(b1, s01);
      s02 = x.fma(b2, s02);
      x = DoubleVector.broadcast(S, a[a1 + p]);
      s10 = x.fma(b0, s10);
      s11 = x.fma(b1, s11);
      s12 = x.fma(b2, s12);
      x = DoubleVector.broadcast(S, a[a2 + p]);
      s20 = x.fma(b0, s20);
      s21 = x.fma(b1, s21);
      s22 = x.fma(b2, s22);
      x = DoubleVector.broadcast(S, a[a3 + p]);
      s30 = x.fma(b0, s30);
      s31 = x.fma(b1, s31);
      s32 = x.fma(b2, s32);
    }
    DoubleVector zero = DoubleVector.zero(S);
    DoubleVector one = DoubleVector.broadcast(S, 1);
    DoubleVector w0 = DoubleVector.fromArray(S, av, jq);
    DoubleVector w1 = DoubleVector.fromArray(S, av, jq + VL);
    DoubleVector w2 = DoubleVector.fromArray(S, av, jq + 2 * VL);
    int go0 = rowAt[3 * i] + rowAt[3 * i + 1] * jq + rowAt[3 * i + 2] * wide;
    VectorMask<Double> on00 = s00.compare(VectorOperators.GT, zero);
    VectorMask<Double> on01 = s01.compare(VectorOperators.GT, zero);
    VectorMask<Double> on02 = s02.compare(VectorOperators.GT, zero);
    DoubleVector h00 = zero.blend(s00, on00);
    DoubleVector h01 = zero.blend(s01, on01);
    DoubleVector h02 = zero.blend(s02, on02);
    (rows ? h00 : zero.blend(one, on00)).intoArray(gates, go0);
    (rows ? h01 : zero.blend(one, on01)).intoArray(gates, go0 + VL);
    (rows ? h02 : zero.blend(one, on02)).intoArray(gates, go0 + 2 * VL);
    int so0 = sums + i * VL;
    DoubleVector t0 = DoubleVector.fromArray(S, acc, so0);
    t0 = h00.fma(w0, t0);
    t0 = h01.fma(w1, t0);
    t0 = h02.fma(w2, t0);
    t0.intoArray(acc, so0);
    int go1 = rowAt[3 * (i + 1)] + rowAt[3 * (i + 1) + 1] * jq + rowAt[3 * (i + 1) + 2] * wide;
    VectorMask<Double> on10 = s10.compare(VectorOperators.GT, zero);
    VectorMask<Double> on11 = s11.compare(VectorOperators.GT, zero);
    VectorMask<Double> on12 = s12.compare(VectorOperators.GT, zero);
    DoubleVector h10 = zero.blend(s10, on10);
    DoubleVector h11 = zero.blend(s11, on11);
    DoubleVector h12 = zero.blend(s12, on12);
    (rows ? h10 : zero.blend(one, on10)).intoArray(gates, go1);
    (rows ? h11 : zero.blend(one, on11)).intoArray(gates, go1 + VL);
    (rows ? h12 : zero.blend(one, on12)).intoArray(gates, go1 + 2 * VL);
    int so1 = sums + (i + 1) * VL;
    DoubleVector t1 = DoubleVector.fromArray(S, acc, so1);
    t1 = h10.fma(w0, t1);
    t1 = h11.fma(w1, t1);
    t1 = h12.fma(w2, t1);
    t1.intoArray(acc, so1);
    int go2 = rowAt[3 * (i + 2)] + rowAt[3 * (i + 2) + 1] * jq + rowAt[3 * (i + 2) + 2] * wide;
    VectorMask<Double> on20 = s20.compare(VectorOperators.GT, zero);
    VectorMask<Double> on21 = s21.compare(VectorOperators.GT, zero);
    VectorMask<Double> on22 = s22.compare(VectorOperators.GT, zero);
    DoubleVector h20 = zero.blend(s20, on20);
    DoubleVector h21 = zero.blend(s21, on21);
    DoubleVector h22 = zero.blend(s22, on22);
    (rows ? h20 : zero.blend(one, on20)).intoArray(gates, go2);
    (rows ? h21 : zero.blend(one, on21)).intoArray(gates, go2 + VL);
    (rows ? h22 : zero.blend(one, on22)).intoArray(gates, go2 + 2 * VL);
    int so2 = sums + (i + 2) * VL;
    DoubleVector t2 = DoubleVector.fromArray(S, acc, so2);
    t2 = h20.fma(w0, t2);
    t2 = h21.fma(w1, t2);
    t2 = h22.fma(w2, t2);
    t2.intoArray(acc, so2);
    int go3 = rowAt[3 * (i + 3)] + rowAt[3 * (i + 3) + 1] * jq + rowAt[3 * (i + 3) + 2] * wide;
    VectorMask<Double> on30 = s30.compare(VectorOperators.GT, zero);
    VectorMask<Double> on31 = s31.compare(VectorOperators.GT, zero);
    VectorMask<Double> on32 = s32.compare(VectorOperators.GT, zero);
    DoubleVector h30 = zero.blend(s30, on30);
    DoubleVector h31 = zero.blend(s31, on31);
    DoubleVector h32 = zero.blend(s32, on32);
    (rows ? h30 : zero.blend(one, on30)).intoArray(gates, go3);
    (rows ? h31 : zero.blend(one, on31)).intoArray(gates, go3 + VL);
    (rows ? h32 : zero.blend(one, on32)).intoArray(gates, go3 + 2 * VL);
    int so3 = sums + (i + 3) * VL;
    DoubleVector t3 = DoubleVector.fromArray(S, acc, so3);
    t3 = h30.fma(w0, t3);
    t3 = h31.fma(w1, t3);
    t3 = h32.fma(w2, t3);
    t3.intoArray(acc, so3);
  }

  /** {@link #microRows}'s kernel of 4 rows x 2 vectors. */
  private static void kernel4x2rows(double[] a, int a0, int lda, double[] pb, int pbo, int kc, boolean first,
      double scale, boolean relu, double[] c, int c0, int ldc) {
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
      int c1 = c0 + ldc;
      int c2 = c1 + ldc;
      int c3 = c2 + ldc;
      s00 = DoubleVector.fromArray(S, c, c0);
      s01 = DoubleVector.fromArray(S, c, c0 + VL);
      s10 = DoubleVector.fromArray(S, c, c1);
      s11 = DoubleVector.fromArray(S, c, c1 + VL);
      s20 = DoubleVector.fromArray(S, c, c2);
      s21 = DoubleVector.fromArray(S, c, c2 + VL);
      s30 = DoubleVector.fromArray(S, c, c3);
      s31 = DoubleVector.fromArray(S, c, c3 + VL);
    }
    int wide = 2 * VL;
    int a1 = a0 + lda;
    int a2 = a1 + lda;
    int a3 = a2 + lda;
    // Two steps an iteration (half the loop's integer work per multiply-add). Each row of A is
    // indexed by the step plus a loop-invariant offset, the form whose range checks C2 can hoist.
    int p = 0;
    for (; p < kc - 1; p += 2) {
      int bp = pbo + wide * p;
      DoubleVector b0 = DoubleVector.fromArray(S, pb, bp);
      DoubleVector b1 = DoubleVector.fromArray(S, pb, bp + VL);
      DoubleVector x = DoubleVector.broadcast(S, a[a0 + p]);
      s00 = x.fma(b0, s00);
      s01 = x.fma(b1, s01);
      x = DoubleVector.broadcast(S, a[a1 + p]);
      s10 = x.fma(b0, s10);
      s11 = x.fma(b1, s11);
      x = DoubleVector.broadcast(S, a[a2 + p]);
      s20 = x.fma(b0, s20);
      s21 = x.fma(b1, s21);
      x = DoubleVector.broadcast(S, a[a3 + p]);
      s30 = x.fma(b0, s30);
      s31 = x.fma(b1, s31);
      bp += wide;
      b0 = DoubleVector.fromArray(S, pb, bp);
      b1 = DoubleVector.fromArray(S, pb, bp + VL);
      x = DoubleVector.broadcast(S, a[a0 + p + 1]);
      s00 = x.fma(b0, s00);
      s01 = x.fma(b1, s01);
      x = DoubleVector.broadcast(S, a[a1 + p + 1]);
      s10 = x.fma(b0, s10);
      s11 = x.fma(b1, s11);
      x = DoubleVector.broadcast(S, a[a2 + p + 1]);
      s20 = x.fma(b0, s20);
      s21 = x.fma(b1, s21);
      x = DoubleVector.broadcast(S, a[a3 + p + 1]);
      s30 = x.fma(b0, s30);
      s31 = x.fma(b1, s31);
    }
    if (p < kc) {
      int bp = pbo + wide * p;
      DoubleVector b0 = DoubleVector.fromArray(S, pb, bp);
      DoubleVector b1 = DoubleVector.fromArray(S, pb, bp + VL);
      DoubleVector x = DoubleVector.broadcast(S, a[a0 + p]);
      s00 = x.fma(b0, s00);
      s01 = x.fma(b1, s01);
      x = DoubleVector.broadcast(S, a[a1 + p]);
      s10 = x.fma(b0, s10);
      s11 = x.fma(b1, s11);
      x = DoubleVector.broadcast(S, a[a2 + p]);
      s20 = x.fma(b0, s20);
      s21 = x.fma(b1, s21);
      x = DoubleVector.broadcast(S, a[a3 + p]);
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
    if (relu) {
      DoubleVector zero = DoubleVector.zero(S);
      s00 = zero.blend(s00, s00.compare(VectorOperators.GT, zero));
      s01 = zero.blend(s01, s01.compare(VectorOperators.GT, zero));
      s10 = zero.blend(s10, s10.compare(VectorOperators.GT, zero));
      s11 = zero.blend(s11, s11.compare(VectorOperators.GT, zero));
      s20 = zero.blend(s20, s20.compare(VectorOperators.GT, zero));
      s21 = zero.blend(s21, s21.compare(VectorOperators.GT, zero));
      s30 = zero.blend(s30, s30.compare(VectorOperators.GT, zero));
      s31 = zero.blend(s31, s31.compare(VectorOperators.GT, zero));
    }
    int c1 = c0 + ldc;
    int c2 = c1 + ldc;
    int c3 = c2 + ldc;
    s00.intoArray(c, c0);
    s01.intoArray(c, c0 + VL);
    s10.intoArray(c, c1);
    s11.intoArray(c, c1 + VL);
    s20.intoArray(c, c2);
    s21.intoArray(c, c2 + VL);
    s30.intoArray(c, c3);
    s31.intoArray(c, c3 + VL);
  }

  /** {@link #microRows}'s kernel of 4 rows x 1 vector. */
  private static void kernel4x1rows(double[] a, int a0, int lda, double[] pb, int pbo, int kc, boolean first,
      double scale, boolean relu, double[] c, int c0, int ldc) {
    DoubleVector s00;
    DoubleVector s10;
    DoubleVector s20;
    DoubleVector s30;
    if (first) {
      s00 = s10 = s20 = s30 = DoubleVector.zero(S);
    } else {
      int c1 = c0 + ldc;
      int c2 = c1 + ldc;
      int c3 = c2 + ldc;
      s00 = DoubleVector.fromArray(S, c, c0);
      s10 = DoubleVector.fromArray(S, c, c1);
      s20 = DoubleVector.fromArray(S, c, c2);
      s30 = DoubleVector.fromArray(S, c, c3);
    }
    int wide = VL;
    int a1 = a0 + lda;
    int a2 = a1 + lda;
    int a3 = a2 + lda;
    // Two steps an iteration (half the loop's integer work per multiply-add). Each row of A is
    // indexed by the step plus a loop-invariant offset, the form whose range checks C2 can hoist.
    int p = 0;
    for (; p < kc - 1; p += 2) {
      int bp = pbo + wide * p;
      DoubleVector b0 = DoubleVector.fromArray(S, pb, bp);
      DoubleVector x = DoubleVector.broadcast(S, a[a0 + p]);
      s00 = x.fma(b0, s00);
      x = DoubleVector.broadcast(S, a[a1 + p]);
      s10 = x.fma(b0, s10);
      x = DoubleVector.broadcast(S, a[a2 + p]);
      s20 = x.fma(b0, s20);
      x = DoubleVector.broadcast(S, a[a3 + p]);
      s30 = x.fma(b0, s30);
      bp += wide;
      b0 = DoubleVector.fromArray(S, pb, bp);
      x = DoubleVector.broadcast(S, a[a0 + p + 1]);
      s00 = x.fma(b0, s00);
      x = DoubleVector.broadcast(S, a[a1 + p + 1]);
      s10 = x.fma(b0, s10);
      x = DoubleVector.broadcast(S, a[a2 + p + 1]);
      s20 = x.fma(b0, s20);
      x = DoubleVector.broadcast(S, a[a3 + p + 1]);
      s30 = x.fma(b0, s30);
    }
    if (p < kc) {
      int bp = pbo + wide * p;
      DoubleVector b0 = DoubleVector.fromArray(S, pb, bp);
      DoubleVector x = DoubleVector.broadcast(S, a[a0 + p]);
      s00 = x.fma(b0, s00);
      x = DoubleVector.broadcast(S, a[a1 + p]);
      s10 = x.fma(b0, s10);
      x = DoubleVector.broadcast(S, a[a2 + p]);
      s20 = x.fma(b0, s20);
      x = DoubleVector.broadcast(S, a[a3 + p]);
      s30 = x.fma(b0, s30);
    }
    if (scale != 1) {
      s00 = s00.mul(scale);
      s10 = s10.mul(scale);
      s20 = s20.mul(scale);
      s30 = s30.mul(scale);
    }
    if (relu) {
      DoubleVector zero = DoubleVector.zero(S);
      s00 = zero.blend(s00, s00.compare(VectorOperators.GT, zero));
      s10 = zero.blend(s10, s10.compare(VectorOperators.GT, zero));
      s20 = zero.blend(s20, s20.compare(VectorOperators.GT, zero));
      s30 = zero.blend(s30, s30.compare(VectorOperators.GT, zero));
    }
    int c1 = c0 + ldc;
    int c2 = c1 + ldc;
    int c3 = c2 + ldc;
    s00.intoArray(c, c0);
    s10.intoArray(c, c1);
    s20.intoArray(c, c2);
    s30.intoArray(c, c3);
  }

  /**
   * The micro-kernel of a tile of mr rows (4 or 6) and a panel pw wide (1 to 4 vectors): 4 rows of A
   * from a0, each contiguous and lda apart ({@link #microRows}: in place, or a tile packed row by
   * row, lda = kc; with lda < 0 a transposed A in place, steps -lda apart); a tile of 6 packed step
   * by step, A(r, p) at a0 + 6 * p + r (lda unused). With relu (4 rows only) each entry is stored as
   * max(v, 0) (NaN gives 0), as {@link DoubleKernels#epilogue}'s ReLU.
   */
  static void micro(int mr, int pw, double[] a, int a0, int lda, double[] pb, int pbo, int kc, boolean first,
      double scale, boolean relu, double[] c, int c0, int ldc) {
    if (mr == 6) {
      if (pw == 2 * VL) {
        DoubleSixRowKernels.kernel6x2packed(a, a0, pb, pbo, kc, first, scale, c, c0, ldc);
      } else {
        DoubleSixRowKernels.kernel6x1packed(a, a0, pb, pbo, kc, first, scale, c, c0, ldc);
      }
    } else {
      microRows(pw, a, a0, lda, pb, pbo, kc, first, scale, relu, c, c0, ldc);
    }
  }

}
