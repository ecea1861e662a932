package io.github.overparam.core.linalg;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Activation patterns as bit sets: bit e (bit e & 63 of word e >>> 6) says whether entry e of a
 * pre-activation array is > 0. {@link #positive} records a pattern, {@link #flips} counts the entries
 * whose sign differs from a recorded one (the flip fraction of Du et al.'s Lemma 3.2 and of the curve
 * points). A whole word of 64 entries is built on the vector kernels ({@link
 * DoubleKernels#positiveWord}: each vector's compare picks its lanes' bits into integer lanes, one
 * reduction a word; 0.16 ms for 10^6 doubles against 0.67 entry by entry, 2026-12-04), a partial
 * word without branches (a compare and a shift per entry; signs of a trained layer are close to
 * random, and a branch per entry mispredicted half the time: 1.2 ms instead of 7-8 ms for 10^6
 * entries, 2026-12-01); 64 entries are compared at once with {@link Long#bitCount}. Gates stored as
 * bytes (0 or 1) are gathered eight at a time by a multiply. {@code VectorMask.toLong} is not
 * intrinsified on JDK 17 (it allocated 24 bytes per vector), and a vector loop written in this
 * class once made C2 compile the products' micro-kernel without its vector intrinsics (S2 8 times
 * slower, docs/benchmarks.md, 2026-12-03 21:42): the vector code is in the kernel classes. NaN and
 * -0.0 are not > 0.
 */
public final class Signs {
  private Signs() {}

  /** Sets bit e of {@code bits} where {@code v[e] > 0} and clears it elsewhere, for e below {@code size}. */
  public static void positive(double[] v, int size, long[] bits) {
    check(v.length, size, bits);
    for (int w = 0; w < words(size); w++) {
      bits[w] = word(v, w << 6, Math.min(64, size - (w << 6)));
    }
  }

  /** {@link #positive(double[], int, long[])} in float. */
  public static void positive(float[] v, int size, long[] bits) {
    check(v.length, size, bits);
    for (int w = 0; w < words(size); w++) {
      bits[w] = word(v, w << 6, Math.min(64, size - (w << 6)));
    }
  }

  /** Entries e below {@code size} whose sign ({@code v[e] > 0} or not) differs from bit e of {@code bits}. */
  public static long flips(double[] v, int size, long[] bits) {
    check(v.length, size, bits);
    long flips = 0;
    for (int w = 0; w < words(size); w++) {
      flips += Long.bitCount(bits[w] ^ word(v, w << 6, Math.min(64, size - (w << 6))));
    }
    return flips;
  }

  /** {@link #flips(double[], int, long[])} in float. */
  public static long flips(float[] v, int size, long[] bits) {
    check(v.length, size, bits);
    long flips = 0;
    for (int w = 0; w < words(size); w++) {
      flips += Long.bitCount(bits[w] ^ word(v, w << 6, Math.min(64, size - (w << 6))));
    }
    return flips;
  }

  /**
   * {@link #positive(double[], int, long[])} from gates stored as bytes, 1 where the entry is > 0
   * and 0 elsewhere (as {@link Kernels#reluForward} writes them): bit e set where gate e is 1.
   */
  public static void positive(byte[] gates, int size, long[] bits) {
    check(gates.length, size, bits);
    for (int w = 0; w < words(size); w++) {
      bits[w] = word(gates, w << 6, Math.min(64, size - (w << 6)));
    }
  }

  /** {@link #flips(double[], int, long[])} from gates stored as bytes (1 on, 0 off). */
  public static long flips(byte[] gates, int size, long[] bits) {
    check(gates.length, size, bits);
    long flips = 0;
    for (int w = 0; w < words(size); w++) {
      flips += Long.bitCount(bits[w] ^ word(gates, w << 6, Math.min(64, size - (w << 6))));
    }
    return flips;
  }

  /** Words of a pattern of {@code size} entries. */
  public static int words(int size) {
    return (size + 63) >>> 6;
  }

  /** The pattern word of entries from..from + count - 1 (count at most 64), the higher bits clear. */
  static long word(double[] v, int from, int count) {
    if (VECTOR && count > 0 && count % DoubleKernels.VL == 0) {
      return DoubleKernels.positiveWord(v, from, count);
    }
    long word = 0;
    for (int k = 0; k < count; k++) {
      word |= (v[from + k] > 0 ? 1L : 0L) << k;
    }
    return word;
  }

  /**
   * The pattern word of gates from..from + count - 1 (each 0 or 1, count at most 64): eight gates
   * at a time, read as a little-endian long (gate k in byte k) and gathered into its top byte by one
   * multiply (gate k times 2^(56 - 7k) lands on bit 56 + k; every other product of a gate and a
   * term of the multiplier is a distinct power of two below bit 56 or past bit 63, so none carries
   * into the top byte).
   */
  static long word(byte[] gates, int from, int count) {
    long word = 0;
    int k = 0;
    for (; k + 8 <= count; k += 8) {
      word |= ((long) LONGS.get(gates, from + k) * GATHER >>> 56) << k;
    }
    for (; k < count; k++) {
      word |= (long) gates[from + k] << k;
    }
    return word;
  }

  /** Whether whole words are read on the vector kernels ({@link DoubleKernels#positiveWord}). */
  private static final boolean VECTOR = Dense.vectorized();

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long GATHER = 0x0102040810204080L;

  /** {@link #word(double[], int, int)} in float. */
  static long word(float[] v, int from, int count) {
    if (VECTOR && count > 0 && count % FloatKernels.VL == 0) {
      return FloatKernels.positiveWord(v, from, count);
    }
    long word = 0;
    for (int k = 0; k < count; k++) {
      word |= (v[from + k] > 0 ? 1L : 0L) << k;
    }
    return word;
  }

  private static void check(int length, int size, long[] bits) {
    if (size < 0 || size > length || bits.length < words(size)) {
      throw new IllegalArgumentException("size = " + size + ": must be in [0, " + length + "] with at least "
          + words(Math.max(0, size)) + " words of bits (got " + bits.length + ")");
    }
  }
}
