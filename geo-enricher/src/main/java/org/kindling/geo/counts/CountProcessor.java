package org.kindling.geo.counts;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The counters: running totals and per-minute tumbling windows, on event time (the record
 * timestamp, which is the submission timestamp), keyed by doctype id.
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
  private static final List<String> TOTAL_DIMENSIONS =
      List.of(CountKeys.CONTINENT, CountKeys.COUNTRY, CountKeys.SUBDIVISION);

  private final CountSettings settings;
  private final MeterRegistry registry;
  private final long graceMs;

  private ProcessorContext<String, String> context;
  private KeyValueStore<String, Tally> totals;
  private KeyValueStore<String, Long> minutes;
  private KeyValueStore<String, String> openMinutes;
  private final TreeSet<String> dirty = new TreeSet<>();
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
      count(doctype, CountKeys.ALL, CountKeys.ALL, time);
      if (settings.countedDoctypes().contains(doctype)) {
        count(doctype, CountKeys.CONTINENT, event.continent(), time);
        count(doctype, CountKeys.COUNTRY, event.country(), time);
        count(doctype, CountKeys.SUBDIVISION, event.subdivision(), time);
        countMinute(doctype, event, time);
      }
    }
    closeMinutes(context.currentStreamTimeMs());
  }

  private void count(String doctype, String dimension, String value, long time) {
    if (value == null) {
      return;
    }
    String key = CountKeys.total(doctype, dimension, value);
    Tally old = totals.get(key);
    totals.put(key, old == null ? new Tally(1, time) : old.plus(time));
    dirty.add(doctype + CountKeys.SEPARATOR + dimension);
  }

  private void countMinute(String doctype, CountEvent event, long time) {
    long start = time - Math.floorMod(time, MINUTE_MS);
    long end = start + MINUTE_MS;
    if (end + graceMs <= context.currentStreamTimeMs()) {
      registry.counter(LATE_RECORDS, "doctype", doctype).increment();
      return;
    }
    String prefix = CountKeys.minutePrefix(doctype, start);
    increment(prefix + CountKeys.ALL + CountKeys.SEPARATOR + CountKeys.ALL);
    if (event.country() != null) {
      increment(prefix + CountKeys.COUNTRY + CountKeys.SEPARATOR + event.country());
    }
    if (event.location() != null) {
      increment(prefix + CountKeys.LOCATION + CountKeys.SEPARATOR + event.location());
    }
    String openKey = String.format(Locale.ROOT, "%020d", end) + CountKeys.SEPARATOR + prefix;
    if (openMinutes.get(openKey) == null) {
      openMinutes.put(openKey, prefix);
      earliestOpenEnd = Math.min(earliestOpenEnd, end);
    }
  }

  private void increment(String key) {
    Long old = minutes.get(key);
    minutes.put(key, old == null ? 1L : old + 1);
  }

  private void closeMinutes(long streamTime) {
    if (earliestOpenEnd == Long.MAX_VALUE || earliestOpenEnd + graceMs > streamTime) {
      return;
    }
    List<KeyValue<String, String>> due = new ArrayList<>();
    try (KeyValueIterator<String, String> it = openMinutes.all()) {
      while (it.hasNext()) {
        KeyValue<String, String> open = it.next();
        long end = Long.parseLong(open.key.substring(0, 20));
        if (end + graceMs > streamTime) {
          break;
        }
        due.add(open);
      }
    }
    for (KeyValue<String, String> open : due) {
      long end = Long.parseLong(open.key.substring(0, 20));
      emitMinute(open.value, end - MINUTE_MS);
      openMinutes.delete(open.key);
    }
    earliestOpenEnd = earliestOpenEnd();
  }

  private void emitMinute(String prefix, long start) {
    long all = 0;
    Map<String, Long> countries = new TreeMap<>();
    Map<String, Long> locations = new TreeMap<>();
    List<String> keys = new ArrayList<>();
    try (KeyValueIterator<String, Long> it = minutes.prefixScan(prefix, new StringSerializer())) {
      while (it.hasNext()) {
        KeyValue<String, Long> cell = it.next();
        keys.add(cell.key);
        String rest = cell.key.substring(prefix.length());
        int bar = rest.indexOf('|');
        String dimension = rest.substring(0, bar);
        String value = rest.substring(bar + 1);
        if (dimension.equals(CountKeys.ALL)) {
          all = cell.value;
        } else if (dimension.equals(CountKeys.COUNTRY)) {
          countries.put(value, cell.value);
        } else if (dimension.equals(CountKeys.LOCATION)) {
          locations.put(value, cell.value);
        }
      }
    }
    keys.forEach(minutes::delete);
    int cells =
        emitFloored(prefix + CountKeys.COUNTRY + CountKeys.SEPARATOR, countries, start)
            + emitFloored(prefix + CountKeys.LOCATION + CountKeys.SEPARATOR, locations, start);
    String value =
        "{\"count\":"
            + all
            + ",\"cells\":"
            + cells
            + ",\"window_start\":\""
            + Instant.ofEpochMilli(start)
            + "\",\"window_end\":\""
            + Instant.ofEpochMilli(start + MINUTE_MS)
            + "\"}";
    context.forward(
        new Record<>(prefix + CountKeys.ALL + CountKeys.SEPARATOR + CountKeys.ALL, value, start));
  }

  /** Writes cells at or above the floor and one {@code other} cell; returns the cells written. */
  private int emitFloored(String keyPrefix, Map<String, Long> cells, long time) {
    int written = 0;
    long other = 0;
    for (Map.Entry<String, Long> cell : cells.entrySet()) {
      if (cell.getValue() >= settings.minCount()) {
        context.forward(new Record<>(keyPrefix + cell.getKey(), count(cell.getValue()), time));
        written++;
      } else {
        other += cell.getValue();
      }
    }
    if (other > 0) {
      context.forward(new Record<>(keyPrefix + CountKeys.OTHER, count(other), time));
      written++;
    }
    return written;
  }

  private static String count(long n) {
    return "{\"count\":" + n + "}";
  }

  private void flushTotals() {
    if (allDirty) {
      try (KeyValueIterator<String, Tally> it = totals.all()) {
        while (it.hasNext()) {
          String key = it.next().key;
          int second = key.indexOf('|', key.indexOf('|') + 1);
          int third = key.indexOf('|', second + 1);
          dirty.add(key.substring(0, key.indexOf('|')) + key.substring(second, third));
        }
      }
      allDirty = false;
    }
    for (String pair : dirty) {
      int bar = pair.lastIndexOf('|');
      String doctype = pair.substring(0, bar);
      String dimension = pair.substring(bar + 1);
      if (dimension.equals(CountKeys.ALL)) {
        String key = CountKeys.total(doctype, CountKeys.ALL, CountKeys.ALL);
        Tally tally = totals.get(key);
        if (tally != null) {
          context.forward(new Record<>(key, tallyJson(tally), tally.updatedAt()));
        }
      } else if (TOTAL_DIMENSIONS.contains(dimension)) {
        flushDimension(doctype, dimension);
      }
    }
    dirty.clear();
  }

  private void flushDimension(String doctype, String dimension) {
    String prefix = CountKeys.total(doctype, dimension, "");
    long other = 0;
    long otherUpdated = 0;
    long latest = 0;
    try (KeyValueIterator<String, Tally> it = totals.prefixScan(prefix, new StringSerializer())) {
      while (it.hasNext()) {
        KeyValue<String, Tally> cell = it.next();
        latest = Math.max(latest, cell.value.updatedAt());
        if (cell.value.count() >= settings.minCount()) {
          context.forward(new Record<>(cell.key, tallyJson(cell.value), cell.value.updatedAt()));
        } else {
          other += cell.value.count();
          otherUpdated = Math.max(otherUpdated, cell.value.updatedAt());
        }
      }
    }
    // Always written, also as 0, so that it goes down when its last small cell crosses the floor.
    long updated = other > 0 ? otherUpdated : latest;
    context.forward(
        new Record<>(prefix + CountKeys.OTHER, tallyJson(new Tally(other, updated)), updated));
  }

  private static String tallyJson(Tally tally) {
    return "{\"count\":"
        + tally.count()
        + ",\"updated_at\":\""
        + Instant.ofEpochMilli(tally.updatedAt()).truncatedTo(ChronoUnit.SECONDS)
        + "\"}";
  }

  private long earliestOpenEnd() {
    try (KeyValueIterator<String, String> it = openMinutes.all()) {
      return it.hasNext() ? Long.parseLong(it.next().key.substring(0, 20)) : Long.MAX_VALUE;
    }
  }
}
