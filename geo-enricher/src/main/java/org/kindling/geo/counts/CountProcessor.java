package org.kindling.geo.counts;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.kindling.core.counts.CountKey;
import org.kindling.core.counts.CountKey.Dimension;
import org.kindling.core.counts.CountValue;

/**
 * The counters: running totals and per-minute tumbling windows, on event time (the record
 * timestamp, which is the submission timestamp), keyed by doctype id. Keys and values are those of
 * {@link CountKey} and {@link CountValue}.
 *
 * <p>Running totals ({@value #TOTALS_STORE}) are written every {@code totalsInterval} of wall-clock
 * time for the (doctype, dimension) pairs that changed, and for every pair once after start-up. Geo
 * cells below the privacy floor are written as the dimension's {@code other} cell (the sum of all
 * such cells, which can go down when one of them crosses the floor).
 *
 * <p>A minute ({@value #MINUTES_STORE}) closes when the task's stream time reaches its end plus
 * grace; it is then written once: its country and location cells at or above the floor, the {@code
 * other} cells, and last {@code all|all} with the number of cells written. Records for a closed
 * minute count in the totals but not in the minute, and increment {@code late_records}. {@value
 * #OPEN_MINUTES_STORE} lists open minutes by end time, so closing costs nothing while no minute is
 * due.
 */
public final class CountProcessor implements Processor<String, CountEvent, String, String> {
  public static final String TOTALS_STORE = "counts-totals-store";
  public static final String MINUTES_STORE = "counts-minutes-store";
  public static final String OPEN_MINUTES_STORE = "counts-open-minutes-store";

  /** Micrometer counter of records that arrived after their minute closed. */
  public static final String LATE_RECORDS = "late_records";

  private static final long MINUTE_MS = 60_000L;

  /** A (doctype, dimension) whose totals changed since they were last written. */
  private record Changed(String doctype, Dimension dimension) {}

  private final CountSettings settings;
  private final MeterRegistry registry;
  private final long graceMs;

  private ProcessorContext<String, String> context;
  private KeyValueStore<String, Tally> totals;
  private KeyValueStore<String, Long> minutes;
  private KeyValueStore<String, String> openMinutes;
  private final Set<Changed> dirty = new LinkedHashSet<>();
  private boolean allDirty = true;
  private long earliestOpenEnd = Long.MAX_VALUE;

  public CountProcessor(CountSettings settings, MeterRegistry registry) {
    this.settings = settings;
    this.registry = registry;
    this.graceMs = settings.grace().toMillis();
  }

  @Override
  public void init(ProcessorContext<String, String> context) {
    this.context = context;
    this.totals = context.getStateStore(TOTALS_STORE);
    this.minutes = context.getStateStore(MINUTES_STORE);
    this.openMinutes = context.getStateStore(OPEN_MINUTES_STORE);
    this.earliestOpenEnd = earliestOpenEnd();
    context.schedule(
        settings.totalsInterval(), PunctuationType.WALL_CLOCK_TIME, t -> flushTotals());
  }

  @Override
  public void process(Record<String, CountEvent> record) {
    String doctype = record.key();
    CountEvent event = record.value();
    long time = record.timestamp();
    if (doctype != null && event != null) {
      count(doctype, Dimension.ALL, CountKey.ALL, time);
      if (settings.countedDoctypes().contains(doctype)) {
        count(doctype, Dimension.CONTINENT, event.continent(), time);
        count(doctype, Dimension.COUNTRY, event.country(), time);
        count(doctype, Dimension.SUBDIVISION, event.subdivision(), time);
        countMinute(doctype, event, time);
      }
    }
    closeMinutes(context.currentStreamTimeMs());
  }

  private void count(String doctype, Dimension dimension, String value, long time) {
    if (value == null) {
      return;
    }
    String key = CountKey.total(doctype, dimension, value).format();
    Tally old = totals.get(key);
    totals.put(key, old == null ? new Tally(1, time) : old.plus(time));
    dirty.add(new Changed(doctype, dimension));
  }

  private void countMinute(String doctype, CountEvent event, long time) {
    long start = time - Math.floorMod(time, MINUTE_MS);
    long end = start + MINUTE_MS;
    if (end + graceMs <= context.currentStreamTimeMs()) {
      registry.counter(LATE_RECORDS, "doctype", doctype).increment();
      return;
    }
    increment(CountKey.minuteClose(doctype, start));
    if (event.country() != null) {
      increment(CountKey.minute(doctype, start, Dimension.COUNTRY, event.country()));
    }
    if (event.location() != null) {
      increment(CountKey.minute(doctype, start, Dimension.LOCATION, event.location()));
    }
    // key <end, 20 digits>|<minute prefix>, value the minute prefix (the store's format since
    // its first version; kept so that state of an earlier run still closes its minutes)
    String prefix = CountKey.minutePrefix(doctype, CountKey.formatMinute(start));
    String openKey = String.format(Locale.ROOT, "%020d", end) + CountKey.SEPARATOR + prefix;
    if (openMinutes.get(openKey) == null) {
      openMinutes.put(openKey, prefix);
      earliestOpenEnd = Math.min(earliestOpenEnd, end);
    }
  }

  private void increment(CountKey key) {
    String k = key.format();
    Long old = minutes.get(k);
    minutes.put(k, old == null ? 1L : old + 1);
  }

  private void closeMinutes(long streamTime) {
    if (earliestOpenEnd == Long.MAX_VALUE || earliestOpenEnd + graceMs > streamTime) {
      return;
    }
    List<KeyValue<String, String>> due = new ArrayList<>();
    try (KeyValueIterator<String, String> it = openMinutes.all()) {
      while (it.hasNext()) {
        KeyValue<String, String> open = it.next();
        if (endOf(open.key) + graceMs > streamTime) {
          break;
        }
        due.add(open);
      }
    }
    for (KeyValue<String, String> open : due) {
      String doctype = open.value.substring(0, open.value.indexOf(CountKey.SEPARATOR));
      emitMinute(doctype, endOf(open.key) - MINUTE_MS);
      openMinutes.delete(open.key);
    }
    earliestOpenEnd = earliestOpenEnd();
  }

  private static long endOf(String openKey) {
    return Long.parseLong(openKey.substring(0, 20));
  }

  private void emitMinute(String doctype, long start) {
    long all = 0;
    Map<String, Long> countries = new TreeMap<>();
    Map<String, Long> locations = new TreeMap<>();
    List<String> keys = new ArrayList<>();
    String prefix = CountKey.minutePrefix(doctype, CountKey.formatMinute(start));
    try (KeyValueIterator<String, Long> it = minutes.prefixScan(prefix, new StringSerializer())) {
      while (it.hasNext()) {
        KeyValue<String, Long> cell = it.next();
        keys.add(cell.key);
        CountKey key = CountKey.parse(cell.key);
        switch (key.dimension()) {
          case ALL -> all = cell.value;
          case COUNTRY -> countries.put(key.value(), cell.value);
          case LOCATION -> locations.put(key.value(), cell.value);
          default -> {}
        }
      }
    }
    keys.forEach(minutes::delete);
    int cells =
        emitFloored(doctype, start, Dimension.COUNTRY, countries)
            + emitFloored(doctype, start, Dimension.LOCATION, locations);
    CountValue.MinuteClose close =
        new CountValue.MinuteClose(
            all, cells, Instant.ofEpochMilli(start), Instant.ofEpochMilli(start + MINUTE_MS));
    context.forward(
        new Record<>(CountKey.minuteClose(doctype, start).format(), close.toJson(), start));
  }

  /** Writes cells at or above the floor and one {@code other} cell; returns the cells written. */
  private int emitFloored(
      String doctype, long start, Dimension dimension, Map<String, Long> cells) {
    int written = 0;
    long other = 0;
    for (Map.Entry<String, Long> cell : cells.entrySet()) {
      if (cell.getValue() >= settings.minCount()) {
        forwardCell(
            CountKey.minute(doctype, start, dimension, cell.getKey()), cell.getValue(), start);
        written++;
      } else {
        other += cell.getValue();
      }
    }
    if (other > 0) {
      forwardCell(CountKey.minute(doctype, start, dimension, CountKey.OTHER), other, start);
      written++;
    }
    return written;
  }

  private void forwardCell(CountKey key, long count, long time) {
    context.forward(new Record<>(key.format(), new CountValue.Cell(count).toJson(), time));
  }

  private void flushTotals() {
    if (allDirty) {
      try (KeyValueIterator<String, Tally> it = totals.all()) {
        while (it.hasNext()) {
          CountKey key = CountKey.parse(it.next().key);
          dirty.add(new Changed(key.doctype(), key.dimension()));
        }
      }
      allDirty = false;
    }
    for (Changed changed : dirty) {
      if (changed.dimension() == Dimension.ALL) {
        CountKey key = CountKey.total(changed.doctype(), Dimension.ALL, CountKey.ALL);
        Tally tally = totals.get(key.format());
        if (tally != null) {
          forwardTotal(key, tally);
        }
      } else if (Dimension.TOTALS.contains(changed.dimension())) {
        flushDimension(changed.doctype(), changed.dimension());
      }
    }
    dirty.clear();
  }

  private void flushDimension(String doctype, Dimension dimension) {
    String prefix = CountKey.totalPrefix(doctype, dimension);
    long other = 0;
    long otherUpdated = 0;
    long latest = 0;
    try (KeyValueIterator<String, Tally> it = totals.prefixScan(prefix, new StringSerializer())) {
      while (it.hasNext()) {
        KeyValue<String, Tally> cell = it.next();
        latest = Math.max(latest, cell.value.updatedAt());
        if (cell.value.count() >= settings.minCount()) {
          forwardTotal(CountKey.parse(cell.key), cell.value);
        } else {
          other += cell.value.count();
          otherUpdated = Math.max(otherUpdated, cell.value.updatedAt());
        }
      }
    }
    // Always written, also as 0, so that it goes down when its last small cell crosses the floor.
    long updated = other > 0 ? otherUpdated : latest;
    forwardTotal(CountKey.total(doctype, dimension, CountKey.OTHER), new Tally(other, updated));
  }

  private void forwardTotal(CountKey key, Tally tally) {
    CountValue.Total value =
        new CountValue.Total(tally.count(), Instant.ofEpochMilli(tally.updatedAt()));
    context.forward(new Record<>(key.format(), value.toJson(), tally.updatedAt()));
  }

  private long earliestOpenEnd() {
    try (KeyValueIterator<String, String> it = openMinutes.all()) {
      return it.hasNext() ? endOf(it.next().key) : Long.MAX_VALUE;
    }
  }
}
