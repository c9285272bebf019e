package org.kindling.geo;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.kindling.core.AttributeHeaders;
import org.kindling.core.Attributes;

/**
 * Event time = the {@code submission_timestamp} attribute set by the edge (when the request
 * arrived), so that counts land in the minute the user acted even when a stage ran late. Falls back
 * to the Kafka record timestamp when the attribute is missing or malformed, and never returns a
 * negative time (Kafka Streams would drop the record).
 */
public final class SubmissionTimestampExtractor implements TimestampExtractor {

  @Override
  public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
    String ts = AttributeHeaders.get(record.headers(), Attributes.SUBMISSION_TIMESTAMP);
    if (ts != null) {
      try {
        long millis = Instant.parse(ts).toEpochMilli();
        if (millis >= 0) {
          return millis;
        }
      } catch (DateTimeParseException | ArithmeticException e) {
        // fall through to the record's own time
      }
    }
    if (record.timestamp() >= 0) {
      return record.timestamp();
    }
    return Math.max(partitionTime, 0);
  }
}
