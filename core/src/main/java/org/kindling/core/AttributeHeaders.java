package org.kindling.core;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The attributes of a submission as Kafka record headers (UTF-8 strings, last value wins): reads
 * and writes them for every stage.
 */
public final class AttributeHeaders {
  private AttributeHeaders() {}

  /** The headers as an ordered attribute map. */
  public static Map<String, String> toMap(Headers headers) {
    Map<String, String> map = new LinkedHashMap<>();
    if (headers == null) {
      return map;
    }
    for (Header h : headers) {
      map.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
    }
    return map;
  }

  /** The value of one header, or {@code null} when absent. */
  public static String get(Headers headers, String name) {
    if (headers == null) {
      return null;
    }
    Header h = headers.lastHeader(name);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  /** Replaces {@code name} with {@code value}; a null value only removes it. */
  public static void put(Headers headers, String name, String value) {
    headers.remove(name);
    if (value != null) {
      headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** New Kafka headers holding the attribute map. */
  public static Headers fromMap(Map<String, String> attributes) {
    Headers headers = new RecordHeaders();
    attributes.forEach(
        (k, v) -> {
          if (v != null) {
            headers.add(k, v.getBytes(StandardCharsets.UTF_8));
          }
        });
    return headers;
  }

  /** A copy of {@code headers}. */
  public static Headers copy(Headers headers) {
    Headers out = new RecordHeaders();
    headers.forEach(h -> out.add(h.key(), h.value()));
    return out;
  }

  /** Removes the client address attributes (see {@link Attributes#CLIENT_ADDRESS}). */
  public static void removeClientAddress(Headers headers) {
    for (String name : Attributes.CLIENT_ADDRESS) {
      headers.remove(name);
    }
  }
}
