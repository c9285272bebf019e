package org.kindling.geo.counts;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.kindling.geo.Geo;

/**
 * What the counters need of one enriched record, sent through the {@code counts-by-doctype}
 * repartition topic keyed by doctype id; the event time is the record timestamp. It carries no
 * client address, only the coarse geo cells.
 *
 * @param continent continent code or null
 * @param country ISO country code or null
 * @param subdivision full ISO 3166-2 subdivision code ({@code US-CA}) or null
 * @param location rounded {@code lat,lon} or null
 */
public record CountEvent(String continent, String country, String subdivision, String location) {

  /** The cells of a geo answer. */
  public static CountEvent of(Geo geo) {
    return new CountEvent(geo.continent(), geo.country(), geo.subdivisionCode(), geo.locationKey());
  }

  /** {@code continent|country|subdivision|location}, empty for null, in UTF-8. */
  public static Serde<CountEvent> serde() {
    Serializer<CountEvent> serializer =
        (topic, e) ->
            e == null
                ? null
                : String.join(
                        "|",
                        nonNull(e.continent()),
                        nonNull(e.country()),
                        nonNull(e.subdivision()),
                        nonNull(e.location()))
                    .getBytes(StandardCharsets.UTF_8);
    Deserializer<CountEvent> deserializer =
        (topic, bytes) -> {
          if (bytes == null) {
            return null;
          }
          String[] p = new String(bytes, StandardCharsets.UTF_8).split("\\|", -1);
          if (p.length != 4) {
            throw new IllegalArgumentException("not a count event: " + p.length + " fields");
          }
          return new CountEvent(orNull(p[0]), orNull(p[1]), orNull(p[2]), orNull(p[3]));
        };
    return Serdes.serdeFrom(serializer, deserializer);
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }

  private static String orNull(String s) {
    return s.isEmpty() ? null : s;
  }
}
