package io.github.overparam.spark.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.overparam.core.data.DataSource;
import io.github.overparam.core.data.DataSpec;
import io.github.overparam.core.data.InputMap;
import io.github.overparam.core.data.LabelKind;
import io.github.overparam.core.data.Normalization;
import io.github.overparam.core.data.TableSpec;
import io.github.overparam.core.data.TableTask;
import io.github.overparam.core.model.Activation;
import io.github.overparam.core.model.Arch;
import io.github.overparam.core.model.ModelSpec;
import io.github.overparam.core.model.Parameterization;
import io.github.overparam.core.model.Precision;
import io.github.overparam.core.run.RecordSpec;
import io.github.overparam.core.run.RunSpec;
import io.github.overparam.core.train.Loss;
import io.github.overparam.core.train.Optimizer;
import io.github.overparam.core.train.TargetLoss;
import io.github.overparam.core.train.TrainSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The column registry against what it must agree with: run specs, the README, the analysis. */
class TableRegistryTest {

  /** Specs that between them show every optional field of the canonical form. */
  static List<RunSpec> specsWithEveryField() {
    DataSpec sphere = DataSpec.sphere(8, 4, LabelKind.GAUSSIAN);
    TrainSpec gd = TrainSpec.gd(0.5, Loss.HALF_SUM_SQUARED, 10, TargetLoss.relative(1e-3));
    TrainSpec ruled = new TrainSpec(Optimizer.SGD, 0.1, 4, Loss.HALF_SUM_SQUARED, 10, TargetLoss.absolute(1e-3),
        1e6, "1 * (1 / width)", "1 * (20 * ln(1 / target) / (lr * lambda0))");
    RecordSpec surrogate = RecordSpec.defaults().withSurrogate(true);
    ModelSpec deep = ModelSpec.of(Arch.DEEP, Parameterization.ZOU, Activation.RELU, 16, 2).withLastWidth(8);
    ModelSpec resnet = ModelSpec.of(Arch.RESNET, Parameterization.ALLEN_ZHU, Activation.RELU, 16, 2);
    ModelSpec cnn = ModelSpec.of(Arch.CNN, Parameterization.ALLEN_ZHU, Activation.RELU, 4, 1).withPatch(3, 1);
    TableSpec table = new TableSpec("t.csv", "y", List.of(), TableTask.REGRESSION, Normalization.NONE,
        "0".repeat(64), 20, 4, List.of());
    DataSpec user = new DataSpec(DataSource.CSV, 8, 4, LabelKind.COLUMN, false, 0, 0, InputMap.NONE, table);
    DataSpec az = DataSpec.sphere(8, 4, LabelKind.GAUSSIAN).withInputMap(InputMap.ALLEN_ZHU);
    return List.of(new RunSpec(sphere, deep, ruled, surrogate, 1), new RunSpec(az, resnet, gd, RecordSpec.defaults(),
        2),
        new RunSpec(az, cnn, gd, RecordSpec.defaults(), 3), new RunSpec(user, ModelSpec.du(8), gd, surrogate, 4),
        new RunSpec(sphere, deep, gd.withPrecision(Precision.F32), RecordSpec.defaults(), 5));
  }

  /** The field names of a canonical form: key=... at any level; a nested block {@code key{...}} counts as key. */
  static Set<String> canonicalKeys(String canonical) {
    Set<String> keys = new TreeSet<>();
    Matcher m = Pattern.compile("([a-z_]+)=").matcher(canonical.replaceAll("table\\{[^}]*\\}", "table=x"));
    while (m.find()) {
      keys.add(m.group(1));
    }
    // target_loss=relative=0.001 names the kind, not a field.
    keys.removeAll(Set.of("relative", "absolute"));
    return keys;
  }

  @Test
  void everyFieldOfTheCanonicalSpecHasASpecColumn() {
    Set<String> recorded = new HashSet<>();
    for (TableColumn<?> c : Table.RUNS.columns()) {
      recorded.addAll(c.canonicalKeys());
    }
    Set<String> fields = new TreeSet<>();
    for (RunSpec s : specsWithEveryField()) {
      fields.addAll(canonicalKeys(s.canonical()));
    }
    assertTrue(fields.containsAll(List.of("seed", "width", "lr_rule", "surrogate", "table", "patch", "last_width",
        "residual_scale", "precision")), "the specs show every optional field: " + fields);
    Set<String> missing = new TreeSet<>(fields);
    missing.removeAll(recorded);
    assertTrue(missing.isEmpty(), "spec fields with no runs/ column (declare one in RunsColumns): " + missing);
    Set<String> unknown = new TreeSet<>(recorded);
    unknown.removeAll(fields);
    assertTrue(unknown.isEmpty(), "columns that claim to record fields no spec has: " + unknown);
  }

  @Test
  void groupColumnsAreTheSpecColumnsButWidthSeedAndIdentifiers() {
    List<String> group = Tables.groupColumnNames();
    assertFalse(group.contains("width"));
    assertFalse(group.contains("seed"));
    assertFalse(group.contains("run_id"));
    assertTrue(group.containsAll(List.of("n", "depth", "lr", "optimizer", "loss_fn", "max_steps", "lr_rule",
        "divergence_factor")), group.toString());
    for (TableColumn<?> c : Table.RUNS.columns()) {
      if (c.grouping() != Grouping.NONE) {
        assertEquals(Role.SPEC, c.role(), c.name() + " groups runs, so it must be a spec column");
      }
    }
    // critical/ repeats every group column with the runs/ type.
    for (String c : group) {
      assertEquals(Table.RUNS.schema().apply(c).dataType(), Table.CRITICAL.schema().apply(c).dataType(), c);
    }
  }

  @Test
  void everyColumnOfEveryTableIsDescribedAndRowsFollowTheSchema() {
    for (Table t : Table.values()) {
      for (TableColumn<?> c : t.columns()) {
        assertFalse(c.comment().isBlank(), t.dir() + "." + c.name());
        assertEquals(c.comment(), t.schema().apply(c.name()).getComment().get(), t.dir() + "." + c.name());
        if (t.waved()) {
          assertTrue(c.value() != null, t.dir() + "." + c.name() + " needs a value function");
        }
      }
      assertTrue(t.keys().stream().allMatch(k -> t.column(k).isPresent()), t.dir() + " keys " + t.keys());
    }
  }

  @Test
  void readmeDataDictionaryMatchesTheRegistry() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    List<String> problems = new ArrayList<>();
    for (Table t : Table.values()) {
      String begin = "<!-- columns:" + t.dir() + " -->\n";
      String end = "<!-- /columns:" + t.dir() + " -->";
      int a = readme.indexOf(begin);
      int b = readme.indexOf(end);
      if (a < 0 || b < a) {
        problems.add("README has no section " + begin.trim() + " ... " + end);
        continue;
      }
      String actual = readme.substring(a + begin.length(), b);
      if (!actual.equals(DataDictionary.markdown(t))) {
        problems.add("README's " + t.dir() + "/ columns differ from the registry: regenerate them with"
            + " bin/overparam schema " + t.dir() + " --markdown");
      }
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }
}
