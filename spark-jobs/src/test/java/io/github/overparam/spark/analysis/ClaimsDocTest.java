package io.github.overparam.spark.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The documentation agrees with the claims registry: docs/claims.md holds the generated table and a
 * section per claim, and the analysis package's documentation and the README name every claim.
 */
class ClaimsDocTest {
  private static final Path ROOT = Path.of("..");
  private static final String BEGIN = "<!-- claims table: generated from Claims.markdownTable(); ClaimsDocTest compares it -->\n";
  private static final String END = "<!-- end of claims table -->";

  @Test
  void docsClaimsHoldsTheGeneratedTable() throws Exception {
    String doc = Files.readString(ROOT.resolve("docs/claims.md"));
    int from = doc.indexOf(BEGIN);
    int to = doc.indexOf(END);
    assertTrue(from >= 0 && to > from, "docs/claims.md has the generated-table markers");
    assertEquals(Claims.markdownTable(), doc.substring(from + BEGIN.length(), to),
        "docs/claims.md: replace the table between the markers with Claims.markdownTable()");
    for (Claim c : Claims.ALL) {
      assertTrue(doc.contains("\n### " + c.id() + "\n"), "docs/claims.md explains why the rule of " + c.id());
    }
  }

  @Test
  void packageDocumentationAndReadmeNameEveryClaim() throws Exception {
    // The javadoc text with its line breaks and leading asterisks folded into single spaces.
    String pkg = Files.readString(Path.of(
        "src/main/java/io/github/overparam/spark/analysis/package-info.java")).replaceAll("\\s*\\n\\s*\\*\\s*", " ");
    String readme = Files.readString(ROOT.resolve("README.md"));
    for (Claim c : Claims.ALL) {
      assertTrue(pkg.contains(c.id() + " ("), "package-info.java states the rule of " + c.id());
      assertTrue(readme.contains("`" + c.id() + "`"), "README.md names " + c.id());
    }
  }

  @Test
  void idsAreUniqueAndFound() {
    List<String> ids = Claims.ALL.stream().map(Claim::id).toList();
    assertEquals(ids.size(), new HashSet<>(ids).size(), ids.toString());
    for (Claim c : Claims.ALL) {
      assertEquals(c, Claims.byId(c.id()));
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Claims.byId("noy_width"));
    assertTrue(e.getMessage().contains("noy_width") && e.getMessage().contains("noy_width_n2L"), e.getMessage());
  }
}
