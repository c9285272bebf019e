package org.kindling.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.kindling.core.Json;

/**
 * Every bundled schema has pass and fail examples ({@code
 * examples/<namespace>/<type>.<version>.<name>.{pass,fail}.json}); pass examples validate and fail
 * examples do not.
 */
class BundledExamplesTest {
  private static final Path EXAMPLES = Path.of("src", "test", "resources", "examples");

  @Test
  void shouldPassPassExamplesAndFailFailExamples() throws IOException {
    SchemaStore store = SchemaStore.bundled();
    SchemaValidator validator = new SchemaValidator(store);
    List<String> covered = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.walk(EXAMPLES)) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    for (Path f : files) {
      String namespace = f.getParent().getFileName().toString();
      String[] parts = f.getFileName().toString().split("\\.");
      SchemaEntry entry = store.find(namespace, parts[0], Integer.parseInt(parts[1])).orElseThrow();
      boolean pass = parts[parts.length - 2].equals("pass");
      List<String> violations = validator.validate(entry, Json.mapper().readTree(f.toFile()));
      if (pass) {
        assertThat(violations).as(f.toString()).isEmpty();
      } else {
        assertThat(violations).as(f.toString()).isNotEmpty();
      }
      covered.add(entry + (pass ? " pass" : " fail"));
    }
    for (SchemaEntry e : store.all()) {
      assertThat(covered).as("examples of " + e).contains(e + " pass", e + " fail");
    }
  }
}
