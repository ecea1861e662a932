package io.github.overparam.core.model;

import static io.github.overparam.core.Checks.atLeast;
import static io.github.overparam.core.Checks.notNull;
import static io.github.overparam.core.Checks.require;

import io.github.overparam.core.Names;

/**
 * Everything that defines a network apart from its input dimension and its seed.
 *
 * <p>{@code depth} is the paper's L: for two-layer nets 1; for Zou et al. and the standard net the
 * number of hidden layers; for Allen-Zhu et al. the number of trained m x m layers W_1..W_L, on top
 * of the fixed input layer A (so the net has L + 1 hidden layers).
 *
 * @param arch two_layer or deep
 * @param parameterization initialisation, scaling and trained layers of one paper
 * @param activation hidden nonlinearity
 * @param width m, the number of units of every hidden layer, at least 1
 * @param depth L, at least 1; exactly 1 for two_layer
 * @param trainOutput whether the output layer is trained (each paper has a default)
 */
public record ModelSpec(
    Arch arch, Parameterization parameterization, Activation activation, int width, int depth,
    boolean trainOutput) implements java.io.Serializable {

  public ModelSpec {
    notNull("model.arch", arch);
    notNull("model.parameterization", parameterization);
    notNull("model.activation", activation);
    atLeast("model.width", width, 1);
    atLeast("model.depth", depth, 1);
    if (arch == Arch.TWO_LAYER) {
      require(depth == 1, "model.depth = " + depth + ": arch two_layer has exactly one hidden layer, use depth 1"
          + " or arch deep");
      require(parameterization != Parameterization.ALLEN_ZHU,
          "model.parameterization = allen_zhu: needs arch deep (Allen-Zhu et al. stack L layers on A)");
    } else {
      require(parameterization != Parameterization.DU,
          "model.parameterization = du: needs arch two_layer (Du et al. analyse one hidden layer)");
    }
  }

  /** The paper's model with the paper's choice of trained output. */
  public static ModelSpec of(Arch arch, Parameterization parameterization, Activation activation, int width,
      int depth) {
    return new ModelSpec(arch, parameterization, activation, width, depth,
        parameterization.trainOutputByDefault());
  }

  /** Du et al.'s two-layer ReLU net of width m, first layer trained. */
  public static ModelSpec du(int width) {
    return of(Arch.TWO_LAYER, Parameterization.DU, Activation.RELU, width, 1);
  }

  public ModelSpec withWidth(int newWidth) {
    return new ModelSpec(arch, parameterization, activation, newWidth, depth, trainOutput);
  }

  /** Number of hidden layers of the network. */
  public int hiddenLayers() {
    return parameterization == Parameterization.ALLEN_ZHU ? depth + 1 : depth;
  }

  /** A stable text form: part of run ids and seeds, so never change the spelling of a field. */
  public String canonical() {
    return "arch=" + Names.of(arch) + ";parameterization=" + Names.of(parameterization) + ";activation="
        + Names.of(activation) + ";width=" + width + ";depth=" + depth + ";train_output=" + trainOutput;
  }
}
