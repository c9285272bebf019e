package org.kindling.platform.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.kindling.core.Service;
import org.kindling.core.config.ConfigException;
import org.kindling.core.config.KindlingConfig;
import org.kindling.export.DestinationInfo;
import org.kindling.export.ExportReplay;
import org.kindling.export.ExportService;
import org.kindling.export.Sleeper;
import org.kindling.export.config.ExportConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code kindling export}: the destinations on their own, or a replay of one's failures. */
@Command(
    name = "export",
    description = {
      "Run the export: deliver ingest.enriched (and ingest.errors when asked) to the destinations"
          + " of export.destinations (InfluxDB, webhooks, Amplitude, log), each with its own"
          + " consumer group export-<name>.",
      "With --replay: deliver again the records of ingest.errors that destination --destination"
          + " failed to take (stage export:<name>, failed_at in [--since, --until)), then exit."
    })
public final class ExportCommand extends StageCommand {
  @Spec CommandSpec spec;

  @Option(
      names = "--replay",
      description = "Replay one destination's failed deliveries from ingest.errors, then exit.")
  boolean replay;

  @Option(
      names = "--destination",
      paramLabel = "NAME",
      description = "The destination to replay to (one of export.destinations).")
  String destination;

  @Option(
      names = "--since",
      paramLabel = "TIME",
      description = "Replay start, inclusive: 2026-11-24T18:00:00Z or 2026-11-24 (UTC midnight).")
  String since;

  @Option(
      names = "--until",
      paramLabel = "TIME",
      description = "Replay end, exclusive (default: now); same forms as --since.")
  String until;

  @Override
  public Integer call() throws Exception {
    if (!replay) {
      if (destination != null || since != null || until != null) {
        throw new ParameterException(
            spec.commandLine(), "--destination, --since and --until go with --replay");
      }
      KindlingConfig c = config.load();
      if (ExportService.describe(c).isEmpty()) {
        throw new ConfigException(
            "no destinations to run: set "
                + ExportConfig.DESTINATIONS
                + " and their export.destination.<name>.* keys (see export/README.md)");
      }
      return super.call();
    }
    if (destination == null || since == null) {
      throw new ParameterException(
          spec.commandLine(), "--replay needs --destination NAME and --since TIME");
    }
    Instant from = time(since, "--since");
    Instant to = until == null ? Instant.now() : time(until, "--until");
    if (!from.isBefore(to)) {
      throw new ParameterException(spec.commandLine(), "--since must be before --until");
    }
    ExportReplay.Result r;
    try {
      r =
          ExportReplay.replay(
              config.load(),
              new SimpleMeterRegistry(),
              destination,
              from,
              to,
              Clock.systemUTC(),
              Sleeper.REAL);
    } catch (IllegalStateException | org.apache.kafka.common.KafkaException e) {
      spec.commandLine().getErr().println("kindling: export --replay: " + e.getMessage());
      return 1;
    }
    spec.commandLine().getOut().println(ExportReplay.summary(r, destination));
    spec.commandLine().getOut().flush();
    return r.failedAgain() == 0 ? 0 : 1;
  }

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
  protected Service create(KindlingConfig config, PrometheusMeterRegistry registry) {
    ExportService service = new ExportService(config, registry);
    for (DestinationInfo d : service.destinations()) {
      spec.commandLine().getOut().println("export: " + d);
    }
    spec.commandLine().getOut().flush();
    return service;
  }
}
