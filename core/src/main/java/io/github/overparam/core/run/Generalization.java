package io.github.overparam.core.run;

import io.github.overparam.core.data.Dataset;
import io.github.overparam.core.model.Network;
import io.github.overparam.core.model.Workspace;
import io.github.overparam.core.train.Loss;
import java.io.Serializable;
import org.ejml.data.DMatrixRMaj;

/**
 * How the trained net does on its training points and on held-out points.
 *
 * @param trainAccuracy fraction of training points classified correctly when the labels are
 *     classes, else NaN
 * @param testLoss loss on the test points (NaN without a test set)
 * @param testAccuracy the same fraction on the test points, else NaN
 */
public record Generalization(double trainAccuracy, double testLoss, double testAccuracy) implements Serializable {

  /** Nothing measured (a failed run). */
  public static final Generalization NONE = new Generalization(Double.NaN, Double.NaN, Double.NaN);

  /**
   * Measures the trained {@code net}.
   *
   * @param full the forward pass over every training point at the final weights (not modified)
   */
  public static Generalization measure(Network net, Dataset data, Loss loss, Workspace full) {
    boolean classes = data.classes();
    double trainAccuracy = classes ? accuracy(full.outputs(), data.yTrain()) : Double.NaN;
    double testLoss = Double.NaN;
    double testAccuracy = Double.NaN;
    if (data.xTest().numRows > 0) {
      Workspace test = net.workspace(data.xTest().numRows);
      net.forward(data.xTest(), test);
      testLoss = loss.value(test.outputs(), data.yTest());
      testAccuracy = classes ? accuracy(test.outputs(), data.yTest()) : Double.NaN;
    }
    return new Generalization(trainAccuracy, testLoss, testAccuracy);
  }

  /**
   * Fraction of rows classified correctly: the sign of the output against the +-1 label with one
   * output, the arg max of the outputs against the arg max of the one-hot label with several.
   */
  static double accuracy(DMatrixRMaj f, DMatrixRMaj y) {
    int correct = 0;
    for (int i = 0; i < f.numRows; i++) {
      if (f.numCols == 1) {
        double predicted = f.unsafe_get(i, 0) >= 0 ? 1.0 : -1.0;
        if (predicted == y.unsafe_get(i, 0)) {
          correct++;
        }
      } else if (argMax(f, i) == argMax(y, i)) {
        correct++;
      }
    }
    return f.numRows == 0 ? Double.NaN : (double) correct / f.numRows;
  }

  private static int argMax(DMatrixRMaj m, int row) {
    int best = 0;
    for (int j = 1; j < m.numCols; j++) {
      if (m.unsafe_get(row, j) > m.unsafe_get(row, best)) {
        best = j;
      }
    }
    return best;
  }
}
