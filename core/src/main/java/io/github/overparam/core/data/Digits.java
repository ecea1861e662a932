package io.github.overparam.core.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

/**
 * The UCI "Optical Recognition of Handwritten Digits" test split (E. Alpaydin and C. Kaynak, 1998;
 * CC BY 4.0; see NOTICE), shipped as a resource: 1,797 images of 8 x 8 pixel counts 0..16 and their
 * digits. Loaded once per JVM; the arrays are shared and must not be modified.
 */
public final class Digits {
  public static final int SIZE = 1797;
  public static final int DIMENSION = 64;
  private static final String RESOURCE = "digits.csv.gz";

  /** Centered (by the mean image of all 1,797) and unit-norm inputs, row-major SIZE x DIMENSION. */
  private static volatile double[] inputs;
  private static volatile int[] digits;

  private Digits() {}

  /** Row i of the centered, unit-norm inputs (shared: do not modify). */
  static double[] inputs() {
    load();
    return inputs;
  }

  /** The digit 0..9 of image i. */
  public static int digit(int i) {
    load();
    return digits[i];
  }

  private static synchronized void load() {
    if (inputs != null) {
      return;
    }
    double[] x = new double[SIZE * DIMENSION];
    int[] y = new int[SIZE];
    try (InputStream raw = Digits.class.getResourceAsStream(RESOURCE)) {
      if (raw == null) {
        throw new IllegalStateException("resource " + RESOURCE + " is missing from the core jar");
      }
      BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.UTF_8));
      for (int i = 0; i < SIZE; i++) {
        String line = in.readLine();
        if (line == null) {
          throw new IllegalStateException(RESOURCE + " has " + i + " rows, expected " + SIZE);
        }
        String[] cells = line.split(",");
        if (cells.length != DIMENSION + 1) {
          throw new IllegalStateException(RESOURCE + " row " + i + " has " + cells.length + " columns, expected 65");
        }
        for (int j = 0; j < DIMENSION; j++) {
          x[i * DIMENSION + j] = Integer.parseInt(cells[j].trim());
        }
        y[i] = Integer.parseInt(cells[DIMENSION].trim());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
    double[] mean = new double[DIMENSION];
    for (int i = 0; i < SIZE; i++) {
      for (int j = 0; j < DIMENSION; j++) {
        mean[j] += x[i * DIMENSION + j] / SIZE;
      }
    }
    for (int i = 0; i < SIZE; i++) {
      double norm2 = 0;
      for (int j = 0; j < DIMENSION; j++) {
        double v = x[i * DIMENSION + j] - mean[j];
        x[i * DIMENSION + j] = v;
        norm2 += v * v;
      }
      double scale = 1.0 / StrictMath.sqrt(norm2);
      for (int j = 0; j < DIMENSION; j++) {
        x[i * DIMENSION + j] *= scale;
      }
    }
    digits = y;
    inputs = x;
  }
}
