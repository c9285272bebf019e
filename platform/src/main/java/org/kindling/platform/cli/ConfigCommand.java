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

  @Override
  public Integer call() {
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
