package io.github.overparam.core.data;

import org.ejml.data.DMatrixRMaj;

/**
 * A generated data set: training and test inputs (one row per point) and labels (one column per
 * output). Matrices are owned by the data set; callers must not modify them.
 *
 * @param id stable identifier derived from (seed, spec)
 * @param spec what was generated
 * @param seed the sweep seed it was generated from
 * @param xTrain n x d inputs
 * @param yTrain n x 1 labels
 * @param xTest nTest x d inputs (0 rows when there is no test set)
 * @param yTest nTest x 1 labels
 */
public record Dataset(
    String id, DataSpec spec, long seed, DMatrixRMaj xTrain, DMatrixRMaj yTrain, DMatrixRMaj xTest,
    DMatrixRMaj yTest) {

  public int n() {
    return xTrain.numRows;
  }

  public int d() {
    return xTrain.numCols;
  }

  public int outputs() {
    return yTrain.numCols;
  }

  public boolean classes() {
    return spec.classes();
  }
}
