package io.github.overparam.core.model;

/** The network's shape. Depth and width are values of {@link ModelSpec}, not architectures. */
public enum Arch {
  /** One hidden layer (Du et al.); depth must be 1. */
  TWO_LAYER,
  /** Fully connected, depth hidden m x m layers on top of the input layer (Allen-Zhu et al., Zou et al.). */
  DEEP,
  /**
   * Allen-Zhu, Li and Song's ResNet: h_0 = relu(x A), then L residual blocks
   * h_l = relu(h_{l-1} + tau h_{l-1} W_l) with W_l m x m, y = B h_L; tau is
   * {@link ModelSpec#residualScale()}.
   */
  RESNET,
  /**
   * Allen-Zhu, Li and Song's convolutional net, 1-D: the input is P positions of c channels
   * (d = P c); every layer applies the same weights to each position's patch of q neighboring
   * positions (stride 1, zero padding, P positions kept), channels = width; y = B vec(h_L).
   */
  CNN
}
