package org.kindling.geo;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import org.kindling.core.Service;
import org.kindling.core.Topics;
import org.kindling.core.config.CoreConfig;
import org.kindling.core.config.KindlingConfig;
import org.kindling.core.kafka.KafkaDefaults;
import org.kindling.core.kafka.StreamsRunner;
import org.kindling.core.kafka.TopicAdmin;
import org.kindling.core.ops.HealthCheck;

/**
 * The geo-enricher stage: opens the City database (and watches it for replacement), loads the
 * user-agent parser, and runs {@link GeoEnricherTopology} as the Streams app {@value
 * GeoEnricherTopology#APPLICATION_ID} with exactly-once processing.
 */
public final class GeoEnricherService implements Service {
  private final KindlingConfig config;
  private final MeterRegistry registry;
  private final Clock clock;
  private final boolean ownsDatabase;
  private GeoDatabase database;
  private ParseUserAgent parseUserAgent;
  private volatile StreamsRunner runner;

  /** The stage as configured; the database is opened by {@link #start()}. */
  public GeoEnricherService(KindlingConfig config, MeterRegistry registry) {
    this(config, registry, null, null, Clock.systemUTC());
  }

  /**
   * The stage with injected collaborators (tests, benchmarks).
   *
   * @param database the City database (not closed by this service), or null to open the configured
   *     one
   * @param parseUserAgent the user-agent parser, or null for the configured one
   * @param clock the clock of failure timestamps
   */
  public GeoEnricherService(
      KindlingConfig config,
      MeterRegistry registry,
      GeoDatabase database,
      ParseUserAgent parseUserAgent,
      Clock clock) {
    this.config = config;
    this.registry = registry;
    this.database = database;
    this.ownsDatabase = database == null;
    this.parseUserAgent = parseUserAgent;
    this.clock = clock;
  }

  @Override
  public String name() {
    return GeoEnricherTopology.APPLICATION_ID;
  }

  @Override
  public synchronized void start() throws IOException {
    if (database == null) {
      database = GeoDatabase.fromConfig(config);
    }
    database.watch(config.getDuration(GeoConfig.DATABASE_CHECK_INTERVAL));
    if (parseUserAgent == null) {
      parseUserAgent = ParseUserAgent.fromConfig(config);
    }
    LookupGeo lookupGeo = LookupGeo.fromConfig(config, database);
    runner =
        new StreamsRunner(
                name(),
                GeoEnricherTopology.build(
                    config,
                    new TopicAdmin(config).partitionCount(Topics.VALIDATED.name()),
                    lookupGeo,
                    parseUserAgent,
                    clock,
                    registry),
                KafkaDefaults.streams(config, GeoEnricherTopology.APPLICATION_ID),
                registry)
            .start(config.getDuration(CoreConfig.STREAMS_START_TIMEOUT));
  }

  @Override
  public List<HealthCheck> healthChecks() {
    return List.of(
        StreamsRunner.healthCheck("geo_enricher_streams", () -> runner),
        new HealthCheck() {
          @Override
          public String name() {
            return "geo_database";
          }

          @Override
          public Result check() {
            GeoDatabase db = database;
            String version = db == null ? null : db.version();
            return version == null ? Result.failed("not loaded") : Result.ok(version);
          }
        });
  }

  /** The running Streams app, or null before {@link #start()}. */
  public StreamsRunner runner() {
    return runner;
  }

  @Override
  public synchronized void close() {
    if (runner != null) {
      runner.close();
      runner = null;
    }
    if (ownsDatabase && database != null) {
      database.close();
      database = null;
    }
  }
}
