package io.github.overparam.spark.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.overparam.core.run.RunSpec;
import io.github.overparam.spark.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The schema is the one list of keys: the README's key tables and its relative-values sentence equal
 * what the schema renders, every key is known to the loader, and grid runs decode from their index.
 */
class ConfigSchemaTest {
  private static final Path README = Path.of("../README.md");

  static String readmeTable(String readme, String marker) {
    Matcher m = Pattern.compile("<!-- config-keys: " + marker + " -->\n(.*?)<!-- /config-keys -->",
        Pattern.DOTALL).matcher(readme);
    assertTrue(m.find(), "README.md has no table marked <!-- config-keys: " + marker + " -->");
    return m.group(1);
  }

  @Test
  void readmeTablesAreTheSchema() throws Exception {
    String readme = Files.readString(README);
    List<String> drift = new ArrayList<>();
    for (SchemaDoc.Table table : SchemaDoc.Table.values()) {
      String expected = SchemaDoc.markdown(table);
      if (!readmeTable(readme, table.marker()).equals(expected)) {
        drift.add("<!-- config-keys: " + table.marker() + " -->\n" + expected + "<!-- /config-keys -->");
      }
    }
    assertEquals(List.of(), drift, "README.md's key tables differ from ConfigSchema; they should read:\n"
        + String.join("\n\n", drift));
    assertTrue(readme.contains(SchemaDoc.relativeKeysSentence()), "README.md should say: "
        + SchemaDoc.relativeKeysSentence());
  }

  @Test
  void everyKeyIsInExactlyOneTable() {
    int rows = 0;
    for (SchemaDoc.Table table : SchemaDoc.Table.values()) {
      rows += table.keys().size();
    }
    assertEquals(ConfigSchema.KEYS.size(), rows);
    assertEquals(List.of("sweep", "data", "model", "train", "seeds", "record", "execution", "search", "cases"),
        ConfigSchema.sections());
    assertEquals(List.of("optimizer", "lr", "batch_size", "loss", "max_steps", "divergence_factor", "target_loss",
        "precision"),
        ConfigSchema.names("train"));
  }

  @Test
  void everyDeclaredKeyIsAccepted() throws ConfigException {
    // A key the schema declares but the loader did not read would be an unknown key here.
    SweepConfig c = ConfigLoader.load("""
        sweep: all-keys
        data: {source: sphere, n: 12, d: 6, labels: teacher_sign, random_labels: true, teacher_width: 3,
               n_test: 4, input_map: none}
        model: {arch: deep, parameterization: standard, activation: softplus, width: 8, depth: 2,
                train_output: true, last_width: 5}
        train: {optimizer: sgd, lr: 0.1, batch_size: 4, loss: logistic, max_steps: 5, divergence_factor: 100,
                target_loss: {absolute: 0.01}}
        seeds: [1, 2]
        record: {curve_points: 10, ntk: false, ntk_max_n: 20, surrogate: false}
        execution: {wave_size: 3, partitions: 2}
        """, List.of());
    RunSpec r = c.runs().get(0);
    assertEquals(5, r.model().lastWidth());
    assertEquals(3, r.data().teacherWidth());
    assertEquals(new ExecutionOptions(3, 2), c.execution());
  }

  @Test
  void validateKeysPrintsEveryKey() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertEquals(0, Main.execute(new String[] {"validate", "--keys"}, new PrintWriter(out, true),
        new PrintWriter(err, true)), err.toString());
    assertEquals(SchemaDoc.text(), out.toString());
    for (ConfigKey k : ConfigSchema.KEYS) {
      assertTrue(out.toString().contains("  " + k.path() + " "), k.path() + " missing from\n" + out);
    }
    assertTrue(out.toString().contains("  model.width                  integer >= 1; may be relative to n, d, depth,"
        + " n_test; default: required\n      hidden units m (cnn: channels)\n"), out.toString());
    StringWriter markdown = new StringWriter();
    assertEquals(0, Main.execute(new String[] {"validate", "--keys", "--markdown"}, new PrintWriter(markdown),
        new PrintWriter(err, true)), err.toString());
    assertEquals(SchemaDoc.markdownSections(), markdown.toString());
    for (SchemaDoc.Table table : SchemaDoc.Table.values()) {
      assertTrue(markdown.toString().contains("<!-- config-keys: " + table.marker() + " -->\n"
          + SchemaDoc.markdown(table) + "<!-- /config-keys -->\n"), table.marker());
    }
    StringWriter noConfigErr = new StringWriter();
    assertEquals(2, Main.execute(new String[] {"validate"}, new PrintWriter(new StringWriter(), true),
        new PrintWriter(noConfigErr, true)));
    assertTrue(noConfigErr.toString().contains("Missing required parameter: 'CONFIG'"), noConfigErr.toString());
  }

  @Test
  void suggestionsUseTheNearestKeyWithinTwoEdits() {
    List<String> known = ConfigSchema.names("model");
    assertEquals("width", Suggestions.nearest("widht", known));
    assertEquals("depth", Suggestions.nearest("dept", known));
    assertEquals("train_output", Suggestions.nearest("train_outptu", known));
    assertNull(Suggestions.nearest("resolution", known));
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load("""
        sweep: s
        data: {n: 4, d: 2}
        model: {arch: two_layer, parameterization: du, width: 4, activaton: relu}
        train: {lr: 0.1, loss: mse, max_steps: 1}
        """, List.of()));
    assertEquals("model.activaton: value relu: unknown key (did you mean model.activation?); known keys here: "
        + String.join(", ", known), e.errors().get(0).toString());
  }

  @Test
  void relativeValuesOnOtherKeysNameTheSchemasRelativeKeys() {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load("""
        sweep: s
        data: {n: 4, d: 2}
        model: {arch: two_layer, parameterization: du, width: 4}
        train: {lr: 0.1, loss: mse, max_steps: 10}
        record: {curve_points: {scale: n}}
        """, List.of()));
    assertEquals("a relative value {scale, factors} is allowed only for data.teacher_width, data.n_test,"
        + " model.width, model.last_width, train.lr, train.batch_size and train.max_steps", e.errors().get(
            0).message());
  }

  @Test
  void gridRunsDecodeFromTheirIndex() throws ConfigException {
    ConfigErrors errors = new ConfigErrors();
    ParsedConfig parsed = new ConfigReader(errors).read((YamlTree.MapNode) readYaml("""
        sweep: g
        data: {n: [10, 20, 30], d: 5}
        model: {arch: two_layer, parameterization: du, width: [16, 32]}
        train: {lr: [0.5, 0.25], loss: mse, max_steps: 10}
        seeds: 2
        """));
    assertTrue(errors.isEmpty());
    Grid grid = new Grid(parsed);
    assertEquals(3 * 2 * 2 * 2, grid.size());
    // Run 17 = seed digit 1, then lr 0, width 0, n 2 (mixed radix 3 x 2 x 2 x 2, last axis fastest).
    assertEquals(1L, grid.seed(17));
    assertEquals(30, grid.point(17).get("data.n"));
    assertEquals(16, grid.point(17).get("model.width"));
    assertEquals(0.5, grid.point(17).get("train.lr"));
    SweepConfig c = ConfigLoader.load("""
        sweep: g
        data: {n: [10, 20, 30], d: 5}
        model: {arch: two_layer, parameterization: du, width: [16, 32]}
        train: {lr: [0.5, 0.25], loss: mse, max_steps: 10}
        seeds: 2
        """, List.of());
    RunAssembly assembly = new RunAssembly(parsed);
    for (int k : new int[] {0, 5, 17, 23}) {
      assertEquals(c.runs().get(k), assembly.run(grid.point(k), grid.seed(k), errors), "run " + k);
    }
  }

  private static YamlTree.Node readYaml(String text) {
    try {
      return YamlTree.read(text, "(yaml)", "");
    } catch (YamlTree.ReadException e) {
      throw new AssertionError(e);
    }
  }
}
