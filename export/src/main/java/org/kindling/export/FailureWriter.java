package org.kindling.export;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.kindling.core.Topics;
import org.kindling.core.failure.FailureRecord;
import org.kindling.core.failure.FailureRecordSerde;

/**
 * Writes records that a destination did not take to {@code ingest.errors} and waits until Kafka has
 * them ({@code acks=all}): only then may their offsets be committed. Stage {@code export:<name>};
 * the payload is the record value exactly as read and the attributes are the submission's, so
 * {@code kindling export --replay} can deliver it again. An error record that failed on its way out
 * keeps its failure record as the payload and is marked with {@value #SOURCE_TOPIC}.
 */
public final class FailureWriter {
  /** Retries used up on 429, 5xx, timeouts or refused connections. */
  public static final String EXPORT_FAILED = "export_failed";

  /** The destination refused the record itself (400, 413 for it alone). */
  public static final String EXPORT_REJECTED = "export_rejected";

  /** The destination cannot express the record (not JSON, no Amplitude id). */
  public static final String EXPORT_UNENCODABLE = "export_unencodable";

  /**
   * Attribute of an export failure record whose payload is an error record of ingest.errors (a
   * destination with filter.records errors or both) rather than a document of ingest.enriched.
   */
  public static final String SOURCE_TOPIC = "export_source_topic";

  private final Producer<byte[], byte[]> producer;
  private final String stage;
  private final Clock clock;

  /**
   * @param producer shared, not closed here
   * @param stage {@code export:<name>}
   */
  public FailureWriter(Producer<byte[], byte[]> producer, String stage, Clock clock) {
    this.producer = producer;
    this.stage = stage;
    this.clock = clock;
  }

  /**
   * Writes one failure record per item and waits for every acknowledgement.
   *
   * @throws FailureWriteException when Kafka does not take them; the caller must not commit
   */
  public void write(List<Item> items, String errorType, String message)
      throws InterruptedException {
    List<Future<RecordMetadata>> sent = new ArrayList<>(items.size());
    for (Item item : items) {
      FailureRecord f = failure(item.record(), errorType, message);
      sent.add(
          producer.send(
              new ProducerRecord<>(
                  Topics.ERRORS.name(), null, item.record().key(), FailureRecordSerde.encode(f))));
    }
    for (Future<RecordMetadata> s : sent) {
      try {
        s.get();
      } catch (ExecutionException e) {
        throw new FailureWriteException(
            "cannot write failure records of " + stage + " to " + Topics.ERRORS.name(),
            e.getCause());
      }
    }
  }

  private FailureRecord failure(ExportRecord r, String errorType, String message) {
    Map<String, String> attributes;
    if (r.isError()) {
      // the original failure record's attributes, as ingest.errors already holds them
      attributes = new LinkedHashMap<>(FailureRecordSerde.decode(r.value()).attributes());
      attributes.put(SOURCE_TOPIC, Topics.ERRORS.name());
    } else {
      attributes = r.attributes();
    }
    return new FailureRecord(
        r.value(), attributes, errorType, message, null, stage, clock.instant());
  }

  /** Kafka did not take failure records: the batch is not done and must not be committed. */
  public static final class FailureWriteException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public FailureWriteException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
