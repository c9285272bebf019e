package org.kindling.geo;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;
import org.kindling.core.Topics;
import org.kindling.core.config.KindlingConfig;
import org.kindling.geo.counts.CountProcessor;
import org.kindling.geo.counts.CountSettings;
import org.kindling.geo.counts.CountsPartitioner;
import org.kindling.geo.counts.Tally;

/**
 * The geo-enricher topology, one sub-topology per {@code ingest.validated} partition: {@code
 * ingest.validated} (event time from {@code submission_timestamp}) → {@code enrich} → {@code
 * ingest.enriched}, failures → {@code ingest.errors}, and one count event per enriched record →
 * {@code count} (the partition's own counters, {@link CountProcessor}) → {@code ingest.counts}
 * through {@link CountsPartitioner}. Nothing is repartitioned.
 *
 * <p>Every operator and store is named, so internal topics keep their names when the topology
 * changes ({@code geo-enricher-counts-partition-totals-store-changelog}, ...). Pure: no I/O, no
 * threads.
 */
public final class GeoEnricherTopology {
  private GeoEnricherTopology() {}

  /** The Streams application.id, also the stage name in failure records. */
  public static final String APPLICATION_ID = "geo-enricher";

  /** The topology configured by {@code geo.*} for {@code sourcePartitions} partitions. */
  public static Topology build(
      KindlingConfig config,
      int sourcePartitions,
      LookupGeo lookupGeo,
      ParseUserAgent parseUserAgent,
      Clock clock,
      MeterRegistry registry) {
    return build(
        CountSettings.fromConfig(config, sourcePartitions),
        lookupGeo,
        parseUserAgent,
        clock,
        registry);
  }

  /** The topology with explicit counter settings. */
  public static Topology build(
      CountSettings counts,
      LookupGeo lookupGeo,
      ParseUserAgent parseUserAgent,
      Clock clock,
      MeterRegistry registry) {
    StreamsBuilder builder = new StreamsBuilder();
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(CountProcessor.TOTALS_STORE),
                Serdes.String(),
                Tally.serde())
            .withCachingEnabled());
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(CountProcessor.MINUTES_STORE),
                Serdes.String(),
                Serdes.Long())
            .withCachingEnabled());
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(CountProcessor.STATE_STORE),
                Serdes.String(),
                Serdes.String())
            .withCachingEnabled());

    KStream<String, EnrichOutput> enriched =
        builder.stream(
                Topics.VALIDATED.name(),
                Consumed.with(Topics.VALIDATED.keySerde(), Topics.VALIDATED.valueSerde())
                    .withTimestampExtractor(new SubmissionTimestampExtractor())
                    .withName("validated-source"))
            .process(
                () -> new EnrichProcessor(lookupGeo, parseUserAgent, clock, registry),
                Named.as("enrich"));

    Map<String, KStream<String, EnrichOutput>> routes =
        enriched
            .split(Named.as("route-"))
            .branch((k, v) -> v.kind() == EnrichOutput.Kind.DOCUMENT, Branched.as("documents"))
            .branch((k, v) -> v.kind() == EnrichOutput.Kind.FAILURE, Branched.as("failures"))
            .defaultBranch(Branched.as("count-events"));

    routes
        .get("route-documents")
        .mapValues(EnrichOutput::document, Named.as("document-value"))
        .to(
            Topics.ENRICHED.name(),
            Produced.with(Topics.ENRICHED.keySerde(), Topics.ENRICHED.valueSerde())
                .withName("enriched-sink"));

    routes
        .get("route-failures")
        .mapValues(EnrichOutput::failure, Named.as("failure-value"))
        .to(
            Topics.ERRORS.name(),
            Produced.with(Topics.ERRORS.keySerde(), Topics.ERRORS.valueSerde())
                .withName("errors-sink"));

    routes
        .get("route-count-events")
        .mapValues(EnrichOutput::countEvent, Named.as("count-event-value"))
        .process(
            () -> new CountProcessor(counts, registry),
            Named.as("count"),
            CountProcessor.TOTALS_STORE,
            CountProcessor.MINUTES_STORE,
            CountProcessor.STATE_STORE)
        .to(
            Topics.COUNTS.name(),
            Produced.with(Topics.COUNTS.keySerde(), Topics.COUNTS.valueSerde())
                .withStreamPartitioner(new CountsPartitioner())
                .withName("counts-sink"));

    return builder.build();
  }
}
