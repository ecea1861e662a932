package io.github.overparam.spark.sweep;

/** A sweep cannot start or go on: the message says why and what to do. */
public class SweepException extends Exception {
  private static final long serialVersionUID = 1L;

  public SweepException(String message) {
    super(message);
  }

  public SweepException(String message, Throwable cause) {
    super(message, cause);
  }
}
