package org.kindling.geo;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.kindling.core.AttributeHeaders;
import org.kindling.core.Attributes;

/** Builds {@code ingest.validated} records as the validator writes them. */
final class Validated {
  static final String FIREFOX_WINDOWS =
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";

  /** Default Kafka record time, far from any submission time, so that using it shows. */
  static final Instant ARRIVAL = Instant.parse("2026-01-01T00:00:00Z");

  private final Map<String, String> attributes = new LinkedHashMap<>();
  private String key;
  private String body = "{\"event\":\"download\"}";
  private long recordTimestamp = -1;

  private Validated(String namespace, String type, String documentId, Instant submitted) {
    key = documentId;
    attributes.put(Attributes.SUBMISSION_TIMESTAMP, micros(submitted));
    attributes.put(Attributes.URI, "/submit/" + namespace + "/" + type + "/1/" + documentId);
    attributes.put(Attributes.METHOD, "POST");
    attributes.put(Attributes.PROTOCOL, "HTTP/1.1");
    attributes.put(Attributes.REMOTE_ADDR, "2.10.1.10");
    attributes.put(Attributes.USER_AGENT, FIREFOX_WINDOWS);
    attributes.put(Attributes.HOST, "incoming.example.org");
    attributes.put(Attributes.DOCUMENT_NAMESPACE, namespace);
    attributes.put(Attributes.DOCUMENT_TYPE, type);
    attributes.put(Attributes.DOCUMENT_VERSION, "1");
    attributes.put(Attributes.DOCUMENT_ID, documentId);
  }

  static Validated of(String namespace, String type, String documentId, Instant submitted) {
    return new Validated(namespace, type, documentId, submitted);
  }

  static Validated download(String documentId, Instant submitted, String address) {
    return of("glow", "download", documentId, submitted).with(Attributes.REMOTE_ADDR, address);
  }

  /** ISO-8601 with microseconds, as the edge writes it. */
  static String micros(Instant t) {
    String s = t.toString();
    String base = s.substring(0, 19);
    int nanos = t.getNano();
    return base + String.format(java.util.Locale.ROOT, ".%06dZ", nanos / 1000);
  }

  Validated with(String attribute, String value) {
    if (value == null) {
      attributes.remove(attribute);
    } else {
      attributes.put(attribute, value);
    }
    return this;
  }

  Validated body(String json) {
    this.body = json;
    return this;
  }

  Validated recordTimestamp(long millis) {
    this.recordTimestamp = millis;
    return this;
  }

  Map<String, String> attributes() {
    return attributes;
  }

  TestRecord<String, byte[]> record() {
    return new TestRecord<>(
        key,
        body == null ? null : body.getBytes(StandardCharsets.UTF_8),
        AttributeHeaders.fromMap(attributes),
        Instant.ofEpochMilli(recordTimestamp >= 0 ? recordTimestamp : ARRIVAL.toEpochMilli()));
  }
}
