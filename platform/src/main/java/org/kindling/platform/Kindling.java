package org.kindling.platform;

import java.io.PrintWriter;
import org.kindling.core.config.ConfigException;
import org.kindling.platform.cli.ConfigCommand;
import org.kindling.platform.cli.EdgeCommand;
import org.kindling.platform.cli.ExportCommand;
import org.kindling.platform.cli.Failures;
import org.kindling.platform.cli.GeoEnricherCommand;
import org.kindling.platform.cli.LocalCommand;
import org.kindling.platform.cli.LogsCommand;
import org.kindling.platform.cli.QueryCommand;
import org.kindling.platform.cli.SimulateCommand;
import org.kindling.platform.cli.TopicsCommand;
import org.kindling.platform.cli.ValidateCommand;
import org.kindling.platform.cli.ValidatorCommand;
import org.kindling.platform.cli.VersionCommand;
import org.kindling.platform.logging.Logging;
import org.kindling.schemas.SchemaSetException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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
      ExportCommand.class,
      org.kindling.platform.cli.DdlCommand.class,
      org.kindling.platform.cli.ReplayCommand.class,
      LogsCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Kindling implements Runnable {

  /** Exit code of a command line that cannot be parsed or a configuration that is invalid. */
  public static final int USAGE = 2;

  /** Exit code of a command that failed. */
  public static final int FAILED = 1;

  @Option(
      names = {"-v", "--verbose"},
      scope = CommandLine.ScopeType.INHERIT,
      description =
          "Show everything on the console: every library's log lines (INFO included) and the"
              + " stack trace of a failure.")
  void verbose(boolean on) {
    if (on) {
      Logging.verbose();
    }
  }

  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  /**
   * The command line with Kindling's error handling, for main and for tests: a bad command line or
   * a failed command prints one line that says what to fix (the stack trace only with {@code
   * --verbose}) and exits non-zero.
   */
  public static CommandLine newCommandLine() {
    CommandLine cl = new CommandLine(new Kindling());
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          CommandLine c = ex.getCommandLine();
          c.getErr()
              .println(
                  c.getCommandSpec().qualifiedName()
                      + ": "
                      + ex.getMessage()
                      + " (see `"
                      + c.getCommandSpec().qualifiedName()
                      + " --help`)");
          if (Logging.isVerbose()) {
            ex.printStackTrace(c.getErr());
          }
          c.getErr().flush();
          return USAGE;
        });
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          PrintWriter err = commandLine.getErr();
          err.println(commandLine.getCommandSpec().qualifiedName() + ": " + Failures.describe(ex));
          if (Logging.isVerbose()) {
            ex.printStackTrace(err);
          }
          err.flush();
          return ex instanceof ConfigException || ex instanceof SchemaSetException ? USAGE : FAILED;
        });
    return cl;
  }

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }
}
