package org.kindling.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.kindling.core.Json;
import org.kindling.core.counts.CountKey;
import org.kindling.core.counts.CountKey.Dimension;
import org.kindling.core.counts.CountValue;
import org.kindling.sink.store.ObjectStore;
import org.kindling.sink.store.ObjectStore.ObjectMeta;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public JSON files of the counted doctypes, built from {@code ingest.counts}. For doctype
 * {@code glow.download} they are, in the public bucket:
 *
 * <ul>
 *   <li>{@code glow/download/summary.json}: running totals, rewritten at most every few seconds
 *       when they changed;
 *   <li>{@code glow/download/minutes/<YYYY-MM-DDTHH:MMZ>.json}: one immutable file per closed
 *       minute, written when the minute's {@code all|all} cell has arrived and the number of
 *       country and location cells matches its {@code cells};
 *   <li>{@code glow/download/latest.json}: the newest closed minute and the recent minute files,
 *       rewritten after the minute file it names is written, so it never points at a missing file.
 * </ul>
 *
 * The JSON shapes are in the module README. Only doctypes with geo or minute cells (the counted
 * ones) get files; every other doctype only has a total, which is not published.
 */
final class PublicAggregates {
  private static final Logger LOG = LoggerFactory.getLogger(PublicAggregates.class);
  static final ObjectMeta SHORT = new ObjectMeta("application/json", "public, max-age=10");
  static final ObjectMeta IMMUTABLE =
      new ObjectMeta("application/json", "public, max-age=86400, immutable");

  private final ObjectStore store;
  private final String bucket;
  private final int recentMinutes;
  private final Clock clock;
  private final Map<String, DocType> doctypes = new HashMap<>();

  PublicAggregates(ObjectStore store, String bucket, int recentMinutes, Clock clock) {
    this.store = store;
    this.bucket = bucket;
    this.recentMinutes = recentMinutes;
    this.clock = clock;
  }

  /** What is known of one doctype. */
  private static final class DocType {
    final String id;
    final String prefix;
    boolean counted;
    boolean summaryDirty;
    boolean latestDirty;
    long total;
    Instant updatedAt;
    final Map<Dimension, Map<String, Long>> totals = new EnumMap<>(Dimension.class);

    /** Minutes whose cells are arriving: minute to cells. */
    final Map<String, Minute> open = new HashMap<>();

    /** Closed minutes written: minute to total. */
    final NavigableMap<String, Long> closed = new TreeMap<>();

    DocType(String id) {
      this.id = id;
      this.prefix = CountKey.doctypePath(id);
    }
  }

  private static final class Minute {
    final Map<String, Long> countries = new TreeMap<>();
    final Map<String, Long> locations = new TreeMap<>();
    CountValue.MinuteClose close;

    int cells() {
      return countries.size() + locations.size();
    }
  }

  /**
   * Applies one {@code ingest.counts} record. Writes a minute file (then latest.json, when {@code
   * live}) as soon as the minute is complete. While catching up on start-up ({@code live} false)
   * minute files that exist already are not rewritten and latest.json waits for {@link #publish}.
   */
  void accept(String key, String value, boolean live) throws IOException {
    if (key == null || value == null) {
      return;
    }
    CountKey k;
    CountValue v;
    try {
      k = CountKey.parse(key);
      v = CountValue.parse(k, value);
    } catch (IllegalArgumentException e) {
      LOG.warn("ignoring a counts record that is not of the counts contract: {}", e.getMessage());
      return;
    }
    DocType d = doctypes.computeIfAbsent(k.doctype(), DocType::new);
    if (v instanceof CountValue.Total t) {
      if (d.updatedAt == null || t.updatedAt().isAfter(d.updatedAt)) {
        d.updatedAt = t.updatedAt();
      }
      if (k.dimension() == Dimension.ALL) {
        d.total = t.count();
      } else {
        d.counted = true;
        d.totals.computeIfAbsent(k.dimension(), x -> new TreeMap<>()).put(k.value(), t.count());
      }
      d.summaryDirty = true;
      return;
    }
    d.counted = true;
    if (d.closed.containsKey(k.minute())) {
      return; // already written; a late duplicate
    }
    Minute m = d.open.computeIfAbsent(k.minute(), x -> new Minute());
    if (v instanceof CountValue.MinuteClose close) {
      m.close = close;
    } else if (k.dimension() == Dimension.COUNTRY) {
      m.countries.put(k.value(), v.count());
    } else if (k.dimension() == Dimension.LOCATION) {
      m.locations.put(k.value(), v.count());
    } else {
      LOG.debug("ignoring minute cell {}", key);
    }
    if (m.close != null && m.cells() >= m.close.cells()) {
      writeMinute(d, k.minute(), m, live);
    }
  }

  private void writeMinute(DocType d, String minute, Minute m, boolean live) throws IOException {
    String key = minuteKey(d, minute);
    if (live || !store.exists(bucket, key)) {
      store.put(bucket, key, bytes(minuteJson(d, minute, m)), IMMUTABLE);
    }
    d.open.remove(minute);
    d.closed.put(minute, m.close.count());
    while (d.closed.size() > recentMinutes) {
      d.closed.pollFirstEntry();
    }
    d.latestDirty = true;
    if (live) {
      writeLatest(d);
    }
  }

  /** Writes every changed summary and latest.json. */
  void publish() throws IOException {
    for (DocType d : doctypes.values()) {
      if (!d.counted) {
        continue;
      }
      if (d.latestDirty) {
        writeLatest(d);
      }
      if (d.summaryDirty) {
        store.put(bucket, d.prefix + "/summary.json", bytes(summaryJson(d)), SHORT);
        d.summaryDirty = false;
      }
    }
  }

  private void writeLatest(DocType d) throws IOException {
    if (d.closed.isEmpty()) {
      return;
    }
    store.put(bucket, d.prefix + "/latest.json", bytes(latestJson(d)), SHORT);
    d.latestDirty = false;
  }

  private static String minuteKey(DocType d, String minute) {
    return d.prefix + "/minutes/" + minute + ".json";
  }

  private String now() {
    return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private ObjectNode summaryJson(DocType d) {
    ObjectNode o = Json.mapper().createObjectNode();
    o.put("doctype", d.id);
    o.put("total", d.total);
    for (Dimension dim : Dimension.TOTALS) {
      ObjectNode by = o.putObject("by_" + dim.id());
      d.totals.getOrDefault(dim, Map.of()).forEach(by::put);
    }
    o.put("updated_at", d.updatedAt == null ? now() : d.updatedAt.toString());
    return o;
  }

  private static ObjectNode minuteJson(DocType d, String minute, Minute m) {
    ObjectNode o = Json.mapper().createObjectNode();
    o.put("doctype", d.id);
    o.put("minute", minute);
    o.put("window_start", m.close.windowStart().toString());
    o.put("window_end", m.close.windowEnd().toString());
    o.put("total", m.close.count());
    ObjectNode countries = o.putObject("by_country");
    m.countries.forEach(countries::put);
    ArrayNode locations = o.putArray("by_location");
    long other = 0;
    for (Map.Entry<String, Long> e : m.locations.entrySet()) {
      double[] latLon = e.getKey().equals(CountKey.OTHER) ? null : latLon(e.getKey());
      if (latLon == null) {
        other += e.getValue(); // the privacy floor's "other" cell
        continue;
      }
      ObjectNode l = locations.addObject();
      l.put("lat", latLon[0]);
      l.put("lon", latLon[1]);
      l.put("count", e.getValue());
    }
    o.put("location_other", other);
    return o;
  }

  /** {@code 52.5,13.4} as numbers, or null when the cell is not a location. */
  private static double[] latLon(String cell) {
    int comma = cell.indexOf(',');
    try {
      return comma < 0
          ? null
          : new double[] {
            Double.parseDouble(cell.substring(0, comma)),
            Double.parseDouble(cell.substring(comma + 1))
          };
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private ObjectNode latestJson(DocType d) {
    ObjectNode o = Json.mapper().createObjectNode();
    o.put("doctype", d.id);
    String newest = d.closed.lastKey();
    o.put("latest_minute", newest);
    o.put("latest", minuteKey(d, newest));
    ArrayNode minutes = o.putArray("minutes");
    for (Map.Entry<String, Long> e : d.closed.descendingMap().entrySet()) {
      ObjectNode m = minutes.addObject();
      m.put("minute", e.getKey());
      m.put("key", minuteKey(d, e.getKey()));
      m.put("total", e.getValue());
    }
    o.put("updated_at", now());
    return o;
  }

  private static byte[] bytes(JsonNode n) throws IOException {
    return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(n);
  }
}
