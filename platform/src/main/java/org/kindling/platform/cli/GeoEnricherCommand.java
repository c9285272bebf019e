package org.kindling.platform.cli;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import org.kindling.core.Service;
import org.kindling.core.config.KindlingConfig;
import org.kindling.geo.GeoConfig;
import org.kindling.geo.GeoEnricherService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kindling geo-enricher}: the enrichment and counting stage on its own. */
@Command(
    name = "geo-enricher",
    description =
        "Run the geo-enricher (Kafka Streams, application.id geo-enricher): ingest.validated ->"
            + " ingest.enriched with geo and user-agent metadata and without the client address,"
            + " plus event-time counters to ingest.counts.")
public final class GeoEnricherCommand extends StageCommand {
  @Option(
      names = "--geo-database",
      paramLabel = "FILE",
      description =
          "GeoIP2 or GeoLite2 City database (sets geo.database); replacing the file later is"
              + " picked up without a restart.")
  Path database;

  @Override
  public Integer call() throws Exception {
    if (database != null) {
      config.set(GeoConfig.DATABASE, database.toString());
    }
    return super.call();
  }

  @Override
  protected Service create(KindlingConfig config, PrometheusMeterRegistry registry) {
    return new GeoEnricherService(config, registry);
  }
}
