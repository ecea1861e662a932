package io.github.overparam.core.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A product's bits do not depend on the register tile or the cache blocks: every blocking that
 * {@link Blocking#choose} can pick on some machine (4 x 3, 4 x 4 or 6 x 2 vectors, inner blocks of
 * 128 to 384, 8 to 32 panels), and tiny blocks that cut every product into many pieces along both the
 * inner dimension and the columns, give exactly the scalar reference's bits, in float64 and float32,
 * for a b, a^T b and a b^T, the fused ReLU and mask, on shapes with edge rows and edge panels, packed
 * and read in place (narrow nets: the in-place blocks are 4 x 3 or 4 x 2 vectors with the tile). With
 * a 4-row tile the whole tiles of a row-major A (a b, a b^T) are read where they lie and the edge
 * tile is packed ({@link DoublePackedKernels#inPlace}); the 6-row tiles pack them all.
 */
class BlockingTest {

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    int[][] shapes = {{37, 3 * DoubleKernels.VL + 5, 2 * 256 + 3}, {100, 1000, 10}, {61, 129, 385}, {13, 257, 17},
        {500, 64, 130}, {7, 40, 600}, {256, 32, 10}, {61, 44, 12}, {3, 29, 50},
        {45, 400, 480}, {30, 200, 1000}};
    for (Blocking bl : Blocking.candidates()) {
      for (int[] s : shapes) {
        out.add(Arguments.of(bl, s[0], s[1], s[2]));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}: {1} x {2}, inner {3}")
  @MethodSource("cases")
  void everyBlockingGivesTheScalarBits(Blocking bl, int rows, int cols, int inner) {
    SplittableRandom rng = new SplittableRandom(17L * rows + 5L * cols + inner);
    double[] a = random(rows * inner, rng);
    double[] at = random(inner * rows, rng);
    double[] b = random(inner * cols, rng);
    double[] bt = random(cols * inner, rng);
    double[] want = new double[rows * cols];
    double[] got = new double[rows * cols];

    ScalarDoubleKernels.mult(rows, cols, inner, 0.37, a, b, want);
    DoubleKernels.mult(bl, rows, cols, inner, 0.37, a, b, got);
    assertArrayEquals(want, got, "a b");
    ScalarDoubleKernels.multTransA(rows, cols, inner, 1, at, b, want);
    DoubleKernels.multTransA(bl, rows, cols, inner, 1, at, b, got);
    assertArrayEquals(want, got, "a^T b");
    ScalarDoubleKernels.multTransB(rows, cols, inner, 1, a, bt, want);
    DoubleKernels.multTransB(bl, rows, cols, inner, 1, a, bt, got);
    assertArrayEquals(want, got, "a b^T");

    // The fused epilogues, with the blocking under test.
    double[] z = new double[rows * cols];
    double[] h = new double[rows * cols];
    DoubleKernels.gemm(bl, rows, cols, inner, 0.37, a, inner, 1, b, false, z, DoubleKernels.RELU, h);
    ScalarDoubleKernels.multRelu(rows, cols, inner, 0.37, a, b, want, got);
    assertArrayEquals(want, z, "multRelu z");
    assertArrayEquals(got, h, "multRelu h");
    // Rectified in place (h is z: the 4-row kernels rectify in their registers as they store).
    double[] zh = new double[rows * cols];
    DoubleKernels.gemm(bl, rows, cols, inner, 0.37, a, inner, 1, b, false, zh, DoubleKernels.RELU, zh);
    assertArrayEquals(got, zh, "multRelu in place");
    double[] gate = random(rows * cols, rng);
    DoubleKernels.gemm(bl, rows, cols, inner, 1, a, inner, 1, bt, true, z, DoubleKernels.MASK, gate);
    ScalarDoubleKernels.multTransBMasked(rows, cols, inner, 1, a, bt, gate, want);
    assertArrayEquals(want, z, "multTransBMasked");

    float[] fa = Kernels.toFloat(a);
    float[] fat = Kernels.toFloat(at);
    float[] fb = Kernels.toFloat(b);
    float[] fbt = Kernels.toFloat(bt);
    float[] fwant = new float[rows * cols];
    float[] fgot = new float[rows * cols];
    ScalarFloatKernels.mult(rows, cols, inner, 0.37f, fa, fb, fwant);
    FloatKernels.mult(bl, rows, cols, inner, 0.37f, fa, fb, fgot);
    assertArrayEquals(fwant, fgot, "float a b");
    ScalarFloatKernels.multTransA(rows, cols, inner, 1, fat, fb, fwant);
    FloatKernels.multTransA(bl, rows, cols, inner, 1, fat, fb, fgot);
    assertArrayEquals(fwant, fgot, "float a^T b");
    ScalarFloatKernels.multTransB(rows, cols, inner, 1, fa, fbt, fwant);
    FloatKernels.multTransB(bl, rows, cols, inner, 1, fa, fbt, fgot);
    assertArrayEquals(fwant, fgot, "float a b^T");
    float[] fz = new float[rows * cols];
    ScalarFloatKernels.multRelu(rows, cols, inner, 0.37f, fa, fb, fz, fwant);
    FloatKernels.gemm(bl, rows, cols, inner, 0.37f, fa, inner, 1, fb, false, fgot, FloatKernels.RELU, fgot);
    assertArrayEquals(fwant, fgot, "float multRelu in place");
  }

  /**
   * The in-place product's tail columns (one vector ending at the last column, overlapping the last
   * whole vector), products half a vector wide (row pairs) and blocks narrower than a vector
   * (scalar chains) give the scalar bits for every width from 1 column to four vectors: the inner
   * dimension cut into blocks (each block adds to what the one before stored), one block and one
   * step; 4 to 6 rows (one block of rows) and 13 (the last block short); a read in rows (a b) and in
   * columns (a^T b); every blocking; float64 and float32.
   */
  @Test
  void narrowBlocksAndTailColumnsGiveTheScalarBits() {
    SplittableRandom rng = new SplittableRandom(29);
    for (Blocking bl : Blocking.candidates()) {
      for (int cols = 1; cols <= 4 * DoubleKernels.VL + 1; cols++) {
        for (int inner : new int[] {1, 10, 2 * DoubleKernels.KB + 3}) {
          // 4 to 6 rows: one block of rows (row pairs: two chains); 13: three blocks, the last short.
          for (int rows : new int[] {4, 5, 6, 13}) {
            double[] a = random(rows * inner, rng);
            double[] b = random(inner * cols, rng);
            double[] want = new double[rows * cols];
            double[] got = new double[rows * cols];
            // The reference's chains (a single column through gemm too, not the partial sums of mult).
            ScalarDoubleKernels.gemm(rows, cols, inner, 0.37, a, inner, 1, b, cols, 1, want);
            DoubleInPlaceKernels.gemmInPlace(bl, rows, cols, inner, 0.37, a, inner, 1, b, got);
            assertArrayEquals(want, got, bl + ": " + rows + " x " + cols + ", inner " + inner);
            ScalarDoubleKernels.gemm(rows, cols, inner, 1, a, 1, rows, b, cols, 1, want);
            DoubleInPlaceKernels.gemmInPlace(bl, rows, cols, inner, 1, a, 1, rows, b, got);
            assertArrayEquals(want, got, bl + ": a^T b, " + rows + " x " + cols + ", inner " + inner);
            float[] fwant = new float[rows * cols];
            float[] fgot = new float[rows * cols];
            ScalarFloatKernels.gemm(rows, cols, inner, 0.37f, Kernels.toFloat(a), inner, 1, Kernels.toFloat(b), cols, 1,
                fwant);
            FloatInPlaceKernels.gemmInPlace(bl, rows, cols, inner, 0.37f, Kernels.toFloat(a), inner, 1,
                Kernels.toFloat(b), fgot);
            assertArrayEquals(fwant, fgot, bl + ": float, " + rows + " x " + cols + ", inner " + inner);
          }
        }
      }
    }
  }

  /**
   * On 512-bit vectors a short inner block into an output larger than half the L2 is computed tile
   * by tile across the panels, everything else panel by panel down the tiles; on 256-bit vectors
   * always tile by tile, and where c's rows are a multiple of 4 KB apart ({@link
   * DoublePackedKernels#panelsOuter}). Both orders give the scalar bits:
   * this shape, with and without the fused ReLU, takes tiles outer on every machine; the small
   * outputs of {@link #everyBlockingGivesTheScalarBits} take panels outer on a 512-bit one.
   */
  @Test
  void bothLoopOrdersGiveTheScalarBits() {
    int rows = 600;
    int cols = 1000;
    int inner = 40;
    int wide512 = 24; // 3 vectors of 8 doubles or 16 floats: 192 bytes a step
    assertFalse(DoublePackedKernels.panelsOuter(rows, cols, inner, wide512), "a 4.8 MB output, 40 inner steps");
    assertFalse(FloatPackedKernels.panelsOuter(rows, cols, inner, 2 * wide512), "a 2.4 MB output, 40 inner steps");
    assertTrue(DoublePackedKernels.panelsOuter(rows, cols, DoublePackedKernels.PANELS_OUTER_KC, wide512));
    assertTrue(DoublePackedKernels.panelsOuter(61, 129, 12, wide512), "a 63 KB output");
    // 256-bit vectors (2 or 3 vectors of 4 doubles): tiles outer whatever the shape.
    assertFalse(DoublePackedKernels.panelsOuter(61, 129, 300, 12));
    assertFalse(FloatPackedKernels.panelsOuter(61, 129, 300, 16));
    // Rows a multiple of 4 KB apart (512 doubles, 1,024 floats): tiles outer; 2 KB apart, panels.
    assertFalse(DoublePackedKernels.panelsOuter(500, 512, 128, wide512), "S5's rows, 4 KB apart");
    assertFalse(FloatPackedKernels.panelsOuter(61, 1024, 128, 2 * wide512), "1,024 floats, 4 KB apart");
    assertTrue(FloatPackedKernels.panelsOuter(500, 512, 128, 2 * wide512), "512 floats, 2 KB apart");
    assertTrue(DoublePackedKernels.panelsOuter(500, 520, 128, wide512), "520 doubles apart");
    SplittableRandom rng = new SplittableRandom(3);
    double[] a = random(rows * inner, rng);
    double[] b = random(inner * cols, rng);
    double[] want = new double[rows * cols];
    double[] wantH = new double[rows * cols];
    double[] z = new double[rows * cols];
    double[] h = new double[rows * cols];
    for (Blocking bl : List.of(Blocking.CHOSEN, Blocking.of("6x2", 16, 4))) {
      ScalarDoubleKernels.multRelu(rows, cols, inner, 0.37, a, b, want, wantH);
      DoubleKernels.gemm(bl, rows, cols, inner, 0.37, a, inner, 1, b, false, z, DoubleKernels.RELU, h);
      assertArrayEquals(want, z, bl.describe() + " z");
      assertArrayEquals(wantH, h, bl.describe() + " h");
      float[] fa = Kernels.toFloat(a);
      float[] fb = Kernels.toFloat(b);
      float[] fwant = new float[rows * cols];
      float[] fgot = new float[rows * cols];
      ScalarFloatKernels.mult(rows, cols, inner, 0.37f, fa, fb, fwant);
      FloatKernels.mult(bl, rows, cols, inner, 0.37f, fa, fb, fgot);
      assertArrayEquals(fwant, fgot, bl.describe() + " float");
    }
  }

  @Test
  void theInnerBlockFillsHalfTheL1() {
    // 3 x 8 doubles (192 bytes) a step, 48 KB: 128; 3 x 4 doubles, 32 KB: 256 (the cap); tiny L1: 64.
    int lanes = DoubleKernels.VL;
    assertEquals(Math.max(64, Math.min(256, 48 * 1024 / 2 / (3 * lanes * 8) / 32 * 32)),
        Blocking.innerBlock(3, 48 * 1024));
    assertEquals(256, Blocking.innerBlock(1, 1 << 20));
    assertEquals(64, Blocking.innerBlock(3, 1024));
    assertEquals(Blocking.innerBlock(Blocking.CHOSEN.vectors(), Blocking.L1_BYTES), Blocking.CHOSEN.kb());
    // 4 vectors fill two thirds: 4 x 8 doubles (256 bytes) a step, 48 KB: 128.
    assertEquals(Math.max(64, Math.min(256, 48 * 1024 / 3 * 2 / (4 * lanes * 8) / 32 * 32)),
        Blocking.innerBlock(4, 48 * 1024));
    // A 32 KB L1: half of it is 64 deep for 3 x 8 doubles and two thirds 64 for 4 x 8, but a panel
    // 128 deep (24 KB, 32 KB) fits, and 128 it is; with 4 lanes the fractions give 160 and 160.
    assertEquals(lanes >= 8 ? 128 : 160, Blocking.innerBlock(3, 32 * 1024));
    assertEquals(lanes >= 8 ? 128 : 160, Blocking.innerBlock(4, 32 * 1024));
    // 128 deep would overflow a 16 KB L1 with 8 lanes: the fraction stays (64).
    assertEquals(lanes >= 8 ? 64 : 128, Blocking.innerBlock(3, 16 * 1024));
  }

  @Test
  void innerBlocksOfUpTo512WithANarrowerColumnBlock() {
    Blocking b = Blocking.of("4x3", 128, 21);
    int lanes = DoubleKernels.VL;
    long step = 3L * lanes * Double.BYTES;
    long large = 128 * 128;
    assertEquals(100, b.blockFor(100, large));
    if (Blocking.WHOLE_INNER == 512) {
      // One block of 500 where its panel (500 steps of 3 vectors) fits in an eighth of the L2 and c
      // (128 x 128 doubles, 128 KB) does not fit in the L1.
      assertEquals(500 * step <= Blocking.L2_BYTES / 8 && large * 8 > Blocking.L1_BYTES ? 500 : 128,
          b.blockFor(500, large));
    }
    // A c that fits in the L1 (10 x 32): blocks of kb.
    assertEquals(128, b.blockFor(500, 10 * 32));
    // Past 512: as few equal blocks of at most 512 as cover it (513: 2 of 257; 1,000: 2 of 500;
    // 1,100: 3 of 367), under the same conditions; kb where c fits in the L1.
    if (Blocking.WHOLE_INNER == 512) {
      for (int[] split : new int[][] {{513, 257}, {1000, 500}, {1100, 367}, {2048, 512}}) {
        assertEquals(split[1] * step <= Blocking.L2_BYTES / 8 && large * 8 > Blocking.L1_BYTES ? split[1] : 128,
            b.blockFor(split[0], large), "inner " + split[0]);
      }
    }
    assertEquals(128, b.blockFor(1000, 10 * 32));
    // Up to kb the column block is the configured one; a longer block narrows it so that the packed
    // block of B (kc x its columns) stays within half the L2.
    assertEquals(21, b.panelsFor(128));
    assertEquals(21, b.panelsFor(64));
    int narrowed = b.panelsFor(500);
    assertTrue(narrowed >= 1 && narrowed <= 21, "panels " + narrowed);
    assertTrue(narrowed == 1 || 500L * narrowed * step <= Blocking.L2_BYTES / 2, "panels " + narrowed);
    assertTrue(narrowed == 21 || 500L * (narrowed + 1) * step > Blocking.L2_BYTES / 2, "panels " + narrowed);
  }

  @Test
  void theTileFollowsTheRegistersTheVectorWidthAndTheVendor() {
    assertEquals("6x2", Blocking.defaultTile(16, 256, "GenuineIntel"));
    assertEquals("6x2", Blocking.defaultTile(16, 256, "AuthenticAMD"));
    assertEquals("4x4", Blocking.defaultTile(32, 512, "GenuineIntel"));
    assertEquals("4x3", Blocking.defaultTile(32, 256, "GenuineIntel"));
    assertEquals("4x3", Blocking.defaultTile(32, 512, "AuthenticAMD"));
    assertEquals("4x3", Blocking.defaultTile(32, 512, ""));
    if (System.getProperty("overparam.kernels.tile") == null) {
      assertEquals(Blocking.defaultTile(Blocking.vectorRegisters(), DoubleKernels.VL * 64, Blocking.cpuVendor()),
          Blocking.CHOSEN.rows() + "x" + Blocking.CHOSEN.vectors(), Blocking.CHOSEN.describe());
    }
  }

  @Test
  void theChoiceFollowsTheRegistersAndTheCaches() {
    Blocking chosen = Blocking.CHOSEN;
    assertTrue(Blocking.candidates().stream().anyMatch(
        c -> c.rows() == chosen.rows() && c.vectors() == chosen.vectors()), chosen.describe());
    // 6 x 2 needs 15 vector registers, 4 x 3 needs 16: with 16 (AVX2) the JIT spills 4 x 3.
    assertEquals(Blocking.vectorRegisters() >= 32 ? 4 : 6, chosen.rows(), chosen.describe());
    // The packed block of the right factor fills about half of L2, at most 32 panels.
    Blocking b = Blocking.forCaches("6x2", 256);
    long bytes = 256L * b.panels() * 2 * DoubleKernels.VL * Double.BYTES;
    assertTrue(b.panels() == 32 || bytes <= Blocking.cacheBytes(2, 1 << 20) / 2, b.describe());
    assertEquals(Blocking.of("6x2", 128, 8), Blocking.parse("6x2:128:8"));
  }

  @Test
  void productsOfWholeFourVectorPanelsTakeTheFourByFourTile() {
    Blocking whole = Blocking.WHOLE_PANELS;
    Blocking chosen = Blocking.CHOSEN;
    boolean amd512 = chosen.rows() == 4 && chosen.vectors() == 3 && DoubleKernels.VL * 64 >= 512
        && System.getProperty("overparam.kernels.tile") == null
        && !"false".equals(System.getProperty("overparam.kernels.wholePanels"));
    if (amd512) {
      assertEquals("4x4", whole.rows() + "x" + whole.vectors(), whole.describe());
      assertEquals(Blocking.innerBlock(4, Blocking.L1_BYTES), whole.kb());
    } else {
      assertEquals(chosen, whole, "no second blocking where 4 x 3 is not chosen on 512-bit vectors");
    }
    for (int lanes : new int[] {DoubleKernels.VL, FloatKernels.VL}) {
      int panel = 4 * lanes;
      // At least two whole panels of 4 vectors: the second blocking; one panel, or a narrower last one: the chosen.
      assertEquals(whole, Blocking.forColumns(2 * panel, lanes));
      assertEquals(whole, Blocking.forColumns(8 * panel, lanes));
      assertEquals(chosen, Blocking.forColumns(panel, lanes));
      assertEquals(chosen, Blocking.forColumns(8 * panel + lanes, lanes));
      assertEquals(chosen, Blocking.forColumns(10_000, lanes), "S3's columns");
    }
  }

  /**
   * a^T b on 4 x 4 tiles whose tiles and panels are all whole reads a^T where it lies (no packing):
   * the scalar bits, over one inner block and over several (kb 9: the steps of a later block start
   * p0 rows down a).
   */
  @Test
  void theTransposedFactorReadInPlaceGivesTheScalarBits() {
    SplittableRandom rng = new SplittableRandom(59);
    for (int kb : new int[] {9, 128}) {
      Blocking bl = Blocking.of("4x4", kb, 2);
      int rows = 20; // past DoubleKernels.SMALL_ROWS: the packed product
      int cols = 4 * 4 * DoubleKernels.VL;
      int inner = 41;
      assertTrue(DoublePackedKernels.inPlaceColumns(4, 4 * DoubleKernels.VL, rows, cols, 1, rows));
      assertFalse(DoublePackedKernels.inPlaceColumns(4, 4 * DoubleKernels.VL, rows + 1, cols, 1, rows + 1),
          "an edge tile of rows: packed");
      assertFalse(DoublePackedKernels.inPlaceColumns(4, 4 * DoubleKernels.VL, rows, cols + 1, 1, rows),
          "an edge panel: packed");
      double[] at = random(inner * rows, rng);
      double[] b = random(inner * cols, rng);
      double[] want = new double[rows * cols];
      double[] got = new double[rows * cols];
      ScalarDoubleKernels.multTransA(rows, cols, inner, 1, at, b, want);
      DoubleKernels.multTransA(bl, rows, cols, inner, 1, at, b, got);
      assertArrayEquals(want, got, "a^T b, kb " + kb);

      int fcols = 4 * 4 * FloatKernels.VL;
      assertTrue(FloatPackedKernels.inPlaceColumns(4, 4 * FloatKernels.VL, rows, fcols, 1, rows));
      float[] fat = Kernels.toFloat(random(inner * rows, rng));
      float[] fb = Kernels.toFloat(random(inner * fcols, rng));
      float[] fwant = new float[rows * fcols];
      float[] fgot = new float[rows * fcols];
      ScalarFloatKernels.multTransA(rows, fcols, inner, 1, fat, fb, fwant);
      FloatKernels.multTransA(bl, rows, fcols, inner, 1, fat, fb, fgot);
      assertArrayEquals(fwant, fgot, "float a^T b, kb " + kb);
    }
  }

  /** The products without a blocking argument (each picks its own) give the scalar bits on whole panels too. */
  @Test
  void productsThatPickTheirBlockingGiveTheScalarBits() {
    SplittableRandom rng = new SplittableRandom(41);
    int[][] shapes = {{37, 4 * FloatKernels.VL * 2, 300}, {64, 4 * DoubleKernels.VL * 3, 129}, {9, 128, 5}};
    for (int[] s : shapes) {
      int rows = s[0];
      int cols = s[1];
      int inner = s[2];
      String shape = rows + " x " + cols + ", inner " + inner;
      double[] a = random(rows * inner, rng);
      double[] at = random(inner * rows, rng);
      double[] b = random(inner * cols, rng);
      double[] bt = random(cols * inner, rng);
      double[] gate = random(rows * cols, rng);
      double[] want = new double[rows * cols];
      double[] want2 = new double[rows * cols];
      double[] got = new double[rows * cols];
      double[] got2 = new double[rows * cols];
      ScalarDoubleKernels.mult(rows, cols, inner, 0.37, a, b, want);
      DoubleKernels.mult(rows, cols, inner, 0.37, a, b, got);
      assertArrayEquals(want, got, "a b, " + shape);
      ScalarDoubleKernels.multTransA(rows, cols, inner, 1, at, b, want);
      DoubleKernels.multTransA(rows, cols, inner, 1, at, b, got);
      assertArrayEquals(want, got, "a^T b, " + shape);
      ScalarDoubleKernels.multRelu(rows, cols, inner, 0.37, a, b, want, want2);
      DoubleKernels.multRelu(rows, cols, inner, 0.37, a, b, got, got2);
      assertArrayEquals(want, got, "multRelu z, " + shape);
      assertArrayEquals(want2, got2, "multRelu h, " + shape);
      ScalarDoubleKernels.multTransBMasked(rows, cols, inner, 1, a, bt, gate, want);
      DoubleKernels.multTransBMasked(rows, cols, inner, 1, a, bt, gate, got);
      assertArrayEquals(want, got, "multTransBMasked, " + shape);

      float[] fa = Kernels.toFloat(a);
      float[] fat = Kernels.toFloat(at);
      float[] fb = Kernels.toFloat(b);
      float[] fbt = Kernels.toFloat(bt);
      float[] fgate = Kernels.toFloat(gate);
      float[] fwant = new float[rows * cols];
      float[] fgot = new float[rows * cols];
      ScalarFloatKernels.mult(rows, cols, inner, 0.37f, fa, fb, fwant);
      FloatKernels.mult(rows, cols, inner, 0.37f, fa, fb, fgot);
      assertArrayEquals(fwant, fgot, "float a b, " + shape);
      ScalarFloatKernels.multTransA(rows, cols, inner, 1, fat, fb, fwant);
      FloatKernels.multTransA(rows, cols, inner, 1, fat, fb, fgot);
      assertArrayEquals(fwant, fgot, "float a^T b, " + shape);
      ScalarFloatKernels.multTransB(rows, cols, inner, 1, fa, fbt, fwant);
      FloatKernels.multTransB(rows, cols, inner, 1, fa, fbt, fgot);
      assertArrayEquals(fwant, fgot, "float a b^T, " + shape);
      ScalarFloatKernels.multTransBMasked(rows, cols, inner, 1, fa, fbt, fgate, fwant);
      FloatKernels.multTransBMasked(rows, cols, inner, 1, fa, fbt, fgate, fgot);
      assertArrayEquals(fwant, fgot, "float multTransBMasked, " + shape);
    }
  }

  @Test
  void cacheSizesComeFromSysfsElseFromGetconf() {
    assertEquals(49152, Blocking.parseBytes("49152\n"));
    assertEquals(0, Blocking.parseBytes(""), "getconf prints nothing for an unknown size");
    assertEquals(0, Blocking.parseBytes("undefined\n"));
    assertEquals(0, Blocking.parseBytes("-1"));
    assertEquals(0, Blocking.parseBytes("99999999999"));
    assertEquals(0, Blocking.getconfCacheBytes(3), "only levels 1 and 2 are asked");
    for (int level = 1; level <= 2; level++) {
      int sysfs = Blocking.sysfsCacheBytes(level);
      int conf = Blocking.getconfCacheBytes(level);
      int want = sysfs > 0 ? sysfs : conf > 0 ? conf : -7;
      assertEquals(want, Blocking.cacheBytes(level, -7), "level " + level + ": sysfs " + sysfs + ", getconf " + conf);
    }
    assertEquals(Blocking.cacheBytes(1, 32 << 10), Blocking.L1_BYTES);
    assertEquals(Blocking.cacheBytes(2, 1 << 20), Blocking.L2_BYTES);
  }

  @Test
  void badBlockingsAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Blocking.parse("5x5"));
    assertTrue(e.getMessage().contains("5x5") && e.getMessage().contains("6x2"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Blocking.parse("6x2:0"));
    assertTrue(e.getMessage().contains("kb"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Blocking.parse("6x2:many"));
    assertTrue(e.getMessage().contains("6x2:many"), e.getMessage());
  }

  private static double[] random(int size, SplittableRandom rng) {
    double[] v = new double[size];
    for (int e = 0; e < size; e++) {
      v[e] = rng.nextDouble(-1, 1);
    }
    return v;
  }
}
