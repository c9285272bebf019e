package org.kindling.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.kindling.core.config.ConfigDefinitions;
import org.kindling.platform.cli.ConfigCommand;

/** The README's configuration reference is the one generated from the key definitions. */
class ReadmeConfigReferenceTest {
  @Test
  void shouldMatchTheDefinitions() throws Exception {
    Path readme = Path.of("..", "README.md");
    String text = Files.readString(readme);
    String expected =
        ConfigCommand.replaceReference(text, ConfigDefinitions.discover().toMarkdown());
    assertThat(text)
        .as(
            "README configuration reference is stale: run ./kindling config --update-readme README.md")
        .isEqualTo(expected);
  }
}
