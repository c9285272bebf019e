package org.kindling.core.counts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;
import org.kindling.core.Json;

/**
 * A value of {@code ingest.counts} (JSON), typed by the kind of its {@link CountKey}: a partition's
 * running {@link Total} of one cell, its {@link Minute} partial, or its {@link Watermark}.
 */
public sealed interface CountValue {

  /** The JSON written to Kafka. */
  String toJson();

  /**
   * A partition's running total of one cell: {@code {"count":n,"updated_at":"<event time of the
   * newest record counted, to the second>"}}.
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

  /**
   * A partition's cells of one minute, before the privacy floor: {@code {"count":n,"countries":
   * {"DE":3},"locations":{"52.5,13.4":2}}}. Written when the partition closes the minute, and again
   * when a late record changes it (the writer then corrects the published minute).
   *
   * @param count records of the minute (also those without a country or location)
   * @param countries records by ISO country code
   * @param locations records by rounded {@code lat,lon}
   */
  record Minute(long count, Map<String, Long> countries, Map<String, Long> locations)
      implements CountValue {
    public Minute {
      countries = Map.copyOf(countries);
      locations = Map.copyOf(locations);
    }

    @Override
    public String toJson() {
      ObjectNode o = Json.mapper().createObjectNode();
      o.put("count", count);
      ObjectNode c = o.putObject("countries");
      new TreeMap<>(countries).forEach(c::put);
      ObjectNode l = o.putObject("locations");
      new TreeMap<>(locations).forEach(l::put);
      return o.toString();
    }
  }

  /**
   * A partition's progress: {@code {"closed_until":"<instant>","partitions":P,"min_count":k}}.
   * Every minute that ends at or before {@code closed_until} is closed for this partition: its
   * partial, if the partition had records in it, was written before this watermark (on the same
   * {@code ingest.counts} partition, so a reader sees it first). {@code partitions} is how many
   * {@code ingest.validated} partitions there are, so the reader knows whose watermarks to wait
   * for; {@code min_count} is the privacy floor ({@code geo.privacy.min.count}) the reader applies.
   */
  record Watermark(Instant closedUntil, int partitions, int minCount) implements CountValue {
    @Override
    public String toJson() {
      ObjectNode o = Json.mapper().createObjectNode();
      o.put("closed_until", closedUntil.toString());
      o.put("partitions", partitions);
      o.put("min_count", minCount);
      return o.toString();
    }
  }

  /**
   * Parses the value of {@code key}; null for a tombstone ({@code json} null).
   *
   * @throws IllegalArgumentException when {@code json} is not a value of that key's kind
   */
  static CountValue parse(CountKey key, String json) {
    if (json == null) {
      return null;
    }
    JsonNode v;
    try {
      v = Json.mapper().readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("count value is not JSON: " + e.getMessage(), e);
    }
    if (v == null || !v.isObject()) {
      throw new IllegalArgumentException("count value is not a JSON object: " + json);
    }
    try {
      return switch (key.kind()) {
        case TOTAL -> new Total(count(v, json), Instant.parse(v.path("updated_at").asText()));
        case MINUTE ->
            new Minute(count(v, json), cells(v.path("countries")), cells(v.path("locations")));
        case WATERMARK ->
            new Watermark(
                Instant.parse(v.path("closed_until").asText()),
                v.path("partitions").asInt(),
                v.path("min_count").asInt(1));
      };
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("count value with a bad time: " + json, e);
    }
  }

  private static long count(JsonNode v, String json) {
    if (!v.path("count").canConvertToLong()) {
      throw new IllegalArgumentException("count value without a count: " + json);
    }
    return v.path("count").asLong();
  }

  private static Map<String, Long> cells(JsonNode node) {
    Map<String, Long> out = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      out.put(e.getKey(), e.getValue().asLong());
    }
    return out;
  }
}
