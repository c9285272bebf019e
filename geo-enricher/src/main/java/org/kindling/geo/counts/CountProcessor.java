package org.kindling.geo.counts;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
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
 * The counters of one enrich task: they count the records of the task's own {@code
 * ingest.validated} partition, on that partition's event time (the submission timestamp), and write
 * partial counts tagged with the partition to {@code ingest.counts} ({@link CountKey}). The public
 * writer sums the partials of every partition; nothing is repartitioned, so a partition that
 * replays a backlog never makes another partition's records late.
 *
 * <ul>
 *   <li><b>Totals</b> ({@value #TOTALS_STORE}): the partition's running count of every cell,
 *       written every {@code totalsInterval} of wall-clock time for the cells that changed (every
 *       cell once after start-up). Every doctype has the cell {@code all|all}; counted doctypes
 *       also have continent, country and subdivision cells.
 *   <li><b>Minutes</b> (counted doctypes; cells in {@value #MINUTES_STORE}): the partition's count,
 *       countries and locations of each minute. A minute closes when the partition's stream time
 *       passes its end plus the grace, or, when the partition has received nothing for the idle
 *       period of wall-clock time, when the wall clock does; its partial is then written, followed
 *       by the partition's watermark. A record for a minute the partition has closed still counts:
 *       the minute's partial is written again at once (a correction, counted in {@value
 *       #LATE_RECORDS}), and the writer corrects the published minute. Minutes are kept for {@code
 *       retention} after they close, then deleted and tombstoned on {@code ingest.counts}, which
 *       bounds the compacted topic; a record for a minute older than that counts in the totals only
 *       ({@value #EXPIRED_RECORDS}).
 * </ul>
 *
 * <p>Every write of this task goes to the {@code ingest.counts} partition of its source partition
 * ({@link CountsPartitioner}), in order, so a reader sees a minute's partial before the watermark
 * that closes it. State and writes commit in the task's exactly-once transaction.
 */
public final class CountProcessor implements Processor<String, CountEvent, String, String> {
  public static final String TOTALS_STORE = "counts-partition-totals-store";
  public static final String MINUTES_STORE = "counts-partition-minutes-store";
  public static final String STATE_STORE = "counts-partition-state-store";

  /** Micrometer counter of records counted into a minute their partition had already closed. */
  public static final String LATE_RECORDS = "late_records";

  /** Micrometer counter of records for a minute past the retention: in the totals only. */
  public static final String EXPIRED_RECORDS = "expired_late_records";

  private static final long MINUTE_MS = 60_000L;
  private static final String CLOSED_UNTIL = "closed_until";
  private static final String OPEN = "open|";

  private final CountSettings settings;
  private final MeterRegistry registry;
  private final long graceMs;
  private final long idleMs;
  private final long retentionMs;

  private ProcessorContext<String, String> context;
  private int partition;
  private KeyValueStore<String, Tally> totals;
  private KeyValueStore<String, Long> minutes;
  private KeyValueStore<String, String> state;
  private final Set<String> dirtyTotals = new LinkedHashSet<>();
  private boolean allDirty = true;
  private long closedUntil;
  private long lastRecordWallMs;
  private long lastCleanupMs;

  public CountProcessor(CountSettings settings, MeterRegistry registry) {
    this.settings = settings;
    this.registry = registry;
    this.graceMs = settings.grace().toMillis();
    this.idleMs = settings.idle().toMillis();
    this.retentionMs = settings.retention().toMillis();
  }

  @Override
  public void init(ProcessorContext<String, String> context) {
    this.context = context;
    this.partition = context.taskId().partition();
    this.totals = context.getStateStore(TOTALS_STORE);
    this.minutes = context.getStateStore(MINUTES_STORE);
    this.state = context.getStateStore(STATE_STORE);
    String c = state.get(CLOSED_UNTIL);
    this.closedUntil = c == null ? 0 : Long.parseLong(c);
    this.lastRecordWallMs = context.currentSystemTimeMs();
    context.schedule(settings.totalsInterval(), PunctuationType.WALL_CLOCK_TIME, this::punctuate);
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
    lastRecordWallMs = context.currentSystemTimeMs();
    advance(context.currentStreamTimeMs() - graceMs);
  }

  private void count(String doctype, Dimension dimension, String value, long time) {
    if (value == null) {
      return;
    }
    String key = CountKey.total(doctype, dimension, value, CountKey.LEGACY).format();
    Tally old = totals.get(key);
    totals.put(key, old == null ? new Tally(1, time) : old.plus(time));
    dirtyTotals.add(key);
  }

  private void countMinute(String doctype, CountEvent event, long time) {
    long start = time - Math.floorMod(time, MINUTE_MS);
    boolean closed = start + MINUTE_MS <= closedUntil;
    if (closed && start + MINUTE_MS <= closedUntil - retentionMs) {
      registry.counter(EXPIRED_RECORDS, "doctype", doctype).increment();
      return;
    }
    String prefix = cellPrefix(start, doctype);
    increment(prefix + Dimension.ALL.id() + CountKey.SEPARATOR + CountKey.ALL);
    if (event.country() != null) {
      increment(prefix + Dimension.COUNTRY.id() + CountKey.SEPARATOR + event.country());
    }
    if (event.location() != null) {
      increment(prefix + Dimension.LOCATION.id() + CountKey.SEPARATOR + event.location());
    }
    if (closed) {
      // a correction: the partition closed this minute already, so its partial goes out again now,
      // in this record's transaction
      registry.counter(LATE_RECORDS, "doctype", doctype).increment();
      emitMinute(doctype, start);
    } else {
      String open = OPEN + minuteKey(start, doctype);
      if (state.get(open) == null) {
        state.put(open, doctype);
      }
    }
  }

  private void increment(String key) {
    Long old = minutes.get(key);
    minutes.put(key, old == null ? 1L : old + 1);
  }

  /**
   * Closes every open minute that ends at or before {@code time} (rounded down to a minute), then
   * writes the watermark.
   */
  private void advance(long time) {
    long target = time - Math.floorMod(time, MINUTE_MS);
    if (target <= closedUntil) {
      return;
    }
    List<KeyValue<String, String>> due = new ArrayList<>();
    String last = OPEN + minuteKey(target - MINUTE_MS, "\uffff");
    try (KeyValueIterator<String, String> it = state.range(OPEN, last)) {
      while (it.hasNext()) {
        due.add(it.next());
      }
    }
    for (KeyValue<String, String> open : due) {
      long start = parseStart(open.key.substring(OPEN.length()));
      emitMinute(open.value, start);
      state.delete(open.key);
    }
    closedUntil = target;
    state.put(CLOSED_UNTIL, Long.toString(closedUntil));
    CountValue.Watermark w =
        new CountValue.Watermark(
            Instant.ofEpochMilli(closedUntil), settings.sourcePartitions(), settings.minCount());
    context.forward(new Record<>(CountKey.watermark(partition).format(), w.toJson(), closedUntil));
  }

  /** Writes the partition's partial of one minute, from its cells. */
  private void emitMinute(String doctype, long start) {
    long count = 0;
    Map<String, Long> countries = new TreeMap<>();
    Map<String, Long> locations = new TreeMap<>();
    String prefix = cellPrefix(start, doctype);
    try (KeyValueIterator<String, Long> it = minutes.prefixScan(prefix, new StringSerializer())) {
      while (it.hasNext()) {
        KeyValue<String, Long> cell = it.next();
        String rest = cell.key.substring(prefix.length());
        int bar = rest.indexOf('|');
        String value = rest.substring(bar + 1);
        switch (Dimension.of(rest.substring(0, bar))) {
          case ALL -> count = cell.value;
          case COUNTRY -> countries.put(value, cell.value);
          case LOCATION -> locations.put(value, cell.value);
          default -> {}
        }
      }
    }
    CountValue.Minute m = new CountValue.Minute(count, countries, locations);
    context.forward(
        new Record<>(CountKey.minute(doctype, start, partition).format(), m.toJson(), start));
  }

  private void punctuate(long wallClockMs) {
    flushTotals();
    if (wallClockMs - lastRecordWallMs >= idleMs) {
      // nothing arrived for the idle period: a partition behind on a backlog is fed without
      // pauses, so this one is quiet, and the minutes that ended a grace ago close by the wall
      // clock (a quiet doctype's last minute too)
      advance(wallClockMs - graceMs);
    }
    if (wallClockMs - lastCleanupMs >= MINUTE_MS) {
      lastCleanupMs = wallClockMs;
      expire(closedUntil - retentionMs);
    }
  }

  /** Deletes the cells of minutes that ended before {@code before}, with a tombstone per minute. */
  private void expire(long before) {
    if (before <= 0) {
      return;
    }
    List<String> keys = new ArrayList<>();
    Set<String> expired = new LinkedHashSet<>();
    String last = cellPrefix(before - MINUTE_MS, "\uffff");
    try (KeyValueIterator<String, Long> it = minutes.all()) {
      while (it.hasNext()) {
        String key = it.next().key;
        if (key.compareTo(last) > 0) {
          break; // keys sort by minute
        }
        keys.add(key);
        int second = key.indexOf('|', key.indexOf('|') + 1);
        expired.add(key.substring(0, second));
      }
    }
    keys.forEach(minutes::delete);
    for (String minuteKey : expired) {
      int bar = minuteKey.indexOf('|');
      long start = parseStart(minuteKey);
      String doctype = minuteKey.substring(bar + 1);
      context.forward(
          new Record<String, String>(
              CountKey.minute(doctype, start, partition).format(), null, start));
    }
  }

  private void flushTotals() {
    if (allDirty) {
      try (KeyValueIterator<String, Tally> it = totals.all()) {
        while (it.hasNext()) {
          dirtyTotals.add(it.next().key);
        }
      }
      allDirty = false;
    }
    for (String key : dirtyTotals) {
      Tally tally = totals.get(key);
      if (tally == null) {
        continue;
      }
      CountKey k = CountKey.parse(key);
      CountKey partial = CountKey.total(k.doctype(), k.dimension(), k.value(), partition);
      CountValue.Total value =
          new CountValue.Total(tally.count(), Instant.ofEpochMilli(tally.updatedAt()));
      context.forward(new Record<>(partial.format(), value.toJson(), tally.updatedAt()));
    }
    dirtyTotals.clear();
  }

  /** {@code <minute>|<doctype>}: minutes sort by time in the stores. */
  private static String minuteKey(long start, String doctype) {
    return CountKey.formatMinute(start) + CountKey.SEPARATOR + doctype;
  }

  private static String cellPrefix(long start, String doctype) {
    return minuteKey(start, doctype) + CountKey.SEPARATOR;
  }

  private static long parseStart(String minuteKey) {
    return CountKey.parseMinute(minuteKey.substring(0, minuteKey.indexOf('|'))).toEpochMilli();
  }
}
