package org.kindling.platform.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import org.kindling.core.config.KindlingConfig;
import org.kindling.sink.ErrorReplay;
import org.kindling.validator.ValidatorConfig;
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
    KindlingConfig c = config.load();
    Duration window = c.getDuration(ValidatorConfig.DEDUP_WINDOW);
    ErrorReplay.Result r = ErrorReplay.replay(c, errorType, from, to, window);
    PrintWriter out = spec.commandLine().getOut();
    StringBuilder where = new StringBuilder();
    r.published()
        .forEach(
            (topic, n) ->
                where
                    .append(where.length() == 0 ? "" : ", ")
                    .append(n)
                    .append(" to ")
                    .append(topic));
    out.printf(
        "replayed %d error records%s (%d matched of %d scanned)%n",
        r.publishedTotal(), where.length() == 0 ? "" : ": " + where, r.matched(), r.scanned());
    if (r.duplicates() > 0) {
      out.printf(
          "  %d of those sent to ingest.raw have a document the validator passed within its dedup"
              + " window (%s): it drops them as duplicates%n",
          r.duplicates(), window);
    }
    r.skipped().forEach((reason, n) -> out.printf("  skipped %d: %s%n", n, reason));
    out.flush();
    return 0;
  }
}
