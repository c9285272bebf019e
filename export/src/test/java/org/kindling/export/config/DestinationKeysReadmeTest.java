package org.kindling.export.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** export/README.md lists the destination keys exactly as the code defines them. */
class DestinationKeysReadmeTest {
  static final String START = "<!-- destination-keys:start -->";
  static final String END = "<!-- destination-keys:end -->";

  @Test
  void shouldMatchTheDefinitions() throws Exception {
    String text = Files.readString(Path.of("README.md"));
    int s = text.indexOf(START);
    int e = text.indexOf(END);
    assertThat(s).as("README.md has the %s marker", START).isNotNegative();
    assertThat(e).isGreaterThan(s);
    String expected =
        text.substring(0, s + START.length())
            + "\n"
            + DestinationKeys.toMarkdown()
            + text.substring(e);
    if (Boolean.getBoolean("update.readme")) {
      // ./mvnw -o -q -pl export -am test -Dtest=DestinationKeysReadmeTest -Dupdate.readme=true
      // -Dsurefire.failIfNoSpecifiedTests=false
      Files.writeString(Path.of("README.md"), expected);
      return;
    }
    assertThat(text.substring(s + START.length(), e))
        .as("export/README.md key table is stale; paste DestinationKeys.toMarkdown()")
        .isEqualTo("\n" + DestinationKeys.toMarkdown());
  }
}
