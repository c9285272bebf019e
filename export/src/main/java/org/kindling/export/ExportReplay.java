package org.kindling.export;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.kindling.core.Topics;
import org.kindling.core.config.ConfigException;
import org.kindling.core.config.KindlingConfig;
import org.kindling.core.failure.FailureRecord;
import org.kindling.core.failure.FailureRecordSerde;
import org.kindling.core.kafka.KafkaDefaults;
import org.kindling.export.config.DestinationConfig;
import org.kindling.export.config.DestinationKeys;
import org.kindling.export.config.ExportConfig;
import org.kindling.export.config.ParseDestinations;

/**
 * {@code kindling export --replay}: delivers again the records one destination failed to take.
 *
 * <p>It reads {@code ingest.errors} from the beginning of every partition up to the end offsets it
 * finds at start (no consumer group, nothing committed), selects the failure records of stage
 * {@code export:<name>} whose failed_at lies in [since, until), rebuilds each one's original record
 * (the enriched document from the payload and attributes; an error record from the payload, when
 * marked {@value FailureWriter#SOURCE_TOPIC}) and delivers them with the destination's own
 * encoding, batching, retries and splitting, one batch at a time. What still fails goes to
 * ingest.errors once more, as a new failure record with a new failed_at, so a later replay can pick
 * it up; nothing is dropped. The destination's filter is not applied again: these records were
 * meant for it. Running a replay twice over the same window sends twice, which the destinations'
 * idempotency keys (the document id) absorb.
 */
public final class ExportReplay {
  private ExportReplay() {}

  /**
   * What a replay did.
   *
   * @param scanned records of ingest.errors read
   * @param matched failure records of the destination in the window
   * @param delivered of those, acknowledged by the destination
   * @param failedAgain of those, written back to ingest.errors
   */
  public record Result(long scanned, long matched, long delivered, long failedAgain) {}

  /** Replays the failures of destination {@code name} in [since, until). */
  public static Result replay(
      KindlingConfig config,
      MeterRegistry registry,
      String name,
      Instant since,
      Instant until,
      Clock clock,
      Sleeper sleeper) {
    DestinationConfig dc = null;
    List<DestinationConfig> all = ParseDestinations.parse(config);
    for (DestinationConfig c : all) {
      if (c.name().equals(name)) {
        dc = c;
      }
    }
    if (dc == null) {
      throw new ConfigException(
          "destination '"
              + name
              + "' is not configured ("
              + ExportConfig.DESTINATIONS
              + " lists "
              + all.stream().map(DestinationConfig::name).toList()
              + ")");
    }
    Destination destination = Destinations.create(dc, clock, System.out);
    String stage = dc.stage();
    long scanned = 0;
    long matched = 0;
    long delivered = 0;
    long failed = 0;
    var props = KafkaDefaults.consumer(config, "kindling-export-replay", "kindling-export-replay");
    ExportMetrics metrics = new ExportMetrics(registry, dc.name());
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props);
        KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(KafkaDefaults.producer(config, "kindling-export-replay"))) {
      DeliverBatch deliver =
          new DeliverBatch(
              dc.name(),
              destination,
              ExportService.backoff(dc),
              dc.getInt(DestinationKeys.RETRY_MAX_ATTEMPTS),
              new FailureWriter(producer, stage, clock),
              metrics,
              new DeliveryState(clock),
              sleeper);
      DestinationLoop.BatchLimits limits = ExportService.limits(dc);
      // time plays no part: a batch goes out when full, and the rest at the end
      Batcher batcher = new Batcher(limits.maxRecords(), limits.maxBytes(), Duration.ofDays(1));
      List<TopicPartition> parts = new ArrayList<>();
      for (PartitionInfo p : consumer.partitionsFor(Topics.ERRORS.name())) {
        parts.add(new TopicPartition(p.topic(), p.partition()));
      }
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<TopicPartition, Long> end = consumer.endOffsets(parts);
      List<Batch> batches = new ArrayList<>();
      while (!done(consumer, parts, end)) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (r.offset() >= end.get(new TopicPartition(r.topic(), r.partition()))) {
            continue;
          }
          scanned++;
          FailureRecord f;
          try {
            f = FailureRecordSerde.decode(r.value());
          } catch (RuntimeException e) {
            continue;
          }
          if (!stage.equals(f.stage())
              || f.failedAt().isBefore(since)
              || !f.failedAt().isBefore(until)) {
            continue;
          }
          matched++;
          ExportRecord original = original(r, f);
          Item item = encode(destination, original);
          batches.addAll(batcher.add(item, 0));
        }
        for (Batch b : batches) {
          DeliverBatch.Result res = deliver.deliver(b);
          delivered += res.delivered();
          failed += res.failed();
        }
        batches.clear();
      }
      Batch last = batcher.drain();
      if (last != null) {
        DeliverBatch.Result res = deliver.deliver(last);
        delivered += res.delivered();
        failed += res.failed();
      }
      producer.flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("replay interrupted", e);
    } finally {
      metrics.close();
      destination.close();
    }
    return new Result(scanned, matched, delivered, failed);
  }

  /** The record a failure record of the export was made from. */
  static ExportRecord original(ConsumerRecord<byte[], byte[]> r, FailureRecord f) {
    if (Topics.ERRORS.name().equals(f.attributes().get(FailureWriter.SOURCE_TOPIC))) {
      FailureRecord inner = FailureRecordSerde.decode(f.payload());
      return ReadRecord.error(
          Topics.ERRORS.name(), r.partition(), r.offset(), r.key(), f.payload(), inner);
    }
    // the document as it was read from ingest.enriched, found at its place in ingest.errors
    return ReadRecord.document(
        Topics.ERRORS.name(), r.partition(), r.offset(), r.key(), f.payload(), f.attributes());
  }

  private static Item encode(Destination d, ExportRecord r) {
    try {
      return Item.of(r, d.encode(r));
    } catch (UnencodableException e) {
      return Item.unencodable(r, e.getMessage());
    } catch (RuntimeException e) {
      return Item.unencodable(r, e.toString());
    }
  }

  private static boolean done(
      KafkaConsumer<byte[], byte[]> c, List<TopicPartition> parts, Map<TopicPartition, Long> end) {
    for (TopicPartition tp : parts) {
      if (c.position(tp) < end.get(tp)) {
        return false;
      }
    }
    return true;
  }

  /** The one-line summary of a replay. */
  public static String summary(Result r, String name) {
    return String.format(
        "replayed %d failed deliveries to %s: %d delivered, %d failed again (back in %s); %d"
            + " records of %s scanned",
        r.matched(),
        name,
        r.delivered(),
        r.failedAgain(),
        Topics.ERRORS.name(),
        r.scanned(),
        Topics.ERRORS.name());
  }
}
