package org.kindling.core.counts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kindling.core.counts.CountKey.Dimension;

class PartialCountsTest {
  private static final String D = "glow.download";
  private static final long M05 = Instant.parse("2026-11-24T18:05:00Z").toEpochMilli();
  private static final long M06 = Instant.parse("2026-11-24T18:06:00Z").toEpochMilli();

  private static void total(PartialCounts c, Dimension d, String cell, int p, long n) {
    c.accept(
        CountKey.total(D, d, cell, p).format(),
        new CountValue.Total(n, Instant.parse("2026-11-24T18:05:30Z")).toJson());
  }

  private static void minute(PartialCounts c, long start, int p, CountValue.Minute m) {
    c.accept(CountKey.minute(D, start, p).format(), m == null ? null : m.toJson());
  }

  private static void watermark(PartialCounts c, int p, long until, int partitions) {
    c.accept(
        CountKey.watermark(p).format(),
        new CountValue.Watermark(Instant.ofEpochMilli(until), partitions, 2).toJson());
  }

  @Test
  void shouldSumThePartialsOfEveryPartitionAndTheTotalsOfTheCountersBefore() {
    PartialCounts c = new PartialCounts();
    total(c, Dimension.ALL, CountKey.ALL, 0, 10);
    total(c, Dimension.ALL, CountKey.ALL, 1, 5);
    total(c, Dimension.COUNTRY, "DE", 0, 4);
    total(c, Dimension.COUNTRY, "DE", 1, 3);
    total(c, Dimension.COUNTRY, "FR", 1, 1);
    c.accept(
        "glow.download|total|country|DE",
        "{\"count\":100,\"updated_at\":\"2026-01-01T00:00:00Z\"}");
    total(c, Dimension.COUNTRY, "DE", 0, 6); // a later partial replaces the earlier one
    assertThat(c.total(D)).isEqualTo(15);
    assertThat(c.totals(D, Dimension.COUNTRY)).isEqualTo(Map.of("DE", 109L, "FR", 1L));
    assertThat(c.counted(D)).isTrue();
    assertThat(c.updatedAt(D)).isEqualTo(Instant.parse("2026-11-24T18:05:30Z"));
    assertThat(PartialCounts.floor(c.totals(D, Dimension.COUNTRY), 2))
        .isEqualTo(new PartialCounts.Floored(Map.of("DE", 109L), 1));
  }

  @Test
  void shouldCloseAMinuteOnlyWhenEveryPartitionHasClosedIt() {
    PartialCounts c = new PartialCounts();
    minute(c, M05, 0, new CountValue.Minute(3, Map.of("DE", 3L), Map.of("52.5,13.4", 3L)));
    watermark(c, 0, M06, 2);
    assertThat(c.isClosed("2026-11-24T18:05Z")).as("partition 1 has said nothing").isFalse();
    watermark(c, 1, M05, 2);
    assertThat(c.isClosed("2026-11-24T18:05Z")).as("partition 1 is behind").isFalse();
    minute(c, M05, 1, new CountValue.Minute(2, Map.of("DE", 1L, "US", 1L), Map.of()));
    watermark(c, 1, M06, 2);
    assertThat(c.closedUntil()).contains(Instant.ofEpochMilli(M06));
    assertThat(c.isClosed("2026-11-24T18:05Z")).isTrue();
    assertThat(c.isClosed("2026-11-24T18:06Z")).isFalse();
    assertThat(c.minute(D, "2026-11-24T18:05Z").orElseThrow())
        .isEqualTo(
            new PartialCounts.Minute(5, Map.of("DE", 4L, "US", 1L), Map.of("52.5,13.4", 3L)));
    assertThat(c.minCount()).isEqualTo(2);

    // a correction replaces the partition's partial; a tombstone forgets it
    minute(c, M05, 1, new CountValue.Minute(3, Map.of("DE", 2L, "US", 1L), Map.of()));
    assertThat(c.minute(D, "2026-11-24T18:05Z").orElseThrow().count()).isEqualTo(6);
    minute(c, M05, 0, null);
    minute(c, M05, 1, null);
    assertThat(c.minute(D, "2026-11-24T18:05Z")).isEmpty();
    assertThat(c.minutes(D)).isEmpty();
  }

  @Test
  void shouldWaitForPartitionsAWatermarkNamesOrThatExist() {
    PartialCounts c = new PartialCounts();
    assertThat(c.closedUntil()).isEmpty();
    assertThat(c.minCount()).isEqualTo(PartialCounts.DEFAULT_MIN_COUNT);
    watermark(c, 0, M06, 1);
    assertThat(c.closedUntil()).contains(Instant.ofEpochMilli(M06));
    // a partition added later than the watermark's count
    watermark(c, 2, M06, 1);
    assertThat(c.partitions()).isEqualTo(3);
    assertThat(c.closedUntil()).isEmpty();
  }
}
