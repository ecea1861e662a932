package io.github.overparam.spark.analysis;

import io.github.overparam.core.Names;
import java.util.List;
import java.util.Locale;

/**
 * The outcome of a claim's rule. The verdicts table stores {@link #text()}: 'true', 'false' or
 * 'inconclusive'.
 */
public enum Verdict {
  /** The measurement supports the claim. */
  TRUE,
  /** The measurement contradicts the claim. */
  FALSE,
  /** Too little data, or an interval that straddles the rule's threshold: no guess. */
  INCONCLUSIVE;

  /** The value in verdicts.holds. */
  public String text() {
    return Names.of(this);
  }

  /** The verdict whose {@link #text()} is {@code text} (trimmed, any case); inconclusive for null or anything else. */
  public static Verdict fromText(String text) {
    for (Verdict v : values()) {
      if (text != null && v.text().equals(text.trim().toLowerCase(Locale.ROOT))) {
        return v;
      }
    }
    return INCONCLUSIVE;
  }

  /**
   * Several slices of one claim: any slice that fails makes it fail; it holds when every slice
   * holds; otherwise (or with no slice) inconclusive.
   */
  public static Verdict combine(List<Verdict> outcomes) {
    if (outcomes.isEmpty()) {
      return INCONCLUSIVE;
    }
    if (outcomes.contains(FALSE)) {
      return FALSE;
    }
    return outcomes.stream().allMatch(TRUE::equals) ? TRUE : INCONCLUSIVE;
  }

  /** How {@link #combine} decides, as the evidence text says it. */
  public static final String COMBINE_TEXT = "several rows: any false -> false, all true -> true, else inconclusive";
}
