package io.github.overparam.spark.cli;

import io.github.overparam.spark.table.DataDictionary;
import io.github.overparam.spark.table.Table;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "schema", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, description = "Print the data dictionary: every column of a sweep's tables with its type, role and meaning"
    + " (the same comments DESCRIBE shows in Spark SQL).")
final class SchemaCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", paramLabel = "TABLE", description = "runs, curves, datasets, critical, fits or verdicts (default: all).")
  String table;

  @Option(names = "--markdown", description = "Markdown tables (as in the README) instead of plain text.")
  boolean markdown;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<Table> tables;
    if (table == null) {
      tables = List.of(Table.values());
    } else {
      var named = Table.named(table);
      if (named.isEmpty()) {
        spec.commandLine().getErr().println("error: TABLE '" + table + "': no such table; tables are "
            + String.join(", ", Arrays.stream(Table.values()).map(Table::dir).toList()));
        return Main.BAD_INPUT;
      }
      tables = List.of(named.get());
    }
    for (int i = 0; i < tables.size(); i++) {
      out.print(i > 0 ? "\n" : "");
      out.print(markdown ? DataDictionary.markdown(tables.get(i)) : DataDictionary.text(tables.get(i)));
    }
    out.flush();
    return Main.OK;
  }
}
