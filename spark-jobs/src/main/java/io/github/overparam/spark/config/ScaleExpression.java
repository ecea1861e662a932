package io.github.overparam.spark.config;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The tiny expression language of relative values ({@code scale: "n^2 * depth"}), parsed by hand
 * (recursive descent), never evaluated by a script engine.
 *
 * <pre>
 * expr     := power (('*' | '/') power)*
 * power    := atom ('^' exponent)?
 * atom     := number | symbol | 'ln' '(' expr ')' | '(' expr ')'
 * exponent := ['+' | '-'] number | '(' ['+' | '-'] number ')'
 * </pre>
 *
 * <p>Numbers are decimal ({@code 2}, {@code 0.5}, {@code 1e-3}); symbols are names from an allowed
 * set (for example n, d, depth, n_test); {@code ln} is the natural logarithm, the one function (a
 * step budget in the theory's time unit, {@code 20 * ln(1 / target) / (lr * lambda0)}, needs it).
 */
final class ScaleExpression {
  /** A node of the parsed expression. */
  private interface Expr {
    double eval(Map<String, Double> symbols);
  }

  /** The longest expression accepted (evaluation recurses once per operator). */
  static final int MAX_LENGTH = 200;

  private final String text;
  private final Expr root;
  private final Set<String> symbols;

  private ScaleExpression(String text, Expr root, Set<String> symbols) {
    this.text = text;
    this.root = root;
    this.symbols = Collections.unmodifiableSet(symbols);
  }

  /** Thrown for a malformed expression; the message says where and what was expected. */
  static final class SyntaxException extends Exception {
    private static final long serialVersionUID = 1L;

    SyntaxException(String message) {
      super(message);
    }
  }

  /**
   * Parses {@code text}, accepting only the symbols in {@code allowed}.
   *
   * @throws SyntaxException with a message naming the position and the offending token or symbol
   */
  static ScaleExpression parse(String text, Set<String> allowed) throws SyntaxException {
    if (text.length() > MAX_LENGTH) {
      throw new SyntaxException("the expression has " + text.length() + " characters: at most " + MAX_LENGTH);
    }
    Parser p = new Parser(text, allowed);
    Expr e = p.expr();
    p.skipSpace();
    if (p.pos < text.length()) {
      throw new SyntaxException("unexpected '" + text.charAt(p.pos) + "' at position " + (p.pos + 1)
          + " (operators are *, / and ^)");
    }
    return new ScaleExpression(text, e, p.used);
  }

  /** The value with the given symbol values (every symbol of {@link #symbols()} must be present). */
  double eval(Map<String, Double> values) {
    return root.eval(values);
  }

  /** The symbols the expression uses, sorted. */
  Set<String> symbols() {
    return symbols;
  }

  @Override
  public String toString() {
    return text;
  }

  private static final class Parser {
    private final String s;
    private final Set<String> allowed;
    private final Set<String> used = new TreeSet<>();
    private int pos;
    private int depth;

    Parser(String s, Set<String> allowed) {
      this.s = s;
      this.allowed = allowed;
    }

    void skipSpace() {
      while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
    }

    boolean eat(char c) {
      skipSpace();
      if (pos < s.length() && s.charAt(pos) == c) {
        pos++;
        return true;
      }
      return false;
    }

    String found() {
      skipSpace();
      return pos < s.length() ? "'" + s.charAt(pos) + "' at position " + (pos + 1) : "the end";
    }

    Expr expr() throws SyntaxException {
      if (++depth > 20) {
        throw new SyntaxException("parentheses nested deeper than 20");
      }
      Expr left = power();
      while (true) {
        if (eat('*')) {
          Expr l = left;
          Expr r = power();
          left = v -> l.eval(v) * r.eval(v);
        } else if (eat('/')) {
          Expr l = left;
          Expr r = power();
          left = v -> l.eval(v) / r.eval(v);
        } else {
          depth--;
          return left;
        }
      }
    }

    Expr power() throws SyntaxException {
      Expr base = atom();
      if (!eat('^')) {
        return base;
      }
      double exponent;
      if (eat('(')) {
        exponent = signedNumber();
        if (!eat(')')) {
          throw new SyntaxException("expected ')' after the exponent, found " + found());
        }
      } else {
        exponent = signedNumber();
      }
      return v -> Math.pow(base.eval(v), exponent);
    }

    double signedNumber() throws SyntaxException {
      double sign = 1;
      if (eat('-')) {
        sign = -1;
      } else {
        eat('+');
      }
      skipSpace();
      if (pos >= s.length() || !(Character.isDigit(s.charAt(pos)) || s.charAt(pos) == '.')) {
        throw new SyntaxException("the exponent after '^' must be a number (like n^2, n^-0.5 or n^(1.5)), found "
            + found());
      }
      return sign * number();
    }

    double number() throws SyntaxException {
      int start = pos;
      while (pos < s.length() && (Character.isDigit(s.charAt(pos)) || s.charAt(pos) == '.')) {
        pos++;
      }
      if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
        int save = pos;
        pos++;
        if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
          pos++;
        }
        if (pos < s.length() && Character.isDigit(s.charAt(pos))) {
          while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
            pos++;
          }
        } else {
          pos = save;
        }
      }
      String t = s.substring(start, pos);
      try {
        return Double.parseDouble(t);
      } catch (NumberFormatException e) {
        throw new SyntaxException("malformed number '" + t + "' at position " + (start + 1));
      }
    }

    Expr atom() throws SyntaxException {
      skipSpace();
      if (pos >= s.length()) {
        throw new SyntaxException("expected a number, a symbol or '(' but found the end");
      }
      char c = s.charAt(pos);
      if (c == '(') {
        pos++;
        Expr inner = expr();
        if (!eat(')')) {
          throw new SyntaxException("expected ')' but found " + found());
        }
        return inner;
      }
      if (Character.isDigit(c) || c == '.') {
        double value = number();
        return v -> value;
      }
      if (Character.isLetter(c) || c == '_') {
        int start = pos;
        while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
          pos++;
        }
        String name = s.substring(start, pos);
        if (name.equals("ln") && eat('(')) {
          Expr inner = expr();
          if (!eat(')')) {
            throw new SyntaxException("expected ')' to close ln( but found " + found());
          }
          return v -> Math.log(inner.eval(v));
        }
        if (!allowed.contains(name)) {
          throw new SyntaxException("unknown symbol '" + name + "' at position " + (start + 1)
              + ": allowed symbols are " + String.join(", ", new TreeSet<>(allowed)));
        }
        used.add(name);
        return v -> v.get(name);
      }
      throw new SyntaxException("expected a number, a symbol or '(' but found " + found());
    }
  }
}
