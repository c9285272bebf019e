package org.kindling.platform.cli;

import java.util.concurrent.Callable;
import org.kindling.core.config.ConfigDefinitions;
import org.kindling.core.config.KindlingConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kindling config}: the configuration reference, or the effective settings. */
@Command(
    name = "config",
    description = {
      "Print the configuration reference (every key, its environment variable, type, default and"
          + " meaning) as Markdown, or with --effective the settings in force after the file, the"
          + " environment and --set are applied (which also checks them)."
    })
public final class ConfigCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConfigOptions config;

  @Option(names = "--effective", description = "Print the effective settings instead.")
  boolean effective;

  @Option(
      names = "--update-readme",
      paramLabel = "FILE",
      description = "Rewrite the reference between the config-reference markers of FILE.")
  java.nio.file.Path readme;

  /** Marks the start of the generated reference in the README. */
  public static final String START = "<!-- config-reference:start -->";

  /** Marks the end of the generated reference in the README. */
  public static final String END = "<!-- config-reference:end -->";

  /** {@code text} with the part between the markers replaced by {@code reference}. */
  public static String replaceReference(String text, String reference) {
    int s = text.indexOf(START);
    int e = text.indexOf(END);
    if (s < 0 || e < s) {
      throw new IllegalArgumentException("README has no " + START + " ... " + END + " markers");
    }
    return text.substring(0, s + START.length()) + "\n" + reference + text.substring(e);
  }

  @Override
  public Integer call() throws java.io.IOException {
    if (readme != null) {
      String text = java.nio.file.Files.readString(readme);
      java.nio.file.Files.writeString(
          readme, replaceReference(text, ConfigDefinitions.discover().toMarkdown()));
      spec.commandLine().getOut().println("updated " + readme);
      spec.commandLine().getOut().flush();
      return 0;
    }
    if (effective) {
      KindlingConfig c = config.load();
      c.asText().forEach((k, v) -> spec.commandLine().getOut().println(k + "=" + v));
    } else {
      spec.commandLine().getOut().print(ConfigDefinitions.discover().toMarkdown());
      spec.commandLine().getOut().flush();
    }
    return 0;
  }
}
