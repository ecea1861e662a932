package io.github.overparam.spark.analysis;

import java.util.List;

/**
 * A paper's claim as the analysis tests it: one row of verdicts/ when the sweep can speak to it.
 * The registry is {@link Claims}.
 *
 * @param id the verdicts.claim value
 * @param paper the verdicts.paper value
 * @param statement the claim in words, the verdicts.statement value
 * @param appliesTo which runs, groups or fits rows the rule is applied to
 * @param rule the decision rule; it writes its own text
 * @param evidence how the measurement is described and where it comes from
 */
public record Claim(String id, String paper, String statement, String appliesTo, Rule rule, Evidence evidence) {

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
