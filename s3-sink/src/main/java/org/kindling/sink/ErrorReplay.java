package org.kindling.sink;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.kindling.core.AttributeHeaders;
import org.kindling.core.Attributes;
import org.kindling.core.Topics;
import org.kindling.core.config.KindlingConfig;
import org.kindling.core.failure.FailureRecord;
import org.kindling.core.failure.FailureRecordSerde;
import org.kindling.core.kafka.KafkaDefaults;

/**
 * {@code kindling replay}: publishes failed submissions again, with their original bytes and
 * attributes, to the topic the stage that failed them reads, so they go through that stage and
 * everything after it once more (after a schema or code fix).
 *
 * <ul>
 *   <li>{@code validator} errors (and the validator's Streams handler failures) go to {@code
 *       ingest.raw}. The validator's dedup store holds every document id it passed within {@code
 *       validator.dedup.window}: a replayed submission whose (namespace, type, id) passed in that
 *       window is dropped as a duplicate, which is what makes a replay safe to repeat. Before
 *       publishing, the replay reads {@code ingest.validated} from one dedup window ago and says
 *       how many of the replayed submissions that will be, and why.
 *   <li>{@code geo-enricher} errors go to {@code ingest.validated}, past the dedup store: their
 *       payload is the validated document. The client address was removed from them, so the
 *       replayed records are enriched without a geo answer.
 *   <li>Other stages are not replayed here, and the report says why: {@code export:<name>}
 *       deliveries are re-sent by {@code kindling export --replay}; the sink's own records are
 *       error records it could not read.
 * </ul>
 *
 * <p>It reads the {@code ingest.errors} topic, not the errors lake: the topic keeps every attribute
 * (the lake drops client addresses, which the geo-enricher needs on a validator replay) and the
 * exact payload bytes, and needs no S3 credentials. The window is therefore the topic's retention
 * ({@code topics.retention}, 7 days by default). It reads every partition from the beginning up to
 * the end offsets at start, without a consumer group, and selects records by {@code error_type} and
 * {@code failed_at} in [since, until).
 */
public final class ErrorReplay {
  /** The stage whose failures go back to ingest.raw. */
  static final String VALIDATOR = "validator";

  /** The stage whose failures go back to ingest.validated. */
  static final String GEO_ENRICHER = "geo-enricher";

  /**
   * What a replay did.
   *
   * @param scanned error records read
   * @param matched records of the error type and time window
   * @param published records published, by target topic
   * @param skipped matched records not replayed, by reason
   * @param duplicates records published to ingest.raw whose document the validator passed within
   *     its dedup window: it will drop them as duplicates
   */
  public record Result(
      long scanned,
      long matched,
      Map<String, Long> published,
      Map<String, Long> skipped,
      long duplicates) {
    /** Records published, all topics. */
    public long publishedTotal() {
      return published.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private record Planned(String topic, byte[] key, FailureRecord failure) {}

  private ErrorReplay() {}

  /**
   * @param errorType only this error_type; null for all
   * @param dedupWindow the validator's dedup window ({@code validator.dedup.window})
   */
  public static Result replay(
      KindlingConfig config, String errorType, Instant since, Instant until, Duration dedupWindow) {
    long scanned = 0;
    long matched = 0;
    List<Planned> planned = new ArrayList<>();
    Map<String, Long> skipped = new TreeMap<>();
    var consumerProps = KafkaDefaults.consumer(config, "kindling-replay", "kindling-replay");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps)) {
      Map<TopicPartition, Long> end = assignAll(consumer, Topics.ERRORS.name(), null);
      while (!done(consumer, end)) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (r.offset() >= end.get(new TopicPartition(r.topic(), r.partition()))) {
            continue;
          }
          scanned++;
          FailureRecord f;
          try {
            f = FailureRecordSerde.decode(r.value());
          } catch (RuntimeException e) {
            continue; // not a failure record: nothing to replay
          }
          if ((errorType != null && !errorType.equals(f.errorType()))
              || f.failedAt().isBefore(since)
              || !f.failedAt().isBefore(until)) {
            continue;
          }
          matched++;
          String topic = targetOf(f.stage());
          if (topic == null) {
            skipped.merge(skipReason(f.stage()), 1L, Long::sum);
          } else {
            planned.add(new Planned(topic, r.key(), f));
          }
        }
      }
    }
    long duplicates = duplicatesOf(config, planned, dedupWindow);
    return new Result(scanned, matched, publish(config, planned), skipped, duplicates);
  }

  /** The topic the failing stage reads, or null when this replay does not re-send it. */
  static String targetOf(String stage) {
    return switch (stage) {
      case VALIDATOR -> Topics.RAW.name();
      case GEO_ENRICHER -> Topics.VALIDATED.name();
      default -> null;
    };
  }

  private static String skipReason(String stage) {
    if (stage.startsWith("export:")) {
      return "stage " + stage + ": re-sent by kindling export --replay";
    }
    if (stage.equals("log-source")) {
      return "stage log-source: a log line, not a submission; fix the rule and let kindling logs"
          + " read the file again";
    }
    return "stage " + stage + ": not a submission a stage can take again";
  }

  private static Map<String, Long> publish(KindlingConfig config, List<Planned> planned) {
    Map<String, Long> published = new TreeMap<>();
    if (planned.isEmpty()) {
      return published;
    }
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(KafkaDefaults.producer(config, "kindling-replay"))) {
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (Planned p : planned) {
        Headers headers = AttributeHeaders.fromMap(p.failure().attributes());
        sent.add(
            producer.send(
                new ProducerRecord<>(p.topic(), null, p.key(), p.failure().payload(), headers)));
      }
      producer.flush();
      for (int i = 0; i < sent.size(); i++) {
        try {
          sent.get(i).get();
          published.merge(planned.get(i).topic(), 1L, Long::sum);
        } catch (ExecutionException e) {
          throw new IllegalStateException(
              "replay stopped after "
                  + published
                  + ": cannot publish to "
                  + planned.get(i).topic()
                  + ": "
                  + e.getCause().getMessage(),
              e.getCause());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("replay interrupted", e);
    }
    return published;
  }

  /**
   * How many of the submissions planned for ingest.raw the validator will drop as duplicates: those
   * whose (namespace, type, id) it passed within its dedup window, found in ingest.validated from
   * one window ago.
   */
  private static long duplicatesOf(
      KindlingConfig config, List<Planned> planned, Duration dedupWindow) {
    Set<String> wanted = new HashSet<>();
    for (Planned p : planned) {
      if (p.topic().equals(Topics.RAW.name())) {
        String key = dedupKey(p.failure().attributes());
        if (key != null) {
          wanted.add(key);
        }
      }
    }
    if (wanted.isEmpty()) {
      return 0;
    }
    Set<String> passed = new HashSet<>();
    var props = KafkaDefaults.consumer(config, "kindling-replay", "kindling-replay-dedup");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      Map<TopicPartition, Long> end =
          assignAll(
              consumer, Topics.VALIDATED.name(), Instant.now().minus(dedupWindow).toEpochMilli());
      while (!done(consumer, end)) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          String key = dedupKey(AttributeHeaders.toMap(r.headers()));
          if (key != null && wanted.contains(key)) {
            passed.add(key);
          }
        }
      }
    }
    long n = 0;
    for (Planned p : planned) {
      if (p.topic().equals(Topics.RAW.name())
          && passed.contains(dedupKey(p.failure().attributes()))) {
        n++;
      }
    }
    return n;
  }

  /**
   * The validator's dedup key of a submission: its namespace, type and document id, from the URI
   * parts the validator added, else from the URI itself.
   */
  private static String dedupKey(Map<String, String> attributes) {
    String ns = attributes.get(Attributes.DOCUMENT_NAMESPACE);
    String type = attributes.get(Attributes.DOCUMENT_TYPE);
    String id = attributes.get(Attributes.DOCUMENT_ID);
    if (ns == null || type == null || id == null) {
      try {
        Map<String, String> parts = new HashMap<>();
        org.kindling.core.SubmitUri.parse(attributes.get(Attributes.URI)).putAttributes(parts);
        ns = parts.get(Attributes.DOCUMENT_NAMESPACE);
        type = parts.get(Attributes.DOCUMENT_TYPE);
        id = parts.get(Attributes.DOCUMENT_ID);
      } catch (org.kindling.core.SubmitUri.InvalidException e) {
        return null;
      }
    }
    return ns + "/" + type + "/" + id;
  }

  /**
   * Assigns every partition of {@code topic}, from the beginning or from {@code fromMillis}, and
   * returns the end offsets at start.
   */
  private static Map<TopicPartition, Long> assignAll(
      KafkaConsumer<byte[], byte[]> consumer, String topic, Long fromMillis) {
    List<TopicPartition> parts = new ArrayList<>();
    for (PartitionInfo p : consumer.partitionsFor(topic)) {
      parts.add(new TopicPartition(p.topic(), p.partition()));
    }
    consumer.assign(parts);
    Map<TopicPartition, Long> end = consumer.endOffsets(parts);
    if (fromMillis == null) {
      consumer.seekToBeginning(parts);
    } else {
      Map<TopicPartition, Long> query = new HashMap<>();
      parts.forEach(tp -> query.put(tp, fromMillis));
      for (Map.Entry<TopicPartition, OffsetAndTimestamp> e :
          consumer.offsetsForTimes(query).entrySet()) {
        consumer.seek(
            e.getKey(), e.getValue() == null ? end.get(e.getKey()) : e.getValue().offset());
      }
    }
    return end;
  }

  private static boolean done(KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (c.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }
}
