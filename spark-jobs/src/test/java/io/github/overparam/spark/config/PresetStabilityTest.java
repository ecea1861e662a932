package io.github.overparam.spark.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.overparam.core.Names;
import io.github.overparam.core.data.DataSource;
import io.github.overparam.core.run.RunSpec;
import io.github.overparam.core.train.Loss;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every preset's step size is under the stability limit of GD at its largest n, at its local size
 * and at its header's paper-scale overrides: lr lambda_max(K) c &lt; 2, with K the infinite-width
 * kernel of the net ({@link KernelSymbols}: H^inf for Du's two-layer net, else the NTK limit at
 * the preset's widest width) and c the largest curvature of the loss per output (1 for
 * half_sum_squared, 2 / n for mse, 1 / (4 n) for logistic). Relu two_layer and deep nets have the
 * closed-form kernel; the others (resnet, cnn, softplus) and user tables are listed, not checked.
 */
class PresetStabilityTest {
  private static final Path CONFIGS = Path.of("../configs");
  private static final Pattern SET = Pattern.compile("--set '([^']*)'|--set (\\S+)");

  /** The paper-scale overrides in a preset's header: every --set of the "Paper scale" line and the lines after it. */
  static List<String> paperScale(String yaml) {
    List<String> out = new ArrayList<>();
    boolean in = false;
    for (String line : yaml.split("\n")) {
      if (!line.startsWith("#")) {
        break;
      }
      if (line.toLowerCase(Locale.ROOT).contains("paper scale")) {
        in = true;
      } else if (in && !line.trim().startsWith("#   --set") && !line.trim().startsWith("#  --set")) {
        in = false;
      }
      if (in) {
        Matcher m = SET.matcher(line);
        while (m.find()) {
          out.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
      }
    }
    return out;
  }

  static double curvature(Loss loss, int n) {
    return switch (loss) {
      case HALF_SUM_SQUARED -> 1.0;
      case MSE -> 2.0 / n;
      case LOGISTIC -> 0.25 / n;
      case CROSS_ENTROPY -> 0.5 / n;
    };
  }

  /** "preset scale: lr x lambda_max x c = v" for every checked run kind, and the unchecked with the reason. */
  @Test
  void everyPresetStepSizeIsUnderTwoOverLambdaMaxAtItsLargestN() throws Exception {
    List<String> unstable = new ArrayList<>();
    List<String> checked = new ArrayList<>();
    List<String> unchecked = new ArrayList<>();
    List<Path> presets;
    try (Stream<Path> s = Files.list(CONFIGS)) {
      presets = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    for (Path p : presets) {
      String yaml = Files.readString(p, StandardCharsets.UTF_8);
      String name = p.getFileName().toString().replace(".yaml", "");
      Map<String, List<String>> scales = new LinkedHashMap<>();
      scales.put("local", List.of());
      if (!paperScale(yaml).isEmpty()) {
        scales.put("paper_scale", paperScale(yaml));
      }
      for (Map.Entry<String, List<String>> scale : scales.entrySet()) {
        SweepConfig c;
        try {
          c = ConfigLoader.load(yaml, scale.getValue());
        } catch (ConfigException e) {
          if (yaml.contains("source: csv") || yaml.contains("source: parquet")) {
            unchecked.add(name + ": a user table (read with Spark)");
            break;
          }
          throw e;
        }
        int maxN = c.runs().stream().mapToInt(r -> r.data().n()).max().orElseThrow();
        KernelSymbols kernels = new KernelSymbols(c.tables());
        // At the largest n, per model (without width), loss and lr rule: the first seed at the widest width.
        Map<String, RunSpec> kinds = new LinkedHashMap<>();
        for (RunSpec r : c.runs()) {
          if (r.data().n() != maxN) {
            continue;
          }
          String model = r.model().canonical().replaceAll(";width=\\d+", "").replaceAll(";residual_scale=[^;]*", "");
          String kind = model + "|" + r.train().loss() + "|"
              + (r.train().lrRule() != null ? r.train().lrRule() : r.train().lr()) + "|" + r.data().canonical();
          RunSpec best = kinds.get(kind);
          if (best == null || r.model().width() > best.model().width()
              || r.model().width() == best.model().width() && r.seed() < best.seed()) {
            kinds.put(kind, r);
          }
        }
        for (RunSpec r : kinds.values().stream().sorted(Comparator.comparing(RunSpec::canonical)).toList()) {
          RunSpec at = c.search() == null ? r : c.atWidth().apply(r, c.search().maxWidth());
          String why = KernelSymbols.unsupported(at.model());
          if (why != null || at.data().source() == DataSource.CSV || at.data().source() == DataSource.PARQUET) {
            unchecked.add(name + " " + scale.getKey() + ": " + (why != null ? why : "a user table"));
            continue;
          }
          double lambdaMax = kernels.of(at.data(), at.model(), at.seed())[1];
          double product = at.train().lr() * lambdaMax * curvature(at.train().loss(), maxN);
          String line = String.format(Locale.ROOT, "%s %s: n = %d, %s %s width %d depth %d, %s, lr = %.4g,"
              + " lambda_max = %.4g: lr lambda_max c = %.3f", name, scale.getKey(), maxN, Names.of(at.model().arch()),
              Names.of(at.model().parameterization()), at.model().width(), at.model().depth(),
              Names.of(at.train().loss()), at.train().lr(), lambdaMax, product);
          checked.add(line);
          if (!(product < 2)) {
            unstable.add(line);
          }
        }
      }
    }
    System.out.println("checked:\n  " + String.join("\n  ", checked) + "\nnot checked:\n  "
        + String.join("\n  ", unchecked));
    assertFalse(checked.isEmpty());
    assertEquals(List.of(), unstable, "step sizes at or above the stability limit 2 / (lambda_max c)");
  }

  @Test
  void paperScaleLinesAreRead() {
    String header = """
        # Paper scale (cluster): --set 'data.n=[50, 100]' --set seeds=16
        #   --set 'model.width={from: 16, to: 64, factor: 4}'
        # not this: --set seeds=2
        sweep: x
        """;
    assertEquals(List.of("data.n=[50, 100]", "seeds=16", "model.width={from: 16, to: 64, factor: 4}"),
        paperScale(header));
  }
}
