package org.kindling.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.kindling.core.Json;
import org.kindling.core.Topics;
import org.kindling.core.counts.CountKey;
import org.kindling.core.counts.CountKey.Dimension;
import org.kindling.core.counts.PartialCounts;
import org.kindling.sink.store.ObjectStore;
import org.kindling.sink.store.ObjectStore.ObjectMeta;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public JSON files of the counted doctypes, built from {@code ingest.counts} read through
 * {@link PartialCounts}: the partial counts of every {@code ingest.validated} partition summed,
 * then the privacy floor applied once. For doctype {@code glow.download} they are, in the public
 * bucket:
 *
 * <ul>
 *   <li>{@code glow/download/summary.json}: running totals, rewritten at most every few seconds
 *       when they changed;
 *   <li>{@code glow/download/minutes/<YYYY-MM-DDTHH:MMZ>.json}: one file per minute, written once
 *       every partition's watermark has passed the minute's end, and rewritten when a late record
 *       corrects it;
 *   <li>{@code glow/download/latest.json}: the newest closed minute and the recent minute files,
 *       rewritten after the minute file it names is written, so it never points at a missing file.
 * </ul>
 *
 * <p>Several writers may run side by side (one per sink instance). None moves a file backwards:
 * before summary.json or latest.json is replaced, the file there is read, and a writer that has
 * read less of the topic (a smaller total, an older newest minute) leaves it alone. The JSON shapes
 * are in the module README. Only doctypes with geo or minute cells (the counted ones) get files.
 */
final class PublicAggregates {
  private static final Logger LOG = LoggerFactory.getLogger(PublicAggregates.class);
  static final ObjectMeta SHORT = new ObjectMeta("application/json", "public, max-age=10");

  /** A minute file can be corrected by late records (rarely), so it is not cached for ever. */
  static final ObjectMeta MINUTE = new ObjectMeta("application/json", "public, max-age=600");

  private final ObjectStore store;
  private final String bucket;
  private final int recentMinutes;
  private final Clock clock;
  private final PartialCounts counts = new PartialCounts();
  private final Map<String, DocType> doctypes = new HashMap<>();
  private long ignored;

  PublicAggregates(ObjectStore store, String bucket, int recentMinutes, Clock clock) {
    this.store = store;
    this.bucket = bucket;
    this.recentMinutes = recentMinutes;
    this.clock = clock;
  }

  /** What has been published of one doctype. */
  private static final class DocType {
    final String id;
    final String prefix;
    boolean summaryDirty;
    boolean latestDirty;

    /** Minutes with counts that are not written as they are now. */
    final NavigableSet<String> pending = new TreeSet<>();

    /** Minutes written: minute to its published total. */
    final NavigableMap<String, Long> written = new TreeMap<>();

    /** The JSON last written per minute (within the recent minutes), to skip unchanged rewrites. */
    final Map<String, JsonNode> writtenJson = new HashMap<>();

    DocType(String id) {
      this.id = id;
      this.prefix = CountKey.doctypePath(id);
    }
  }

  /**
   * Applies one {@code ingest.counts} record. When {@code live}, writes the minute files (then
   * latest.json) that are complete now. While catching up on start-up ({@code live} false) nothing
   * is written until {@link #publish}.
   */
  void accept(String key, String value, boolean live) throws IOException {
    if (key == null) {
      return;
    }
    CountKey k;
    try {
      k = counts.accept(key, value);
    } catch (IllegalArgumentException e) {
      // e.g. the per-cell minute records of the counters before they counted per partition
      if (ignored++ == 0) {
        LOG.info("ignoring {} records that are not of the counts contract", Topics.COUNTS);
      }
      LOG.debug("ignoring counts record {}: {}", key, e.getMessage());
      return;
    }
    switch (k.kind()) {
      case TOTAL -> doctype(k.doctype()).summaryDirty = true;
      case MINUTE -> {
        if (value != null) {
          doctype(k.doctype()).pending.add(k.minute());
        }
      }
      case WATERMARK -> {
        // may close minutes of any doctype
      }
    }
    if (live) {
      writeClosedMinutes();
    }
  }

  private DocType doctype(String id) {
    return doctypes.computeIfAbsent(id, DocType::new);
  }

  /** Writes every pending minute that every partition has closed, then latest.json. */
  private void writeClosedMinutes() throws IOException {
    for (DocType d : doctypes.values()) {
      for (Iterator<String> it = d.pending.iterator(); it.hasNext(); ) {
        String minute = it.next();
        if (!counts.isClosed(minute)) {
          break; // pending is sorted: later minutes are not closed either
        }
        it.remove();
        writeMinute(d, minute);
      }
      if (d.latestDirty) {
        writeLatest(d);
      }
    }
  }

  private void writeMinute(DocType d, String minute) throws IOException {
    Optional<PartialCounts.Minute> m = counts.minute(d.id, minute);
    if (m.isEmpty()) {
      return;
    }
    ObjectNode json = minuteJson(d, minute, m.get());
    String key = minuteKey(d, minute);
    JsonNode before = d.writtenJson.get(minute);
    if (before == null) {
      before = store.get(bucket, key).map(PublicAggregates::parse).orElse(null);
    }
    if (!json.equals(before)) {
      store.put(bucket, key, bytes(json), MINUTE);
    }
    d.writtenJson.put(minute, json);
    d.written.put(minute, m.get().count());
    while (d.written.size() > recentMinutes) {
      d.writtenJson.remove(d.written.pollFirstEntry().getKey());
    }
    d.latestDirty = true;
  }

  /** Writes the complete minutes, every changed summary and latest.json. */
  void publish() throws IOException {
    writeClosedMinutes();
    for (DocType d : doctypes.values()) {
      if (!counts.counted(d.id)) {
        continue;
      }
      if (d.summaryDirty) {
        writeSummary(d);
        d.summaryDirty = false;
      }
    }
  }

  private void writeSummary(DocType d) throws IOException {
    String key = d.prefix + "/summary.json";
    ObjectNode json = summaryJson(d);
    JsonNode current = store.get(bucket, key).map(PublicAggregates::parse).orElse(null);
    if (current != null && current.path("total").asLong() > json.path("total").asLong()) {
      LOG.debug("{} has a larger total than this writer has read; left as it is", key);
      return;
    }
    store.put(bucket, key, bytes(json), SHORT);
  }

  private void writeLatest(DocType d) throws IOException {
    if (d.written.isEmpty()) {
      return;
    }
    String key = d.prefix + "/latest.json";
    ObjectNode json = latestJson(d);
    JsonNode current = store.get(bucket, key).map(PublicAggregates::parse).orElse(null);
    if (current != null
        && current.path("latest_minute").asText("").compareTo(d.written.lastKey()) > 0) {
      LOG.debug("{} names a newer minute than this writer has written; left as it is", key);
      d.latestDirty = false;
      return;
    }
    store.put(bucket, key, bytes(json), SHORT);
    d.latestDirty = false;
  }

  private static String minuteKey(DocType d, String minute) {
    return d.prefix + "/minutes/" + minute + ".json";
  }

  private String now() {
    return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private ObjectNode summaryJson(DocType d) {
    int floor = counts.minCount();
    ObjectNode o = Json.mapper().createObjectNode();
    o.put("doctype", d.id);
    o.put("total", counts.total(d.id));
    for (Dimension dim : Dimension.TOTALS) {
      ObjectNode by = o.putObject("by_" + dim.id());
      PartialCounts.Floored f = PartialCounts.floor(counts.totals(d.id, dim), floor);
      f.cells().forEach(by::put);
      by.put(CountKey.OTHER, f.other());
    }
    Instant updated = counts.updatedAt(d.id);
    o.put("updated_at", updated == null ? now() : updated.toString());
    return o;
  }

  private ObjectNode minuteJson(DocType d, String minute, PartialCounts.Minute m) {
    int floor = counts.minCount();
    Instant start = CountKey.parseMinute(minute);
    ObjectNode o = Json.mapper().createObjectNode();
    o.put("doctype", d.id);
    o.put("minute", minute);
    o.put("window_start", start.toString());
    o.put("window_end", start.plusSeconds(60).toString());
    o.put("total", m.count());
    ObjectNode countries = o.putObject("by_country");
    PartialCounts.Floored c = PartialCounts.floor(m.countries(), floor);
    c.cells().forEach(countries::put);
    if (c.other() > 0) {
      countries.put(CountKey.OTHER, c.other());
    }
    ArrayNode locations = o.putArray("by_location");
    PartialCounts.Floored l = PartialCounts.floor(m.locations(), floor);
    long other = l.other();
    for (Map.Entry<String, Long> e : l.cells().entrySet()) {
      double[] latLon = latLon(e.getKey());
      if (latLon == null) {
        other += e.getValue();
        continue;
      }
      ObjectNode cell = locations.addObject();
      cell.put("lat", latLon[0]);
      cell.put("lon", latLon[1]);
      cell.put("count", e.getValue());
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
    String newest = d.written.lastKey();
    o.put("latest_minute", newest);
    o.put("latest", minuteKey(d, newest));
    ArrayNode minutes = o.putArray("minutes");
    for (Map.Entry<String, Long> e : d.written.descendingMap().entrySet()) {
      ObjectNode m = minutes.addObject();
      m.put("minute", e.getKey());
      m.put("key", minuteKey(d, e.getKey()));
      m.put("total", e.getValue());
    }
    o.put("updated_at", now());
    return o;
  }

  private static JsonNode parse(byte[] b) {
    try {
      return Json.mapper().readTree(b);
    } catch (IOException e) {
      return null; // not JSON: replaced
    }
  }

  private static byte[] bytes(JsonNode n) throws IOException {
    return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(n);
  }
}
