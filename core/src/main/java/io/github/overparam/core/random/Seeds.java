package io.github.overparam.core.random;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Seeds derived from identities: a seed is a function of strings (a run's canonical form, a
 * stream name), never of time, partition, thread or retry. SHA-256 makes neighboring identities
 * give unrelated seeds.
 */
public final class Seeds {
  private Seeds() {}

  /** The first 8 bytes of SHA-256 over the parts, joined by a separator that cannot occur in them. */
  public static long derive(String... parts) {
    byte[] digest = sha256(parts);
    long seed = 0;
    for (int i = 0; i < 8; i++) {
      seed = (seed << 8) | (digest[i] & 0xffL);
    }
    return seed;
  }

  /** A lower-case hex digest of {@code hexChars} characters (at most 64) over the parts. */
  public static String hexId(int hexChars, String... parts) {
    if (hexChars < 1 || hexChars > 64) {
      throw new IllegalArgumentException("hexChars = " + hexChars + ", allowed 1..64");
    }
    return HexFormat.of().formatHex(sha256(parts)).substring(0, hexChars);
  }

  private static byte[] sha256(String... parts) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (String part : parts) {
        md.update(part.getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
      }
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
