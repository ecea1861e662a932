package io.github.overparam.spark.config;

import java.util.List;
import org.apache.commons.text.similarity.LevenshteinDistance;

/** "Did you mean" for unknown keys: the known key nearest by edit distance, if it is at most 2 edits away. */
final class Suggestions {
  /** Edits (insertions, deletions, substitutions) at most between a typo and its suggestion. */
  static final int MAX_EDITS = 2;

  private static final LevenshteinDistance DISTANCE = new LevenshteinDistance(MAX_EDITS);

  private Suggestions() {}

  /** The first of {@code known} nearest to {@code key} within {@link #MAX_EDITS} edits, or null. */
  static String nearest(String key, List<String> known) {
    String best = null;
    int bestDistance = MAX_EDITS + 1;
    for (String k : known) {
      int d = DISTANCE.apply(key, k);
      if (d >= 0 && d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    return best;
  }

  /**
   * The error for an unknown key at {@code path}: {@code unknown key (did you mean model.width?);
   * known keys here: ...}.
   */
  static ConfigError unknownKey(String path, String key, String value, List<String> known) {
    String best = nearest(key, known);
    String parent = path.contains(".") ? path.substring(0, path.lastIndexOf('.') + 1) : "";
    return new ConfigError(path, value, "unknown key" + (best == null ? "" : " (did you mean " + parent + best + "?)")
        + "; known keys here: " + String.join(", ", known));
  }
}
