package io.github.overparam.core.linalg;

import java.lang.reflect.Field;
import sun.misc.Unsafe;

/**
 * Where an array's data meets a 64-byte cache line: how many leading entries to skip so that the
 * next one starts a line. The packed products put their panels there, so that no vector load of a
 * 512-bit panel straddles two lines (a split load: the packed S5 products ran 6-25% faster with the
 * panel aligned than 16 bytes off, 2026-12-01). Java does not align arrays beyond 8 bytes and has no
 * API for an array's address, so it is read through {@code sun.misc.Unsafe}: the reference in a
 * one-entry holder, decoded as HotSpot compresses it.
 *
 * <p>A hint, never a dependence: the kernels compute the same bits wherever the panel starts (each
 * entry is one chain of multiply-adds in order, from whatever index), so a wrong or stale answer
 * (the collector moves an array between the call and its use; a JVM that encodes references
 * otherwise) costs speed, never a result. Where the address cannot be read, or with {@code
 * -Doverparam.kernels.align=false} (JDK 24 and later warn once on stderr at the first use of
 * Unsafe's memory access), every answer is 0.
 */
final class Alignment {
  private Alignment() {}

  /** The cache line, in bytes. */
  static final int LINE = 64;

  private static final Unsafe U = Boolean.parseBoolean(System.getProperty("overparam.kernels.align", "true")) ? unsafe()
      : null;

  /** Offset of the holder's entry; -1 when the address cannot be read. */
  private static final long HOLDER = U == null ? -1 : U.arrayBaseOffset(Object[].class);

  /** Whether references are compressed to 4 bytes. */
  private static final boolean NARROW = U != null && U.arrayIndexScale(Object[].class) == 4;

  /** The shift that decodes a compressed reference (0 when unscaled); the base is line-aligned. */
  private static final int SHIFT = NARROW ? shift() : 0;

  /**
   * The entries of {@code array} (of {@code bytes} bytes each) to skip so that its next entry
   * starts a cache line: in [0, LINE / bytes), 0 when unknown. {@code holder} is a one-entry array
   * the caller keeps (no allocation here); it is left empty.
   */
  static int skip(Object[] holder, Object array, int bytes) {
    if (U == null) {
      return 0;
    }
    long data = address(holder, array) + U.arrayBaseOffset(array.getClass());
    return (int) ((LINE - Math.floorMod(data, LINE)) % LINE) / bytes;
  }

  /** Whether {@link #skip} reads addresses on this JVM (else it answers 0). */
  static boolean known() {
    return U != null;
  }

  /** The address of {@code o} modulo the compressed-reference base, which is line-aligned. */
  static long address(Object[] holder, Object o) {
    holder[0] = o;
    long a = NARROW ? (U.getInt(holder, HOLDER) & 0xFFFF_FFFFL) << SHIFT : U.getLong(holder, HOLDER);
    holder[0] = null;
    return a;
  }

  /**
   * HotSpot compresses a reference to address >> log2(object alignment), or to the address itself
   * when the heap ends below 4 GB ("unscaled"). Consecutive small arrays tell which: unscaled, each
   * compressed value is a multiple of the object alignment; shifted, neighbours 24 bytes apart differ
   * by 3.
   */
  private static int shift() {
    int alignment = objectAlignment();
    Object[] holder = new Object[1];
    long[][] probes = new long[64][];
    for (int i = 0; i < probes.length; i++) {
      probes[i] = new long[1];
    }
    for (long[] probe : probes) {
      holder[0] = probe;
      if ((U.getInt(holder, HOLDER) & 0xFFFF_FFFFL) % alignment != 0) {
        return Integer.numberOfTrailingZeros(alignment);
      }
    }
    return 0;
  }

  private static int objectAlignment() {
    return VmOptions.intOption("ObjectAlignmentInBytes", 8);
  }

  private static Unsafe unsafe() {
    try {
      Field f = Unsafe.class.getDeclaredField("theUnsafe");
      f.setAccessible(true);
      return (Unsafe) f.get(null);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return null;
    }
  }
}
