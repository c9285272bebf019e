package org.kindling.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.kindling.core.Json;
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
    String updatedAt;
    final Map<String, Map<String, Long>> totals = new TreeMap<>();

    /** Minutes whose cells are arriving: minute to cells. */
    final Map<String, Minute> open = new HashMap<>();

    /** Closed minutes written: minute to total. */
    final NavigableMap<String, Long> closed = new TreeMap<>();

    DocType(String id) {
      this.id = id;
      int dot = id.indexOf('.');
      this.prefix = dot < 0 ? id : id.substring(0, dot) + "/" + id.substring(dot + 1);
    }
  }

  private static final class Minute {
    final Map<String, Long> countries = new TreeMap<>();
    final Map<String, Long> locations = new TreeMap<>();
    JsonNode all;

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
    String[] parts = key.split("\\|", -1);
    JsonNode v;
    try {
      v = Json.mapper().readTree(value);
    } catch (IOException e) {
      LOG.warn("ignoring a counts record that is not JSON: {}", key);
      return;
    }
    if (parts.length == 4 && parts[1].equals("total")) {
      DocType d = doctypes.computeIfAbsent(parts[0], DocType::new);
      long count = v.path("count").asLong();
      String updated = v.path("updated_at").asText(null);
      if (updated != null && (d.updatedAt == null || updated.compareTo(d.updatedAt) > 0)) {
        d.updatedAt = updated;
      }
      if (parts[2].equals("all")) {
        d.total = count;
      } else {
        d.counted = true;
        d.totals.computeIfAbsent(parts[2], k -> new TreeMap<>()).put(parts[3], count);
      }
      d.summaryDirty = true;
    } else if (parts.length == 5 && parts[1].equals("minute")) {
      DocType d = doctypes.computeIfAbsent(parts[0], DocType::new);
      d.counted = true;
      String minute = parts[2];
      if (d.closed.containsKey(minute)) {
        return; // already written; a late duplicate
      }
      Minute m = d.open.computeIfAbsent(minute, k -> new Minute());
      switch (parts[3]) {
        case "country":
          m.countries.put(parts[4], v.path("count").asLong());
          break;
        case "location":
          m.locations.put(parts[4], v.path("count").asLong());
          break;
        case "all":
          m.all = v;
          break;
        default:
          LOG.debug("ignoring minute cell {}", key);
      }
      if (m.all != null && m.cells() >= m.all.path("cells").asInt()) {
        writeMinute(d, minute, m, live);
      }
    }
  }

  private void writeMinute(DocType d, String minute, Minute m, boolean live) throws IOException {
    String key = minuteKey(d, minute);
    if (live || !store.exists(bucket, key)) {
      store.put(bucket, key, bytes(minuteJson(d, minute, m)), IMMUTABLE);
    }
    d.open.remove(minute);
    d.closed.put(minute, m.all.path("count").asLong());
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
    for (String dim : new String[] {"continent", "country", "subdivision"}) {
      ObjectNode by = o.putObject("by_" + dim);
      d.totals.getOrDefault(dim, Map.of()).forEach(by::put);
    }
    o.put("updated_at", d.updatedAt == null ? now() : d.updatedAt);
    return o;
  }

  private static ObjectNode minuteJson(DocType d, String minute, Minute m) {
    ObjectNode o = Json.mapper().createObjectNode();
    o.put("doctype", d.id);
    o.put("minute", minute);
    o.put("window_start", m.all.path("window_start").asText(null));
    o.put("window_end", m.all.path("window_end").asText(null));
    o.put("total", m.all.path("count").asLong());
    ObjectNode countries = o.putObject("by_country");
    m.countries.forEach(countries::put);
    ArrayNode locations = o.putArray("by_location");
    long other = 0;
    for (Map.Entry<String, Long> e : m.locations.entrySet()) {
      String[] ll = e.getKey().split(",");
      try {
        if (ll.length != 2) {
          throw new NumberFormatException(e.getKey());
        }
        ObjectNode l = locations.addObject();
        l.put("lat", Double.parseDouble(ll[0]));
        l.put("lon", Double.parseDouble(ll[1]));
        l.put("count", e.getValue());
      } catch (NumberFormatException notALocation) {
        other += e.getValue(); // the privacy floor's "other" cell
      }
    }
    o.put("location_other", other);
    return o;
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
