package io.github.overparam.spark.analysis;

/** The folder holds no runs/ table to analyze. */
public class NoRunsException extends Exception {
  private static final long serialVersionUID = 1L;

  public NoRunsException(String message) {
    super(message);
  }
}
