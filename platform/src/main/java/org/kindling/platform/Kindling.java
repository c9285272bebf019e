package org.kindling.platform;

import org.kindling.core.config.ConfigException;
import org.kindling.platform.cli.ConfigCommand;
import org.kindling.platform.cli.EdgeCommand;
import org.kindling.platform.cli.GeoEnricherCommand;
import org.kindling.platform.cli.LocalCommand;
import org.kindling.platform.cli.QueryCommand;
import org.kindling.platform.cli.SimulateCommand;
import org.kindling.platform.cli.TopicsCommand;
import org.kindling.platform.cli.ValidateCommand;
import org.kindling.platform.cli.ValidatorCommand;
import org.kindling.platform.cli.VersionCommand;
import org.kindling.schemas.SchemaSetException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code kindling} command. */
@Command(
    name = "kindling",
    mixinStandardHelpOptions = true,
    scope = CommandLine.ScopeType.INHERIT,
    versionProvider = VersionCommand.Provider.class,
    description = "Kindling: Kafka-centric event ingestion.",
    subcommands = {
      LocalCommand.class,
      VersionCommand.class,
      TopicsCommand.class,
      ConfigCommand.class,
      SimulateCommand.class,
      QueryCommand.class,
      EdgeCommand.class,
      ValidateCommand.class,
      ValidatorCommand.class,
      GeoEnricherCommand.class,
      org.kindling.platform.cli.S3SinkCommand.class,
      org.kindling.platform.cli.DdlCommand.class,
      org.kindling.platform.cli.ReplayCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Kindling implements Runnable {

  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  /** The command line with Kindling's error handling, for main and for tests. */
  public static CommandLine newCommandLine() {
    CommandLine cl = new CommandLine(new Kindling());
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          if (ex instanceof ConfigException) {
            commandLine.getErr().println("kindling: configuration error: " + ex.getMessage());
            return 2;
          }
          if (ex instanceof SchemaSetException) {
            commandLine.getErr().println("kindling: schemas not usable: " + ex.getMessage());
            return 2;
          }
          commandLine.getErr().println("kindling: " + ex);
          throw ex;
        });
    return cl;
  }

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }
}
