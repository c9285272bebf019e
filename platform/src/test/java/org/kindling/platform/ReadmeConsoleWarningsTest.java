package org.kindling.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README lists the warnings a person may see on the console (LocalTourIT holds the console to
 * that list); each listed fragment is the text of a warning that Kindling's code logs, so the list
 * names no warning that does not exist.
 */
class ReadmeConsoleWarningsTest {
  private static final Path REPO = Path.of(System.getProperty("basedir", ".")).resolve("..");

  @Test
  void shouldListOnlyWarningsThatTheCodeLogs() throws IOException {
    List<String> listed = ReadmeConsoleWarnings.listed(REPO.resolve("README.md"));
    assertThat(listed).hasSizeGreaterThanOrEqualTo(3);
    StringBuilder sources = new StringBuilder();
    try (Stream<Path> files = Files.walk(REPO)) {
      for (Path f :
          files
              .filter(p -> p.toString().endsWith(".java"))
              .filter(p -> p.toString().contains("/src/main/java/"))
              .toList()) {
        // Source strings may be split over lines with + "..."; join them.
        sources.append(
            Files.readString(f).replaceAll("\"\\s*\\+\\s*\"", "").replaceAll("\\s+", " "));
      }
    }
    String code = sources.toString();
    for (String fragment : listed) {
      assertThat(code).as("a warning containing `%s` in src/main", fragment).contains(fragment);
    }
  }
}
