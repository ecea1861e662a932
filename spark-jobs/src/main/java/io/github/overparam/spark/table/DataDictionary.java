package io.github.overparam.spark.table;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The tables' columns as a data dictionary: plain text for the terminal, Markdown for the README. */
public final class DataDictionary {
  private DataDictionary() {}

  /** Markdown: a heading line and one table row per column. */
  public static String markdown(Table table) {
    StringBuilder s = new StringBuilder();
    s.append("`").append(table.dir()).append("/`: ").append(table.description()).append("; key (").append(String.join(
        ", ", table.keys())).append(")").append(table.waved() ? ", written in waves" : "").append(".\n\n");
    s.append("| column | type | role | meaning |\n|---|---|---|---|\n");
    for (TableColumn<?> c : table.columns()) {
      s.append("| `").append(c.name()).append("` | ").append(c.type().simpleString()).append(" | ").append(role(
          c)).append(" | ").append(c.comment().replace("|", "\\|")).append(" |\n");
    }
    if (table.waved()) {
      s.append("| `").append(Table.WAVE).append("` | int | provenance | ").append(Table.WAVE_COMMENT).append(" |\n");
    }
    return s.toString();
  }

  /** Plain text: one aligned line per column. */
  public static String text(Table table) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"column", "type", "role", "meaning"});
    for (TableColumn<?> c : table.columns()) {
      rows.add(new String[] {c.name(), c.type().simpleString(), role(c), c.comment()});
    }
    if (table.waved()) {
      rows.add(new String[] {Table.WAVE, "int", "provenance", Table.WAVE_COMMENT});
    }
    int[] width = new int[3];
    for (String[] r : rows) {
      for (int i = 0; i < 3; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    StringBuilder s = new StringBuilder(table.dir() + ": " + table.description() + "; key ("
        + String.join(", ", table.keys()) + ")\n");
    for (String[] r : rows) {
      s.append(String.format(Locale.ROOT, "  %-" + width[0] + "s  %-" + width[1] + "s  %-" + width[2] + "s  %s%n",
          r[0], r[1], r[2], r[3]));
    }
    return s.toString();
  }

  /** The role, and for spec columns whether they define the analysis' groups. */
  private static String role(TableColumn<?> c) {
    return switch (c.grouping()) {
      case GROUP, GROUP_DERIVABLE -> c.role().label() + ", group";
      case WITHIN_GROUP -> c.role().label() + ", varies in group";
      case NONE -> c.role().label();
    };
  }
}
