package io.github.overparam.core.model;

import static io.github.overparam.core.Checks.atLeast;
import static io.github.overparam.core.Checks.notNull;
import static io.github.overparam.core.Checks.require;

import io.github.overparam.core.Names;
import io.github.overparam.core.SpecException;
import java.io.Serializable;

/**
 * Everything that defines a network apart from its input dimension and its seed.
 *
 * <p>{@code depth} is the paper's L: for two-layer nets 1; for Zou et al. and the standard net the
 * number of hidden layers; for Allen-Zhu et al. the number of trained m x m layers W_1..W_L, on top
 * of the fixed input layer A (so the net has L + 1 hidden layers). A ResNet always has the input
 * layer plus L residual blocks (L + 1 hidden layers).
 *
 * @param arch two_layer, deep, resnet or cnn
 * @param parameterization initialization, scaling and trained layers of one paper
 * @param activation hidden nonlinearity
 * @param width m, the number of units (cnn: channels) of every hidden layer, at least 1
 * @param depth L, at least 1; exactly 1 for two_layer
 * @param trainOutput whether the output layer is trained (each paper has a default)
 * @param lastWidth width of the last hidden layer (Kawaguchi and Huang's condition is on it); equal
 *     to {@code width} unless set, deep and two_layer only
 * @param residualScale resnet only: tau of the residual blocks (NaN for other architectures)
 * @param patch cnn only: q, the odd number of neighboring positions a filter sees (0 otherwise)
 * @param channels cnn only: input channels c, d = positions c (0 otherwise)
 */
public record ModelSpec(
    Arch arch, Parameterization parameterization, Activation activation, int width, int depth,
    boolean trainOutput, int lastWidth, double residualScale, int patch, int channels)
    implements Serializable {

  public ModelSpec {
    notNull("model.arch", arch);
    notNull("model.parameterization", parameterization);
    notNull("model.activation", activation);
    atLeast("model.width", width, 1);
    atLeast("model.depth", depth, 1);
    atLeast("model.last_width", lastWidth, 1);
    if (arch == Arch.TWO_LAYER) {
      require(depth == 1, "model.depth", depth,
          "arch two_layer has exactly one hidden layer, use depth 1 or arch deep");
      require(parameterization != Parameterization.ALLEN_ZHU, "model.parameterization", parameterization,
          "needs arch deep, resnet or cnn (Allen-Zhu et al. stack L layers"
              + " on A)");
    } else {
      require(parameterization != Parameterization.DU, "model.parameterization", parameterization,
          "needs arch two_layer (Du et al. analyze one hidden layer)");
    }
    if (arch == Arch.RESNET || arch == Arch.CNN) {
      require(lastWidth == width, "model.last_width", lastWidth, "arch " + Names.of(arch)
          + " keeps every hidden layer at model.width = " + width + "; last_width needs arch deep or two_layer");
    }
    if (arch == Arch.RESNET) {
      require(residualScale > 0 && Double.isFinite(residualScale), "model.residual_scale", residualScale,
          "must be a finite number > 0 (or auto: 1 / (sqrt(L) ln m))");
    } else {
      require(Double.isNaN(residualScale), "model.residual_scale", residualScale,
          "only arch resnet has a residual scale");
    }
    if (arch == Arch.CNN) {
      require(patch >= 1 && patch % 2 == 1, "model.patch", patch, "must be an odd integer >= 1");
      atLeast("model.channels", channels, 1);
    } else {
      require(patch == 0, "model.patch", patch, "only arch cnn has patches");
      require(channels == 0, "model.channels", channels, "only arch cnn reads its input in channels");
    }
  }

  /** A net whose hidden layers all have width m (no residual scale, no patches). */
  public ModelSpec(Arch arch, Parameterization parameterization, Activation activation, int width, int depth,
      boolean trainOutput) {
    this(arch, parameterization, activation, width, depth, trainOutput, width,
        arch == Arch.RESNET ? defaultResidualScale(width, depth) : Double.NaN, arch == Arch.CNN ? 3 : 0,
        arch == Arch.CNN ? 1 : 0);
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

  /**
   * Allen-Zhu, Li and Song's choice tau = 1 / (sqrt(L) ln m) (their condition is tau <= 1 / Omega(sqrt(L)
   * log m); we take the constant 1), capped at 1 for tiny m.
   */
  public static double defaultResidualScale(int width, int depth) {
    double log = Math.log(Math.max(width, 3));
    return Math.min(1.0, 1.0 / (Math.sqrt(depth) * log));
  }

  /** The same spec at another width; an auto residual scale and an unset last width follow the width. */
  public ModelSpec withWidth(int newWidth) {
    int last = lastWidth == width ? newWidth : lastWidth;
    double tau = arch == Arch.RESNET && residualScale == defaultResidualScale(width, depth)
        ? defaultResidualScale(newWidth, depth) : residualScale;
    return new ModelSpec(arch, parameterization, activation, newWidth, depth, trainOutput, last, tau, patch,
        channels);
  }

  public ModelSpec withLastWidth(int newLastWidth) {
    return new ModelSpec(arch, parameterization, activation, width, depth, trainOutput, newLastWidth,
        residualScale, patch, channels);
  }

  public ModelSpec withResidualScale(double tau) {
    return new ModelSpec(arch, parameterization, activation, width, depth, trainOutput, lastWidth, tau, patch,
        channels);
  }

  public ModelSpec withPatch(int newPatch, int newChannels) {
    return new ModelSpec(arch, parameterization, activation, width, depth, trainOutput, lastWidth,
        residualScale, newPatch, newChannels);
  }

  /** Number of hidden layers of the network. */
  public int hiddenLayers() {
    return parameterization == Parameterization.ALLEN_ZHU || arch == Arch.RESNET ? depth + 1 : depth;
  }

  /** Units (cnn: channels) of hidden layer l. */
  public int layerWidth(int layer) {
    return layer == hiddenLayers() - 1 ? lastWidth : width;
  }

  /** Positions per input: d / channels for cnn, 1 otherwise. */
  public int positions(int d) {
    return arch == Arch.CNN ? d / channels : 1;
  }

  /** Rows of hidden layer l's weight matrix (fan-in) for inputs of dimension d. */
  public int fanIn(int layer, int d) {
    if (arch == Arch.CNN) {
      return patch * (layer == 0 ? channels : width);
    }
    return layer == 0 ? d : layerWidth(layer - 1);
  }

  /** Rows of the output layer's weight matrix: the units of the last hidden layer over all positions. */
  public int outputFanIn(int d) {
    return positions(d) * lastWidth;
  }

  /** Whether hidden layer l is a residual block h_{l-1} + tau h_{l-1} W_l. */
  public boolean residual(int layer) {
    return arch == Arch.RESNET && layer > 0;
  }

  /** Whether hidden layer l is trained (Allen-Zhu et al. fix the input layer A). */
  public boolean trainedHidden(int layer) {
    return parameterization != Parameterization.ALLEN_ZHU || layer > 0;
  }

  /** Why inputs of dimension d cannot feed this net, or null when they can. */
  public String inputProblem(int d) {
    SpecException problem = inputError(d);
    return problem == null ? null : problem.getMessage();
  }

  /** Why inputs of dimension d cannot feed this net, as a typed error, or null when they can. */
  public SpecException inputError(int d) {
    if (arch == Arch.CNN && d % channels != 0) {
      return new SpecException("data.d", Integer.toString(d), "must be a multiple of model.channels = " + channels
          + " (a cnn reads d / channels positions of channels values each)");
    }
    return null;
  }

  /**
   * A stable text form: part of run ids and seeds, so never change the spelling of a field. Fields
   * added later appear only when they differ from the older behavior, so older run ids stay valid.
   */
  public String canonical() {
    StringBuilder s = new StringBuilder("arch=" + Names.of(arch) + ";parameterization=" + Names.of(parameterization)
        + ";activation=" + Names.of(activation) + ";width=" + width + ";depth=" + depth + ";train_output="
        + trainOutput);
    if (lastWidth != width) {
      s.append(";last_width=").append(lastWidth);
    }
    if (arch == Arch.RESNET) {
      s.append(";residual_scale=").append(residualScale);
    }
    if (arch == Arch.CNN) {
      s.append(";patch=").append(patch).append(";channels=").append(channels);
    }
    return s.toString();
  }
}
