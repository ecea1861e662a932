package io.github.overparam.spark.analysis;

import java.util.List;

/**
 * A paper's claim as the analysis tests it: one row of verdicts/ when the sweep meets its
 * assumptions; otherwise it is listed among the claims the sweep cannot speak to, with the reason.
 * The registry is {@link Claims}.
 *
 * @param id the verdicts.claim value
 * @param paper the verdicts.paper value
 * @param statement the claim in the paper's own terms, the verdicts.statement value
 * @param direction what kind of claim it is, which fixes what "holds" can mean
 * @param assumptions the setting a sweep must have for the claim to apply
 * @param rule the decision rule; it writes its own text
 * @param evidence how the measurement is described and where it comes from
 */
public record Claim(String id, String paper, String statement, Direction direction, String assumptions, Rule rule,
    Evidence evidence) {

  /** What a claim asserts. */
  public enum Direction {
    /**
     * A sufficient condition (a width or a parameter count that suffices, a growth no faster than a
     * bound): the measurement at or under the bound does not contradict it; above it clearly, it is
     * false. The measured exponent is a description, not the claim.
     */
    SUFFICIENCY("sufficiency bound: true means not contradicted"),
    /** A rate or a bound every run of the regime meets. */
    RATE("rate bound in the over-parameterized regime"),
    /** A limit as the width grows. */
    LIMIT("limit as the width grows, in the over-parameterized regime"),
    /** A contrast between two arms of the same setting. */
    CONTRAST("contrast between two arms of the same setting");

    private final String text;

    Direction(String text) {
      this.text = text;
    }

    /** The direction in words. */
    public String text() {
      return text;
    }
  }

  /** A fits/ row selector: quantity and the column it is fitted against. */
  public record FitRef(String quantity, String against) {}

  /**
   * Where a claim's measurement comes from and how it is worded.
   *
   * @param fits the fits rows the rule reads (empty when the claim reads runs/ or critical/)
   * @param symbol how one fits row is described in verdicts.measured, "{x}" standing for its x
   *     ("critical width ~ n^" followed by the exponent)
   * @param basis what the rule is applied to, written before the rule ("" for nothing)
   * @param why the reason for the threshold, written after the rule in parentheses ("" for none)
   */
  public record Evidence(List<FitRef> fits, String symbol, String basis, String why) {}

  /** The rule with its basis and reason: "basis: holds if ... (why)". */
  public String ruleText() {
    Evidence e = evidence;
    return (e.basis().isEmpty() ? "" : e.basis() + ": ") + rule.text()
        + (e.why().isEmpty() ? "" : " (" + e.why() + ")");
  }
}
