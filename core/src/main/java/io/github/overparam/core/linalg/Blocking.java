package io.github.overparam.core.linalg;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.incubator.vector.DoubleVector;

/**
 * The register tile and cache blocks of the packed products, chosen once per JVM from the vector
 * width, the number of vector registers and the cache sizes. A blocking changes only which entries
 * a block of code computes and when, never a result: each entry of a product is one chain of fused
 * multiply-adds over the inner index in increasing order, continued from block to block along the
 * inner dimension, whatever the blocking ({@code BlockingTest} runs every blocking this class
 * can choose and compares the bits).
 *
 * <ul>
 *   <li>{@code rows} x {@code vectors}: the register tile of the micro-kernel, rows of the left
 *       factor times vectors of the right factor's columns; rows x vectors accumulators, plus the
 *       vectors of the right factor and one broadcast, must fit in the vector registers, or the JIT
 *       spills accumulators to the stack in the inner loop. 32 registers (AVX-512): 4 x 3, measured
 *       at 75-80% of the peak on Zen 5 (2026-11-24), except on Intel cores with 512-bit vectors:
 *       there 4 x 4 (21 registers; 16 multiply-adds per 4 loads and 4 broadcasts, where 4 x 3 has 12
 *       per 3 and 4, and a panel row of a power of two of entries, whose bounds checks the JIT drops)
 *       ran the micro-kernel alone at 64-70 GFLOP/s against 46-57, and most products 0-12% faster
 *       (Xeon family 6 model 167, 2026-12-01; S2's and S3's x^T d 1-2% slower). 16 registers (AVX2): 4 x 3 needs all 16 and C2
 *       spills (19 GFLOP/s of 41 on Zen 3, L1-resident, 2026-11-30); 6 x 2 needs 15 and does not.
 *       Where 4 x 3 is chosen on 512-bit vectors, products whose columns are whole panels of 4
 *       vectors take 4 x 4 ({@link #forColumns}, {@link #WHOLE_PANELS}).
 *   <li>{@code kb}: the inner-dimension block; a panel of the right factor (kb x vectors) stays in
 *       L1 while it is swept down the tiles of the left factor's rows ({@link #innerBlock}: half the
 *       L1, two thirds for 4 vectors); an inner dimension a little past kb is one block ({@link
 *       #blockFor}).
 *   <li>{@code panels}: the column block in panels of {@code vectors} vectors; the packed block of
 *       the right factor (kb x panels x vectors x lanes) stays in L2.
 * </ul>
 *
 * <p>System properties (for measurement; any value gives the same results):
 * {@code overparam.kernels.tile} ("4x3", "4x4" or "6x2": then every product uses it), {@code
 * overparam.kernels.kb}, {@code overparam.kernels.panels}, {@code overparam.kernels.wholePanels}
 * (false: no {@link #WHOLE_PANELS}).
 */
public record Blocking(int rows, int vectors, int kb, int panels) {

  /** The register tiles the micro-kernels exist for. */
  static final List<String> TILES = List.of("4x3", "4x4", "6x2");

  /** Validates the fields. */
  public Blocking {
    if (!TILES.contains(rows + "x" + vectors)) {
      throw new IllegalArgumentException("tile: value " + rows + "x" + vectors + " is not one of " + TILES);
    }
    if (kb < 1 || panels < 1) {
      throw new IllegalArgumentException("kb and panels: values " + kb + ", " + panels + " must be >= 1");
    }
  }

  /**
   * The inner block of a product with {@code inner} inner indices into {@code outputs} entries of c
   * (rows x cols; c's bytes are counted in f64, as the panel's): all of them where they are at most kb, or at most 2 kb with their panel (inner x the tile's vectors, in f64; f32 the same
   * bytes) within 4/5 of the L1; else kb. The second block of two would pass over all of c again
   * for a few inner indices, and on a short inner block that pass is most of its cost: S3's
   * gradient x^T G (200 points, 50 x 10,000) as 128 + 72 against one block of 200 (a panel of 37.5
   * KB in a 48 KB L1): S3's training step 4-10% faster in float32 and 3-6% in float64 with one block
   * (the whole step, two builds interleaved in one JVM, AMD Zen 5, 2026-12-03).
   *
   * <p>Also all of them up to {@link #WHOLE_INNER} (512) where their panel fits in an eighth of the
   * L2 and c outgrows the L1 (a pass over a c that stays in L1 costs little, while the panel would
   * leave the L1 for nothing). The panel then streams from L2 instead of sitting in L1, but c is
   * read and written once instead of once a block, and each tile's first loads of c, which miss
   * where c outgrows the L2 (S5's 500 x 512), are paid once. On an AMD Zen 4 core (32 KB L1, so kb
   * 128; 2026-12-03, KernelBenchmark, 4 x 4 tiles, kb 128 and 512 interleaved in one JVM, 2 rounds
   * each, GFLOP/s): S4's gradient H^T D (inner 500) 52.0-52.1 -> 53.4-54.0 in float64 and
   * 99.5-100.9 -> 105.0-105.3 in float32; S5's forward H W 50.8-51.3 -> 52.4-52.6 and 103.1-104.7
   * -> 107.9-109.6; S5's D W^T 49.8-50.7 -> 51.9-53.0 and 95.9-98.4 -> 104.3-104.7; S5's gradient
   * 49.7-50.8 -> 48.9-49.3 in float64 (the one loss) and 102.6-102.8 -> 104.8-105.2 in float32. The
   * whole step (bin/bench-ab, the rule on against off): S5 float32 6-7% faster, S3 and S4 2-3%, S5
   * float64 level. Past {@link #WHOLE_INNER}, under the same conditions, as few equal blocks of at
   * most WHOLE_INNER as cover the inner indices (1,000 as 2 x 500 instead of 7 x 128 + 104): S2's
   * gradient x^T G (100 x 1,000 over 1,000 points), its step 5% faster in float64 and 3% in float32
   * (bin/bench-ab, 100 rounds, Zen 4, 2026-12-03). For a block longer than kb, {@link #panelsFor}
   * narrows the column block so that B's packed block keeps its share of the L2. Blocks change no
   * bits: each entry is continued from block to block in order.
   */
  public int blockFor(int inner, long outputs) {
    if (inner <= kb) {
      return inner;
    }
    long panelRow = (long) vectors * DoubleVector.SPECIES_PREFERRED.length() * Double.BYTES;
    if (inner <= 2 * kb && inner * panelRow <= (long) L1_BYTES / 5 * 4) {
      return inner;
    }
    if (WHOLE_INNER <= kb || outputs * Double.BYTES <= L1_BYTES) {
      return kb;
    }
    // As few equal blocks of at most WHOLE_INNER as cover the inner indices (1,000: 2 of 500).
    int blocks = (inner + WHOLE_INNER - 1) / WHOLE_INNER;
    int even = (inner + blocks - 1) / blocks;
    return even * panelRow <= (long) L2_BYTES / 8 ? even : kb;
  }

  /**
   * Inner dimensions up to which a product takes one inner block where the panel of that block fits
   * in an eighth of the L2 ({@link #blockFor}); 0 turns the rule off ({@code
   * -Doverparam.kernels.wholeInner=0}, the same bits either way).
   */
  static final int WHOLE_INNER = Integer.getInteger("overparam.kernels.wholeInner", 512);

  /**
   * The panels of {@link DoublePackedKernels#gemmPacked}'s column block for an inner block of
   * {@code kc}: {@link #panels} up to kb, and for a longer block as many as keep the packed block of
   * B (kc x its columns) within half the L2, as {@link #forCaches} sizes them for kb.
   */
  public int panelsFor(int kc) {
    if (kc <= kb) {
      return panels;
    }
    return Math.min(panels, panelsInHalfL2(kc, vectors));
  }

  /** This core's L2 ({@link #cacheBytes}), 1 MB when unknown. Before {@link #CHOSEN}, which reads it. */
  static final int L2_BYTES = cacheBytes(2, 1 << 20);

  /** This core's L1 data cache ({@link #cacheBytes}), 32 KB when unknown. */
  static final int L1_BYTES = cacheBytes(1, 32 << 10);

  /** The blocking of this JVM: chosen at class initialization, overridden by the system properties. */
  public static final Blocking CHOSEN = choose();

  /**
   * The blocking of the packed products whose columns are whole panels of 4 vectors: 4 x 4 where
   * {@link #CHOSEN} is 4 x 3 on 512-bit vectors (an AMD core), else {@link #CHOSEN} itself; also
   * {@link #CHOSEN} when the tile is set by a system property or {@code
   * overparam.kernels.wholePanels} is false. See {@link #forColumns}.
   */
  public static final Blocking WHOLE_PANELS = wholePanels();

  /**
   * The blocking of a packed product with {@code cols} columns, vectors of {@code lanes} entries:
   * {@link #WHOLE_PANELS} where the columns are at least two whole panels of it, else {@link
   * #CHOSEN}. On an AMD Zen 5 core (4 x 3 chosen) the deep nets' products, whose widths are
   * multiples of 64 (S4: 128, S5: 512), leave no narrower last panel on 4 x 4 tiles (512 = 8 x 64,
   * against 10 x 48 + 32), which make 16 multiply-adds per 8 loads where 4 x 3 makes 12 per 7: the
   * training step of S4 3-4% faster in float32, of S4 and S5 4-18% in float64, S5 float32 within
   * the noise (two blockings interleaved in one JVM, both orders, 2026-12-03). Products of other
   * widths keep 4 x 3 (4 x 4 for all ran S3 7-10% slower), as do the two-layer nets' gate panels.
   * The same bits either way.
   */
  public static Blocking forColumns(int cols, int lanes) {
    Blocking w = WHOLE_PANELS;
    int panel = w.vectors * lanes;
    return w != CHOSEN && cols >= 2 * panel && cols % panel == 0 ? w : CHOSEN;
  }

  static Blocking wholePanels() {
    boolean on = Boolean.parseBoolean(System.getProperty("overparam.kernels.wholePanels", "true"));
    if (!on || System.getProperty("overparam.kernels.tile") != null || CHOSEN.rows != 4 || CHOSEN.vectors != 3
        || DoubleVector.SPECIES_PREFERRED.vectorBitSize() < 512) {
      return CHOSEN;
    }
    return configured("4x4");
  }

  /** A blocking from a tile name ("6x2") and the blocks. */
  public static Blocking of(String tile, int kb, int panels) {
    Matcher m = Pattern.compile("(\\d)x(\\d)").matcher(tile);
    if (!m.matches()) {
      throw new IllegalArgumentException("tile: value " + tile + " is not one of " + TILES);
    }
    return new Blocking(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), kb, panels);
  }

  /** Every blocking {@link #choose} could pick on some machine, for the tests. */
  static List<Blocking> candidates() {
    return List.of(new Blocking(4, 3, 256, 10), new Blocking(4, 3, 128, 21), new Blocking(6, 2, 256, 16),
        new Blocking(6, 2, 128, 32), new Blocking(6, 2, 384, 8), new Blocking(4, 4, 128, 32), new Blocking(4, 3, 7, 1),
        new Blocking(6, 2, 5, 2), new Blocking(4, 4, 9, 2));
  }

  /** "6x2, kb 256, 16 panels (128 columns of f64)". */
  public String describe() {
    return String.format(Locale.ROOT, "%dx%d, kb %d, %d panels", rows, vectors, kb, panels);
  }

  static Blocking choose() {
    return configured(System.getProperty("overparam.kernels.tile", defaultTile(vectorRegisters(),
        DoubleVector.SPECIES_PREFERRED.vectorBitSize(), cpuVendor())));
  }

  /** The tile with the inner block and panels of the system properties, else of this core's caches. */
  static Blocking configured(String tile) {
    int kb = Integer.getInteger("overparam.kernels.kb", innerBlock(of(tile, 256, 1).vectors, L1_BYTES));
    Blocking b = forCaches(tile, kb);
    return new Blocking(b.rows, b.vectors, kb, Integer.getInteger("overparam.kernels.panels", b.panels));
  }

  /**
   * The register tile for a machine: 6 x 2 with 16 vector registers, 4 x 4 on an Intel core with
   * 512-bit vectors (vendor as /proc/cpuinfo names it), else 4 x 3 (see the class comment).
   */
  static String defaultTile(int registers, int vectorBits, String vendor) {
    if (registers < 32) {
      return "6x2";
    }
    return vectorBits >= 512 && vendor.equals("GenuineIntel") ? "4x4" : "4x3";
  }

  /** The CPU vendor of /proc/cpuinfo ("GenuineIntel", "AuthenticAMD"), or "" when unknown. */
  static String cpuVendor() {
    try (var lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      return lines.filter(l -> l.startsWith("vendor_id")).map(l -> l.substring(l.indexOf(':')
          + 1).trim()).findFirst().orElse("");
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  /**
   * The inner block whose packed panel (kb x the tile's vectors) fills half of an L1 of {@code
   * l1Bytes} in f64 (f32 panels are twice the columns at half the bytes: the same), a multiple of 32
   * from 64 to 256: 256 with 256-bit vectors and a 32 KB L1 (3 x 4 or 2 x 4 doubles a step), 128
   * with 512-bit ones and 48 KB (3 x 8 doubles, 192 bytes a step), so that the panel stays in L1
   * while {@link DoublePackedKernels#gemmPacked} sweeps it down the tiles. A panel of 4 vectors fills
   * two thirds: 128 with 4 x 8 doubles and 48 KB (32 KB), which measured up to 12% faster than half
   * (96) on the products of S2-S5 (S2's x w; 0-3% on the others; Intel Xeon, 2026-12-01). But at
   * least 128 where a panel 128 deep fits in the whole L1: 512-bit vectors and a 32 KB L1 (AMD Zen
   * 4) give 64 by the fractions, and there 128 (a panel of 24 KB on 4 x 3, 32 KB on 4 x 4) ran the
   * float32 training steps of S2 and S3 8-20% faster, S4's 2-8%, S1, S5 and S9 and the float64
   * steps within the noise (AMD EPYC family 25 model 17, 2026-12-03).
   */
  static int innerBlock(int vectors, int l1Bytes) {
    int step = vectors * DoubleVector.SPECIES_PREFERRED.length() * Double.BYTES;
    int panelBytes = vectors >= 4 ? l1Bytes / 3 * 2 : l1Bytes / 2;
    int kb = Math.max(64, Math.min(256, panelBytes / step / 32 * 32));
    return kb < 128 && 128L * step <= l1Bytes ? 128 : kb;
  }

  /**
   * The tile with an inner block of kb and as many panels as fill half of this core's L2 with the
   * packed block of the right factor in f64 (f32 blocks are half the bytes), at most 32: 10 panels
   * of 3 x 8 doubles with a 1 MB L2 (the Zen 5 blocking of 2026-11-24), 16 of 2 x 4 with 512 KB.
   */
  static Blocking forCaches(String tile, int kb) {
    Blocking base = of(tile, kb, 1);
    return new Blocking(base.rows, base.vectors, kb, Math.min(32, panelsInHalfL2(kb, base.vectors)));
  }

  /**
   * Panels {@code vectors} vectors wide (f64; f32 the same bytes) whose packed block of B, {@code kc}
   * deep, fills at most half the L2; at least 1.
   */
  private static int panelsInHalfL2(int kc, int vectors) {
    int columns = Math.max(1, L2_BYTES / 2 / (kc * Double.BYTES));
    return Math.max(1, columns / (vectors * DoubleVector.SPECIES_PREFERRED.length()));
  }

  /** "6x2", "6x2:128" or "6x2:128:16" (tile, kb, panels; the rest as {@link #forCaches}). */
  public static Blocking parse(String spec) {
    String[] parts = spec.split(":");
    try {
      int kb = parts.length > 1 ? Integer.parseInt(parts[1]) : 256;
      Blocking b = forCaches(parts[0], kb);
      return parts.length > 2 ? new Blocking(b.rows, b.vectors, kb, Integer.parseInt(parts[2])) : b;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("blocking: value " + spec + " is not TILE[:KB[:PANELS]], e.g. 6x2:256:16");
    }
  }

  /**
   * 32 on a CPU with AVX-512 (zmm0-31, and ymm16-31 for 256-bit vectors) when the JVM uses it, else
   * 16. Read from HotSpot's UseAVX flag; 512-bit vectors imply it.
   */
  static int vectorRegisters() {
    if (DoubleVector.SPECIES_PREFERRED.vectorBitSize() >= 512) {
      return 32;
    }
    return VmOptions.intOption("UseAVX", 0) >= 3 ? 32 : 16;
  }

  /**
   * The size of this core's data or unified cache at a level: from Linux sysfs, else from {@code
   * getconf} (glibc reads it with CPUID: virtual machines often have no cache entries in sysfs, as
   * the AMD EPYC Zen 5 guest of 2026-12-02, whose fallback sizes chose kb 64 where its 48 KB L1 takes
   * 128, and ran the products of S2-S5 5-15% slower), else the fallback.
   */
  static int cacheBytes(int level, int fallback) {
    int sysfs = sysfsCacheBytes(level);
    if (sysfs > 0) {
      return sysfs;
    }
    int conf = getconfCacheBytes(level);
    return conf > 0 ? conf : fallback;
  }

  /** The cache size at a level from sysfs, or 0 when sysfs does not tell. */
  static int sysfsCacheBytes(int level) {
    for (int index = 0; index < 8; index++) {
      Path dir = Path.of("/sys/devices/system/cpu/cpu0/cache/index" + index);
      try {
        if (!Files.isDirectory(dir) || Integer.parseInt(read(dir.resolve("level"))) != level
            || read(dir.resolve("type")).equals("Instruction")) {
          continue;
        }
        String size = read(dir.resolve("size"));
        int unit = size.endsWith("K") ? 1 << 10 : size.endsWith("M") ? 1 << 20 : 1;
        return Integer.parseInt(size.replaceAll("[KM]$", "")) * unit;
      } catch (IOException | RuntimeException e) {
        return 0;
      }
    }
    return 0;
  }

  /**
   * The cache size at level 1 (data) or 2 from {@code getconf LEVEL1_DCACHE_SIZE} or {@code
   * LEVEL2_CACHE_SIZE}, or 0 when getconf is missing, slow (2 s) or does not know.
   */
  static int getconfCacheBytes(int level) {
    String name = level == 1 ? "LEVEL1_DCACHE_SIZE" : level == 2 ? "LEVEL2_CACHE_SIZE" : null;
    if (name == null) {
      return 0;
    }
    try {
      Process p = new ProcessBuilder("getconf", name).redirectErrorStream(true).start();
      if (!p.waitFor(2, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return 0;
      }
      return p.exitValue() == 0 ? parseBytes(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)) : 0;
    } catch (IOException | RuntimeException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  /** A size in bytes as getconf prints it ("49152\n"), 0 when empty, not a number or out of range. */
  static int parseBytes(String text) {
    String t = text.trim();
    if (!t.matches("[0-9]{1,10}")) {
      return 0;
    }
    long v = Long.parseLong(t);
    return v > 0 && v <= Integer.MAX_VALUE ? (int) v : 0;
  }

  private static String read(Path p) throws IOException {
    return Files.readString(p).trim();
  }
}
