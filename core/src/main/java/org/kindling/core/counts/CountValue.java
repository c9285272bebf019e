package org.kindling.core.counts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import org.kindling.core.Json;

/**
 * A value of {@code ingest.counts} (JSON), typed by the kind of its {@link CountKey}: a running
 * {@link Total}, a minute {@link Cell}, or the {@link MinuteClose} that completes a minute.
 */
public sealed interface CountValue {

  /** The number counted. */
  long count();

  /** The JSON written to Kafka. */
  String toJson();

  /**
   * A running total: {@code {"count":n,"updated_at":"<event time of the newest record, to the
   * second>"}}.
   */
  record Total(long count, Instant updatedAt) implements CountValue {
    public Total {
      updatedAt = updatedAt.truncatedTo(ChronoUnit.SECONDS);
    }

    @Override
    public String toJson() {
      ObjectNode o = Json.mapper().createObjectNode();
      o.put("count", count);
      o.put("updated_at", updatedAt.toString());
      return o.toString();
    }
  }

  /** A geo cell of a minute: {@code {"count":n}}. */
  record Cell(long count) implements CountValue {
    @Override
    public String toJson() {
      return "{\"count\":" + count + "}";
    }
  }

  /**
   * The last record of a minute: {@code {"count":<records in the minute>,"cells":<geo cells written
   * before it>,"window_start":"...","window_end":"..."}}. A reader has the whole minute once it has
   * this record and {@code cells} geo cells.
   */
  record MinuteClose(long count, int cells, Instant windowStart, Instant windowEnd)
      implements CountValue {
    @Override
    public String toJson() {
      ObjectNode o = Json.mapper().createObjectNode();
      o.put("count", count);
      o.put("cells", cells);
      o.put("window_start", windowStart.toString());
      o.put("window_end", windowEnd.toString());
      return o.toString();
    }
  }

  /**
   * Parses the value of {@code key}.
   *
   * @throws IllegalArgumentException when {@code json} is not a value of that key's kind
   */
  static CountValue parse(CountKey key, String json) {
    JsonNode v;
    try {
      v = Json.mapper().readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("count value is not JSON: " + e.getMessage(), e);
    }
    if (v == null || !v.path("count").canConvertToLong()) {
      throw new IllegalArgumentException("count value without a count: " + json);
    }
    long count = v.path("count").asLong();
    try {
      if (key.isTotal()) {
        return new Total(count, Instant.parse(v.path("updated_at").asText()));
      }
      if (key.isMinuteClose()) {
        return new MinuteClose(
            count,
            v.path("cells").asInt(),
            Instant.parse(v.path("window_start").asText()),
            Instant.parse(v.path("window_end").asText()));
      }
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("count value with a bad time: " + json, e);
    }
    return new Cell(count);
  }
}
