package io.github.overparam.spark.table;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.overparam.core.data.LabelKind;
import io.github.overparam.core.run.RunSpec;
import io.github.overparam.core.train.Optimizer;
import io.github.overparam.spark.config.ConfigKey;
import io.github.overparam.spark.config.ConfigSchema;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A config key declared with {@code recordedAs} gets its spec column in runs/ from that one
 * declaration: name, type, description, group role, the canonical field it records, and its value.
 */
class ConfigKeyColumnsTest {
  private static final RunSpec SPEC = TableRegistryTest.specsWithEveryField().get(0);

  private static List<TableColumn<RunSpec>> columns(ConfigKey... keys) {
    return new ColumnList<RunSpec>().configKeys(List.of(keys), Function.identity()).build();
  }

  @Test
  void eachTypeOfKeyBecomesASpecColumnOfItsType() {
    List<TableColumn<RunSpec>> cols = columns(
        ConfigKey.integer("train.max_steps", 1, "the most updates").recordedAs("steps_given",
            s -> s.train().maxSteps()),
        ConfigKey.number("train.lr", 0, "constant step size").recordedAs("eta", s -> s.train().lr()),
        ConfigKey.bool("data.random_labels", "permute the labels").recordedAs("permuted",
            s -> s.data().randomLabels()),
        ConfigKey.choice("train.optimizer", Optimizer.class, "gd or sgd").recordedAs("opt",
            s -> s.train().optimizer()),
        ConfigKey.choice("data.labels", LabelKind.class, "the labeling rule").recordedAs("rule", s -> null));

    assertEquals(List.of("steps_given", "eta", "permuted", "opt", "rule"), cols.stream().map(
        TableColumn::name).toList());
    assertEquals(List.of(IntegerType, DoubleType, BooleanType, StringType, StringType), cols.stream().map(
        TableColumn::type).toList());
    for (TableColumn<RunSpec> c : cols) {
      assertEquals(Role.SPEC, c.role());
      assertEquals(Grouping.GROUP, c.grouping(), "a recorded key must separate the analysis' groups");
      assertTrue(c.nullable());
      assertEquals(List.of(c.name()), c.canonicalKeys());
    }
    assertEquals("constant step size (config key train.lr)", cols.get(1).description());
    assertEquals(10, cols.get(0).value().apply(SPEC));
    assertEquals(0.1, cols.get(1).value().apply(SPEC));
    assertEquals(false, cols.get(2).value().apply(SPEC));
    assertEquals("sgd", cols.get(3).value().apply(SPEC), "a choice is written in its config spelling");
    assertNull(cols.get(4).value().apply(SPEC));
  }

  @Test
  void keysThatCannotBeAColumnAreRefused() {
    ConfigKey list = ConfigKey.columns("data.features", "feature columns").recordedAs("features", s -> null);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> columns(list));
    assertTrue(e.getMessage().contains("data.features"), e.getMessage());
  }

  @Test
  void runsEndsWithTheColumnsOfRecordedKeysInSchemaOrder() {
    List<String> recorded = ConfigSchema.recorded().stream().map(k -> k.recorded().column()).toList();
    List<String> runs = Table.RUNS.columns().stream().map(TableColumn::name).toList();
    assertEquals(recorded, runs.subList(runs.size() - recorded.size(), runs.size()));
  }
}
