package org.kindling.sink;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.kindling.core.Attributes;

/** Small helpers to read the record contract's headers. */
final class Records {
  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}.*");
  private static final Pattern PATH_SAFE = Pattern.compile("[A-Za-z0-9_.-]+");

  private Records() {}

  static String header(ConsumerRecord<?, ?> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  static String key(ConsumerRecord<byte[], ?> r) {
    return r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
  }

  /**
   * {@code yyyy-MM-ddTHH} of the submission: from the submission_timestamp attribute, else from the
   * Kafka timestamp (both are part of the record, so the answer never changes on replay).
   */
  static String submissionHour(ConsumerRecord<?, ?> r) {
    String ts = header(r, Attributes.SUBMISSION_TIMESTAMP);
    if (ts != null && DATE.matcher(ts).matches()) {
      return ts.substring(0, 13);
    }
    return Instant.ofEpochMilli(Math.max(0, r.timestamp())).toString().substring(0, 13);
  }

  static String date(Instant t) {
    return LocalDate.ofInstant(t, ZoneOffset.UTC).toString();
  }

  /** A header value usable as one path segment, or {@code fallback}. */
  static String segment(String value, String fallback) {
    return value != null && PATH_SAFE.matcher(value).matches() && !value.startsWith(".")
        ? value
        : fallback;
  }
}
