package io.github.overparam.spark.config;

import io.github.overparam.spark.config.YamlTree.Kind;
import io.github.overparam.spark.config.YamlTree.MapNode;
import io.github.overparam.spark.config.YamlTree.Node;
import io.github.overparam.spark.config.YamlTree.ReadException;
import io.github.overparam.spark.config.YamlTree.Scalar;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * {@code --set key.path=value} overrides: the value is read as a YAML flow value, e.g.
 * {@code model.width=[16,32]}, {@code train.target_loss.relative=1e-3}, {@code seeds=3}, and
 * replaces the key's value in the YAML tree (or adds the key) before validation.
 */
final class Overrides {
  private static final Pattern KEY_PATH = Pattern.compile("[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*");

  private Overrides() {}

  /** Applies one override to {@code root} (null when the document itself is invalid: then only checked). */
  static void apply(MapNode root, String override, ConfigErrors errors) {
    int eq = override == null ? -1 : override.indexOf('=');
    if (eq <= 0) {
      errors.error("(--set)", "'" + override + "'", "an override is key.path=value, e.g. model.width=[16,32]");
      return;
    }
    String path = override.substring(0, eq).trim();
    if (!KEY_PATH.matcher(path).matches()) {
      errors.error("(--set)", "'" + override + "'", "'" + path + "' is not a key path like model.width or seeds");
      return;
    }
    Node value;
    try {
      value = YamlTree.read(override.substring(eq + 1), "(--set)", path);
    } catch (ReadException e) {
      errors.error("(--set)", "'" + override + "'", e.error().message());
      return;
    }
    if (root == null) {
      return;
    }
    String[] parts = path.split("\\.");
    MapNode map = root;
    for (int i = 0; i < parts.length - 1; i++) {
      Node child = map.entries().get(parts[i]);
      if (child == null || (child instanceof Scalar s && s.kind() == Kind.NULL)) {
        child = new MapNode();
        map.entries().put(parts[i], child);
      } else if (!(child instanceof MapNode)) {
        String prefix = String.join(".", Arrays.copyOfRange(parts, 0, i + 1));
        errors.error("(--set)", "'" + override + "'", prefix + " is " + YamlTree.render(child)
            + ", not a map, so it has no key " + parts[i + 1]);
        return;
      }
      map = (MapNode) child;
    }
    map.entries().put(parts[parts.length - 1], value);
  }
}
