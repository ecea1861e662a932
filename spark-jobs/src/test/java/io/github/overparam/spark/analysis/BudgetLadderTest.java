package io.github.overparam.spark.analysis;

import static io.github.overparam.spark.analysis.SweepAnalysisTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.overparam.spark.LocalSpark;
import io.github.overparam.spark.analysis.Group.Obs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The budget ladder on constructed runs: critical widths at B/8 ... B, budget_limited, and fits that leave them out. */
class BudgetLadderTest {
  @RegisterExtension
  static final LocalSpark LOCAL = new LocalSpark(2);
  private static SparkSession spark;
  @TempDir
  static Path tmp;

  @BeforeAll
  static void start() {
    spark = LOCAL.session();
  }

  private static Obs obs(long seed, Integer steps) {
    return Obs.outcome(seed, steps != null, false, steps, null, null);
  }

  /** Per width, two seeds that reach the target after the given steps (null: never). */
  private static List<List<Obs>> sample(Integer... steps) {
    List<List<Obs>> out = new ArrayList<>();
    for (Integer s : steps) {
      out.add(List.of(obs(0, s), obs(1, s)));
    }
    return out;
  }

  @Test
  void aCriticalWidthThatMovesWithTheBudgetIsLimited() {
    int[] widths = {4, 8, 16, 32};
    // Width 8 and 16 need 900 of B = 1000 steps, width 32 needs 300: at B the critical width lies
    // between 4 and 8 (sqrt(32) = 5.66, the rate jumps 0 -> 1), at B/2 = 500 between 16 and 32 (22.6).
    BudgetLadder l = BudgetLadder.of(widths, sample(null, 900, 900, 300), 1000, 0.5);
    assertArrayEquals(new int[] {125, 250, 500, 1000}, l.budgets());
    assertNull(l.widths()[0], "B/8 = 125: no width succeeds");
    assertNull(l.widths()[1]);
    assertEquals(Math.sqrt(16 * 32), l.widths()[2], 1e-9);
    assertEquals(Math.sqrt(4 * 8), l.widths()[3], 1e-9);
    assertTrue(l.limited(), l.why());
    assertTrue(l.why().contains("a factor 4.00, more than one resolution step (2.00)"), l.why());

    // Every width but 4 reaches the target in 100 steps: the ladder is flat from B/8 on.
    BudgetLadder flat = BudgetLadder.of(widths, sample(null, 100, 100, 100), 1000, 0.5);
    for (Double w : flat.widths()) {
      assertEquals(Math.sqrt(32), w, 1e-9);
    }
    assertFalse(flat.limited(), flat.why());

    // Moving by exactly one grid step is within the resolution: stable.
    BudgetLadder oneStep = BudgetLadder.of(widths, sample(null, 700, 300, 300), 1000, 0.5);
    assertEquals(Math.sqrt(8 * 16), oneStep.widths()[2], 1e-9);
    assertFalse(oneStep.limited(), oneStep.why());

    // Not reached at B/2 although reached at B; not reached at B at all.
    assertTrue(BudgetLadder.of(widths, sample(null, null, 900, 900), 1000, 0.5).why().contains("not reached at B/2"));
    BudgetLadder none = BudgetLadder.of(widths, sample(null, null, null, null), 1000, 0.5);
    assertTrue(none.limited());
    assertTrue(none.why().startsWith("no width reaches the threshold within B = 1000"), none.why());
  }

  @Test
  void underAMaxStepsRuleEachRunIsJudgedAgainstItsOwnBudget() {
    int[] widths = {4, 8};
    // Width 8: seed 0 has a budget of 1000 and needs 400 steps, seed 1 a budget of 200 and needs
    // 150. At B/2 each is judged against half its own budget: 400 <= 500 and 150 > 100, so the
    // success rate is 1/2 there and 1 at B (judged against one shared B = 1000, seed 1 would count
    // at every rung from B/8 = 125 on).
    List<List<Obs>> own = List.of(List.of(Obs.outcome(0, false, false, null, null, 1000), Obs.outcome(1, false,
        false, null, null, 200)), List.of(Obs.outcome(0, true, false, 400, null, 1000), Obs.outcome(1, true, false,
            150, null, 200)));
    assertEquals(Integer.valueOf(200), BudgetLadder.medianRunBudget(own), "the lower median of 200 and 1000");
    BudgetLadder l = BudgetLadder.of(widths, own, 600, 0.75);
    assertNull(l.widths()[2], "at B/2 half the width-8 runs are in budget: below the threshold 0.75");
    assertEquals(4 * Math.pow(2, 0.75), l.widths()[3], 1e-9, "geometric interpolation between 4 and 8");
    assertTrue(l.limited(), l.why());
  }

  @Test
  void budgetLimitedGroupsAreMarkedAndLeftOutOfTheFits() throws Exception {
    // Critical width 2 sqrt(n) at n = 16 ... 256 (bracket w_lo, 4 w_lo), 8 seeds, B = 1000. At
    // n = 1024 the converging widths need 800 steps: at B/2 nothing converges, so the group is
    // budget-limited and the fit of critical width against n uses the other four.
    List<Row> rows = new ArrayList<>();
    int[] ns = {16, 64, 256, 1024};
    for (int n : ns) {
      int lo = (int) Math.round(Math.sqrt(n));
      for (int s = 0; s < 8; s++) {
        for (int f : new int[] {1, 4, 16}) {
          boolean ok = f > 1;
          Map<String, Object> extra = new HashMap<>();
          extra.put("max_steps", 1000);
          extra.put("steps_to_target", ok ? (n == 1024 ? 800 : 100 + s) : null);
          // Runs stopped at max_steps: seeds 0 ... 2 still descending, the others stalled.
          extra.put("end_trend", ok ? null : s < 3 ? "descending" : "stalled");
          rows.add(run(n, lo * f, s, ok, 1.0, extra));
        }
      }
    }
    String dir = SweepAnalysisTest.write(spark, tmp, "budget", rows);
    new SweepAnalysis(spark, 0.5).analyze(dir);
    List<Row> crit = spark.sql("SELECT n, budget_limited, ladder_budgets, ladder_critical_widths, budget_note,"
        + " critical_width, descending_runs, stalled_runs FROM critical ORDER BY n").collectAsList();
    assertEquals(4, crit.size());
    for (Row r : crit) {
      boolean limited = r.getInt(0) == 1024;
      assertEquals(limited, r.getBoolean(1), r.toString());
      assertEquals(List.of(125, 250, 500, 1000), r.getList(2));
      // One failing width x 8 seeds per group: 3 descending, 5 stalled.
      assertEquals(3, r.getInt(6));
      assertEquals(5, r.getInt(7));
    }
    // n = 16: every seed converges at 4 w_lo within 100 + 7 steps: the critical width 2 w_lo at every budget.
    for (Object w : crit.get(0).getList(3)) {
      assertEquals(8.0, (Double) w, 1e-9);
    }
    assertEquals(8.0, crit.get(0).getDouble(5), 1e-9);
    assertTrue(crit.get(3).getString(4).contains("not reached at B/2 = 500"), crit.get(3).getString(4));

    Row fit = spark.sql(
        "SELECT exponent, points, note FROM fits WHERE quantity = 'critical_width' AND against = 'n'").first();
    assertEquals(3, fit.getInt(1), "the budget-limited n = 1024 is left out");
    assertEquals(0.5, fit.getDouble(0), 1e-9);
    assertTrue(fit.getString(2).contains("budget: 1 of 4 groups budget-limited, left out of the fit: n=1024 (the"
        + " critical width 64.0 at B = 1000 is not reached at B/2 = 500)"), fit.getString(2));
    Row verdict = spark.sql("SELECT evidence, scope FROM verdicts WHERE claim = 'noy_growth_n'").first();
    assertTrue(verdict.getString(0).contains("step budget (critical widths at B/2 and B, budget-limited groups left"
        + " out): budget: 1 of 4 groups budget-limited"), verdict.getString(0));
    assertTrue(verdict.getString(1).contains("max_steps = 1000"), verdict.getString(1));

    // The answer the report opens with: critical params (10 per neuron) ~ n^0.5 from the three stable
    // groups, and per group params / n and the gap to n^2 L.
    MemorizationAnswer.Answer a = MemorizationAnswer.read(spark, t -> t);
    assertTrue(a.present());
    assertEquals(0.5, a.fits().get(0).exponent(), 1e-9);
    assertTrue(a.fits().get(0).text().startsWith("critical params ~ n^0.500 ["), a.fits().get(0).text());
    MemorizationAnswer.Point first = a.points().get(0);
    assertEquals(16, first.n());
    assertEquals(80.0 / 16, first.paramsPerN(), 1e-9);
    assertEquals(256.0, first.noyWidth());
    assertEquals(8.0 / 256, first.widthOverNoy(), 1e-9);
    assertEquals("budget-limited (not fitted)", a.rows().get(3).get(5));
    assertEquals("stable", a.rows().get(0).get(5));
  }
}
