package io.github.overparam.core.theory;

import io.github.overparam.core.linalg.Symmetric;
import io.github.overparam.core.model.Network;
import io.github.overparam.core.model.Workspace;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The empirical neural tangent kernel Gram J J^T of a finite network: J_i is the gradient of the
 * first output at x_i with respect to every trained parameter.
 *
 * <p>J is never formed. For a trained layer with input a_i (fan_in) and delta g_i = df(x_i)/dz (fan_out)
 * the per-sample gradient is the outer product a_i g_i^T, so <J_i, J_j> restricted to the layer is
 * (a_i . a_j)(g_i . g_j): the Gram is the sum over trained layers of (A A^T) * (G G^T) elementwise.
 * O(n^2 (d + m) L) time and O(n m L + n^2) memory; O(n^2 (d + m / 64)) for Du et al.'s net, whose
 * deltas are 0 or +-1 / sqrt(m) (from n = 500, {@link Symmetric#addHadamardSignGram}).
 */
public final class EmpiricalNtk {
  private EmpiricalNtk() {}

  /** J J^T (n x n) of {@code net} at its current weights for the rows of {@code x}. */
  public static DMatrixRMaj gram(Network net, DMatrixRMaj x) {
    int n = x.numRows;
    Workspace ws = net.workspace(n);
    net.forward(x, ws);
    DMatrixRMaj seed = ws.outputGradient();
    CommonOps_DDRM.fill(seed, 0.0);
    for (int i = 0; i < n; i++) {
      seed.unsafe_set(i, 0, 1.0);
    }
    DMatrixRMaj result = new DMatrixRMaj(n, n);
    // From n = Spectra.ITERATIVE_FROM the two n x n products run on the vector kernels (10 times
    // EJML's speed there), their upper triangles only, fused with the elementwise product and the
    // sum; a layer whose deltas are all 0 or +-v (Du et al.'s hidden layer under its fixed +-1
    // output weights) has its delta product counted exactly on bit sets instead. Below, the bits of
    // EJML's multOuter (Symmetric.outer), as before.
    if (n >= Spectra.ITERATIVE_FROM) {
      net.backward(x, ws, (layer, input, delta) -> {
        if (!Symmetric.addHadamardSignGram(input, delta, result)) {
          Symmetric.addHadamardGram(input, delta, result);
        }
      });
      return result;
    }
    DMatrixRMaj inputs = new DMatrixRMaj(n, n);
    DMatrixRMaj deltas = new DMatrixRMaj(n, n);
    net.backward(x, ws, (layer, input, delta) -> {
      Symmetric.outer(input, inputs);
      Symmetric.outer(delta, deltas);
      CommonOps_DDRM.elementMult(inputs, deltas);
      CommonOps_DDRM.addEquals(result, inputs);
    });
    return result;
  }

  /**
   * H(W) of Du et al. for a two-layer net, straight from its definition:
   * H_ij = (x_i . x_j / m) #{r : w_r . x_i >= 0 and w_r . x_j >= 0}. Used to cross-check {@link #gram}.
   */
  public static DMatrixRMaj twoLayerGram(Network net, DMatrixRMaj x) {
    if (net.hiddenLayers() != 1) {
      throw new IllegalArgumentException("twoLayerGram needs one hidden layer, the net has " + net.hiddenLayers());
    }
    int n = x.numRows;
    DMatrixRMaj z = new DMatrixRMaj(n, net.spec().width());
    CommonOps_DDRM.mult(x, net.weights(0), z);
    DMatrixRMaj active = new DMatrixRMaj(n, z.numCols);
    for (int e = 0; e < z.getNumElements(); e++) {
      active.data[e] = z.data[e] >= 0 ? 1.0 : 0.0;
    }
    DMatrixRMaj counts = new DMatrixRMaj(n, n);
    CommonOps_DDRM.multOuter(active, counts);
    DMatrixRMaj dots = new DMatrixRMaj(n, n);
    CommonOps_DDRM.multOuter(x, dots);
    CommonOps_DDRM.elementMult(dots, counts);
    CommonOps_DDRM.scale(1.0 / net.spec().width(), dots);
    return dots;
  }
}
