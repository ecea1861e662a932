package io.github.overparam.spark.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScaleExpressionTest {
  private static final Set<String> SYMBOLS = Set.of("n", "d", "depth", "n_test");
  private static final Map<String, Double> VALUES = Map.of("n", 10.0, "d", 4.0, "depth", 3.0, "n_test", 2.0);

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "n; 10",
      "n^2 * depth; 300",
      "n ^ 2*depth; 300",
      "2 * n / d; 5",
      "n / d / 2; 1.25",
      "(n / d)^2; 6.25",
      "n^-1; 0.1",
      "n^(-2); 0.01",
      "n^0.5 * n^0.5; 10",
      "d^1.5; 8",
      "1e2 * n_test; 200",
      "((n)); 10",
      ".5 * n; 5",
      "ln(n); 2.302585092994046",
      "20 * ln(1 / 1e-4) / (n * 0.5); 36.841361487904734",
      "ln(n^2) / ln(n); 2"})
  void evaluates(String text, double expected) throws Exception {
    assertEquals(expected, ScaleExpression.parse(text, SYMBOLS).eval(VALUES), 1e-12);
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "n^2 * m; unknown symbol 'm'",
      "n^d; exponent after '^' must be a number",
      "n^; exponent after '^' must be a number",
      "n^(2; expected ')'",
      "2n; unexpected 'n'",
      "n +1; unexpected '+'",
      "(n; expected ')'",
      "*n; expected a number, a symbol or '('",
      "''; found the end",
      "Math.exp(n); unknown symbol 'Math'",
      "ln n; unknown symbol 'ln'",
      "ln(n; expected ')' to close ln(",
      "log(n); unknown symbol 'log'"})
  void rejects(String text, String fragment) {
    var e = assertThrows(ScaleExpression.SyntaxException.class, () -> ScaleExpression.parse(text, SYMBOLS));
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }

  @Test
  void reportsItsSymbols() throws Exception {
    assertEquals(Set.of("depth", "n"), ScaleExpression.parse("n^2 * depth / 4", SYMBOLS).symbols());
  }

  @Test
  void longExpressionsAreRejected() {
    String longOne = "n" + " * n".repeat(100);
    var e = assertThrows(ScaleExpression.SyntaxException.class, () -> ScaleExpression.parse(longOne, SYMBOLS));
    assertTrue(e.getMessage().contains("at most 200"), e.getMessage());
  }

  @Test
  void deepNestingIsRejected() {
    String deep = "(".repeat(30) + "n" + ")".repeat(30);
    var e = assertThrows(ScaleExpression.SyntaxException.class, () -> ScaleExpression.parse(deep, SYMBOLS));
    assertTrue(e.getMessage().contains("nested deeper than 20"), e.getMessage());
  }
}
