package org.kindling.platform.cli;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import org.kindling.sink.ErrorReplay;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code kindling replay}: failed submissions back into the pipeline. */
@Command(
    name = "replay",
    description =
        "Publish the error records of ingest.errors that match (error_type, failed_at in"
            + " [since, until)) to ingest.raw again, with their original bytes and attributes.")
public final class ReplayCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConfigOptions config;

  @Option(
      names = "--error-type",
      paramLabel = "TYPE",
      description = "Only this error_type (e.g. schema_validation); default: all.")
  String errorType;

  @Option(
      names = "--since",
      paramLabel = "TIME",
      required = true,
      description = "Start, inclusive: 2026-11-24T18:00:00Z or 2026-11-24 (UTC midnight).")
  String since;

  @Option(
      names = "--until",
      paramLabel = "TIME",
      description = "End, exclusive (default: now); same forms as --since.")
  String until;

  private Instant time(String text, String option) {
    try {
      return text.length() == 10
          ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
          : Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new ParameterException(
          spec.commandLine(), option + ": not a UTC time or date: " + text);
    }
  }

  @Override
  public Integer call() {
    Instant from = time(since, "--since");
    Instant to = until == null ? Instant.now() : time(until, "--until");
    ErrorReplay.Result r = ErrorReplay.replay(config.load(), errorType, from, to);
    spec.commandLine()
        .getOut()
        .printf(
            "replayed %d error records to ingest.raw (%d matched of %d scanned)%n",
            r.published(), r.matched(), r.scanned());
    return 0;
  }
}
