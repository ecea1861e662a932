package io.github.overparam.spark.config;

import io.github.overparam.spark.config.YamlTree.MapNode;
import io.github.overparam.spark.config.YamlTree.Node;
import io.github.overparam.spark.config.YamlTree.Scalar;
import io.github.overparam.spark.config.YamlTree.Seq;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A config's {@code cases:}: a list of partial configs, each laid over the rest of the document, so
 * that one sweep holds grids that a Cartesian product cannot pair, e.g. Du et al.'s two-layer net
 * and a deep net of Zou et al. over the same data, step-size rule and seeds:
 *
 * <pre>
 * cases:
 *   - {model: {arch: two_layer, parameterization: du}}
 *   - {model: {arch: deep, parameterization: zou, depth: 2}}
 * </pre>
 *
 * <p>A case may set keys of the sections data, model, train and record; each key it sets replaces
 * the document's value of that key whole (a list, a range or a relative value included). The
 * sweep's name, seeds, search and execution options are shared. Each case is then read and checked
 * as a config of its own; its grid is the Cartesian product of its axes, and the sweep's runs are
 * the cases' runs in case order. An error at a key a case sets names the case ({@code
 * cases[1].model.depth}); an error that only some cases give says which.
 */
final class Cases {
  /** The key that holds the cases. */
  static final String KEY = "cases";
  /** The sections a case may set. */
  static final List<String> SECTIONS = List.of("data", "model", "train", "record");
  /** The most cases in one config. */
  static final int MAX_CASES = 100;

  private final List<MapNode> documents = new ArrayList<>();
  /** Per case, the key paths it sets (e.g. model.depth). */
  private final List<Set<String>> set = new ArrayList<>();

  private Cases() {}

  /**
   * Splits {@code root}: without {@code cases:}, the document itself (one case that sets nothing);
   * with them, one document per case, the rest of the document with the case's keys laid over it.
   * Errors in the {@code cases:} list itself go to {@code errors}; null when it is unusable.
   */
  static Cases split(MapNode root, ConfigErrors errors) {
    Cases cases = new Cases();
    Node node = root.entries().remove(KEY);
    if (ConfigLoader.isNull(node)) {
      cases.documents.add(root);
      cases.set.add(Set.of());
      return cases;
    }
    if (!(node instanceof Seq list) || list.items().isEmpty() || list.items().size() > MAX_CASES) {
      errors.fail(KEY, YamlTree.render(node), "must be a list of 1 to " + MAX_CASES + " cases, each a map of the"
          + " sections it sets (" + String.join(", ", SECTIONS) + "), e.g. [{model: {arch: deep, depth: 2}}]");
      return null;
    }
    boolean ok = true;
    for (int i = 0; i < list.items().size(); i++) {
      String at = KEY + "[" + i + "]";
      Node item = list.items().get(i);
      if (!(item instanceof MapNode c) || c.entries().isEmpty()) {
        errors.fail(at, YamlTree.render(item), "a case must be a map of the sections it sets (" + String.join(", ",
            SECTIONS) + "), e.g. {model: {arch: deep, depth: 2}}");
        ok = false;
        continue;
      }
      MapNode document = copy(root);
      Set<String> paths = new LinkedHashSet<>();
      for (Map.Entry<String, Node> section : c.entries().entrySet()) {
        if (!SECTIONS.contains(section.getKey())) {
          errors.fail(at + "." + section.getKey(), YamlTree.render(section.getValue()), "a case may set the sections "
              + String.join(", ", SECTIONS) + " only; sweep, seeds, search and execution are shared by every case"
              + (Suggestions.nearest(section.getKey(), SECTIONS) == null ? "" : " (did you mean '"
                  + Suggestions.nearest(section.getKey(), SECTIONS) + "'?)"));
          ok = false;
          continue;
        }
        if (!(section.getValue() instanceof MapNode keys)) {
          errors.fail(at + "." + section.getKey(), YamlTree.render(section.getValue()), "must be a map of the keys"
              + " the case sets (" + String.join(", ", ConfigSchema.names(section.getKey())) + ")");
          ok = false;
          continue;
        }
        Node base = document.entries().get(section.getKey());
        MapNode merged = base instanceof MapNode m ? m : new MapNode();
        document.entries().put(section.getKey(), merged);
        for (Map.Entry<String, Node> key : keys.entries().entrySet()) {
          merged.entries().put(key.getKey(), copy(key.getValue()));
          paths.add(section.getKey() + "." + key.getKey());
        }
      }
      cases.documents.add(document);
      cases.set.add(paths);
    }
    return ok ? cases : null;
  }

  /** Whether the config has {@code cases:} (else it is one document that sets nothing). */
  boolean present() {
    return documents.size() > 1 || !set.get(0).isEmpty();
  }

  /** The document of each case, in order. */
  List<MapNode> documents() {
    return documents;
  }

  /**
   * Reports the errors each case gave: an error at a key a case sets is named by the case ({@code
   * cases[1].model.depth}); an error every case gives identically is reported once, as it is; any
   * other error says in which cases it occurs. Without cases, the one case's errors as they are.
   */
  static void report(List<ParsedConfig> cases, List<ConfigErrors> perCase, ConfigErrors errors) {
    if (cases.size() == 1 && !cases.get(0).fromCase) {
      perCase.get(0).list().forEach(errors::add);
      if (perCase.get(0).blocked()) {
        errors.block();
      }
      return;
    }
    Set<ConfigError> everywhere = new LinkedHashSet<>(perCase.get(0).list());
    perCase.forEach(e -> everywhere.retainAll(e.list()));
    Map<ConfigError, List<Integer>> some = new LinkedHashMap<>();
    for (int i = 0; i < perCase.size(); i++) {
      if (perCase.get(i).blocked()) {
        errors.block();
      }
      for (ConfigError e : perCase.get(i).list()) {
        if (sets(cases.get(i).caseKeys, e.path())) {
          errors.add(new ConfigError(KEY + "[" + i + "]." + e.path(), e.value(), e.message()));
        } else if (everywhere.contains(e)) {
          errors.add(e);
        } else {
          some.computeIfAbsent(e, k -> new ArrayList<>()).add(i);
        }
      }
    }
    some.forEach((e, in) -> errors.add(new ConfigError(e.path(), e.value(), e.message() + " (in " + String.join(", ",
        in.stream().map(i -> KEY + "[" + i + "]").toList()) + ")")));
  }

  /** The keys case {@code i} sets (e.g. model.depth), empty without cases. */
  Set<String> keys(int i) {
    return set.get(i);
  }

  /** Whether a case that sets {@code keys} sets the key of {@code path} (model.depth for model.depth, train.lr for train.lr.factors). */
  private static boolean sets(Set<String> keys, String path) {
    for (String p : keys) {
      if (path.equals(p) || path.startsWith(p + ".") || path.startsWith(p + "[")) {
        return true;
      }
    }
    return false;
  }

  /** A deep copy of a node (maps are mutable: overrides and the search write into them). */
  private static Node copy(Node node) {
    if (node instanceof MapNode m) {
      return copy(m);
    }
    if (node instanceof Seq q) {
      List<Node> items = new ArrayList<>();
      q.items().forEach(n -> items.add(copy(n)));
      return new Seq(items);
    }
    return (Scalar) node;
  }

  private static MapNode copy(MapNode map) {
    MapNode out = new MapNode();
    map.entries().forEach((k, v) -> out.entries().put(k, copy(v)));
    return out;
  }
}
