package org.kindling.core.counts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.kindling.core.counts.CountKey.Dimension;

/**
 * What {@code ingest.counts} says once its partial counts are summed: the one reading of the topic,
 * used by the sink's public writer and by the tests that check the counters.
 *
 * <p>Feed it every record of the topic ({@link #accept}); a later value of a key replaces the
 * earlier one, as compaction does. Totals are the sums of every partition's latest partial. A
 * minute is closed once every partition's watermark has passed its end ({@link #closedUntil}); its
 * cells are then the sums of the partitions' partials. Both are read before the privacy floor;
 * {@link #floor} applies it. Not thread-safe.
 */
public final class PartialCounts {
  /** The privacy floor until a watermark says which one the counters use. */
  public static final int DEFAULT_MIN_COUNT = 5;

  private final Map<String, DocType> doctypes = new TreeMap<>();
  private final Map<Integer, CountValue.Watermark> watermarks = new HashMap<>();
  private int partitions;

  private static final class DocType {
    final Map<Integer, Long> all = new HashMap<>();
    final Map<Dimension, Map<String, Map<Integer, Long>>> totals = new EnumMap<>(Dimension.class);
    final NavigableMap<String, Map<Integer, CountValue.Minute>> minutes = new TreeMap<>();
    Instant updatedAt;
    boolean counted;
  }

  /**
   * A summed minute.
   *
   * @param count records of the minute
   * @param countries records by country, before the floor
   * @param locations records by rounded location, before the floor
   */
  public record Minute(long count, Map<String, Long> countries, Map<String, Long> locations) {}

  /**
   * Cells after the privacy floor.
   *
   * @param cells the cells at or above the floor
   * @param other the sum of the cells below it
   */
  public record Floored(Map<String, Long> cells, long other) {}

  /**
   * Applies one record of the topic ({@code value} null is a tombstone).
   *
   * @return the key, parsed
   * @throws IllegalArgumentException when the record is not of the counts contract
   */
  public CountKey accept(String key, String value) {
    CountKey k = CountKey.parse(key);
    CountValue v = CountValue.parse(k, value);
    switch (k.kind()) {
      case WATERMARK -> {
        if (v == null) {
          watermarks.remove(k.partition());
        } else {
          CountValue.Watermark w = (CountValue.Watermark) v;
          watermarks.put(k.partition(), w);
          partitions = Math.max(partitions, Math.max(w.partitions(), k.partition() + 1));
        }
      }
      case TOTAL -> {
        DocType d = doctypes.computeIfAbsent(k.doctype(), x -> new DocType());
        Map<Integer, Long> cell =
            k.dimension() == Dimension.ALL
                ? d.all
                : d.totals
                    .computeIfAbsent(k.dimension(), x -> new TreeMap<>())
                    .computeIfAbsent(k.value(), x -> new HashMap<>());
        if (v == null) {
          cell.remove(k.partition());
        } else {
          CountValue.Total t = (CountValue.Total) v;
          cell.put(k.partition(), t.count());
          if (d.updatedAt == null || t.updatedAt().isAfter(d.updatedAt)) {
            d.updatedAt = t.updatedAt();
          }
        }
        if (k.dimension() != Dimension.ALL) {
          d.counted = true;
        }
      }
      case MINUTE -> {
        DocType d = doctypes.computeIfAbsent(k.doctype(), x -> new DocType());
        d.counted = true;
        if (v == null) {
          Map<Integer, CountValue.Minute> parts = d.minutes.get(k.minute());
          if (parts != null) {
            parts.remove(k.partition());
            if (parts.isEmpty()) {
              d.minutes.remove(k.minute());
            }
          }
        } else {
          d.minutes
              .computeIfAbsent(k.minute(), x -> new HashMap<>())
              .put(k.partition(), (CountValue.Minute) v);
        }
      }
    }
    return k;
  }

  /** The doctypes seen. */
  public Set<String> doctypes() {
    return doctypes.keySet();
  }

  /** Whether the doctype has geo cells or minutes (the doctypes whose files are published). */
  public boolean counted(String doctype) {
    DocType d = doctypes.get(doctype);
    return d != null && d.counted;
  }

  /** The doctype's running total of every record. */
  public long total(String doctype) {
    DocType d = doctypes.get(doctype);
    return d == null ? 0 : sum(d.all);
  }

  /** The event time of the newest record in the doctype's totals, or null. */
  public Instant updatedAt(String doctype) {
    DocType d = doctypes.get(doctype);
    return d == null ? null : d.updatedAt;
  }

  /** The doctype's running totals by {@code dimension}, summed, before the privacy floor. */
  public Map<String, Long> totals(String doctype, Dimension dimension) {
    DocType d = doctypes.get(doctype);
    Map<String, Long> out = new TreeMap<>();
    if (d != null) {
      d.totals.getOrDefault(dimension, Map.of()).forEach((cell, p) -> out.put(cell, sum(p)));
    }
    return out;
  }

  /** How many {@code ingest.validated} partitions the watermarks speak of. */
  public int partitions() {
    return partitions;
  }

  /** The privacy floor the counters ask for (the largest of their watermarks). */
  public int minCount() {
    int m = 0;
    for (CountValue.Watermark w : watermarks.values()) {
      m = Math.max(m, w.minCount());
    }
    return m == 0 ? DEFAULT_MIN_COUNT : m;
  }

  /**
   * The instant up to which every partition has closed its minutes: the oldest of their watermarks;
   * empty until every partition has one.
   */
  public Optional<Instant> closedUntil() {
    if (partitions == 0) {
      return Optional.empty();
    }
    Instant min = null;
    for (int p = 0; p < partitions; p++) {
      CountValue.Watermark w = watermarks.get(p);
      if (w == null) {
        return Optional.empty();
      }
      if (min == null || w.closedUntil().isBefore(min)) {
        min = w.closedUntil();
      }
    }
    return Optional.of(min);
  }

  /** Whether every partition has closed {@code minute}. */
  public boolean isClosed(String minute) {
    Optional<Instant> until = closedUntil();
    return until.isPresent() && !CountKey.parseMinute(minute).plusSeconds(60).isAfter(until.get());
  }

  /** The minutes of the doctype that have counts, oldest first (closed or not). */
  public List<String> minutes(String doctype) {
    DocType d = doctypes.get(doctype);
    return d == null ? List.of() : new ArrayList<>(d.minutes.keySet());
  }

  /** The summed cells of one minute (whether closed or not), or empty when it has no counts. */
  public Optional<Minute> minute(String doctype, String minute) {
    DocType d = doctypes.get(doctype);
    Map<Integer, CountValue.Minute> parts = d == null ? null : d.minutes.get(minute);
    if (parts == null || parts.isEmpty()) {
      return Optional.empty();
    }
    long count = 0;
    Map<String, Long> countries = new TreeMap<>();
    Map<String, Long> locations = new TreeMap<>();
    for (CountValue.Minute m : parts.values()) {
      count += m.count();
      m.countries().forEach((k, n) -> countries.merge(k, n, Long::sum));
      m.locations().forEach((k, n) -> locations.merge(k, n, Long::sum));
    }
    return Optional.of(new Minute(count, countries, locations));
  }

  /** {@code cells} with those below {@code minCount} folded into one {@code other} sum. */
  public static Floored floor(Map<String, Long> cells, int minCount) {
    Map<String, Long> kept = new TreeMap<>();
    long other = 0;
    for (Map.Entry<String, Long> e : cells.entrySet()) {
      if (e.getValue() >= minCount) {
        kept.put(e.getKey(), e.getValue());
      } else {
        other += e.getValue();
      }
    }
    return new Floored(kept, other);
  }

  private static long sum(Map<Integer, Long> partials) {
    long n = 0;
    for (long v : partials.values()) {
      n += v;
    }
    return n;
  }
}
