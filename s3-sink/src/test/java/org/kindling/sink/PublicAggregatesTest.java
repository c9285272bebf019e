package org.kindling.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.core.Json;
import org.kindling.core.counts.CountKey;
import org.kindling.core.counts.CountKey.Dimension;
import org.kindling.core.counts.CountValue;
import org.kindling.sink.store.FileSystemObjectStore;

class PublicAggregatesTest {
  private static final String D = "glow.download";
  private static final long M05 = Instant.parse("2026-11-24T18:05:00Z").toEpochMilli();
  private static final long M06 = Instant.parse("2026-11-24T18:06:00Z").toEpochMilli();
  private static final long M07 = Instant.parse("2026-11-24T18:07:00Z").toEpochMilli();
  private static final String MINUTE_05 = "glow/download/minutes/2026-11-24T18:05Z.json";
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-24T18:07:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;

  private JsonNode read(FileSystemObjectStore store, String key) throws Exception {
    return Json.mapper().readTree(store.get("pub", key).orElseThrow());
  }

  private static void minute(
      PublicAggregates agg, long start, int p, long count, Map<String, Long> countries)
      throws Exception {
    agg.accept(
        CountKey.minute(D, start, p).format(),
        new CountValue.Minute(count, countries, Map.of("52.5,13.4", count)).toJson(),
        true);
  }

  private static void watermark(PublicAggregates agg, int p, long until) throws Exception {
    agg.accept(
        CountKey.watermark(p).format(),
        new CountValue.Watermark(Instant.ofEpochMilli(until), 2, 5).toJson(),
        true);
  }

  private static void total(PublicAggregates agg, Dimension d, String cell, int p, long n)
      throws Exception {
    agg.accept(
        CountKey.total(D, d, cell, p).format(),
        new CountValue.Total(n, Instant.parse("2026-11-24T18:05:00Z")).toJson(),
        false);
  }

  @Test
  void shouldWriteAMinuteOnceEveryPartitionClosedItWithTheFloorOnTheSums() throws Exception {
    FileSystemObjectStore store = new FileSystemObjectStore(dir);
    PublicAggregates agg = new PublicAggregates(store, "pub", 60, CLOCK);
    // each partition alone is below the floor of 5; their sum is not
    minute(agg, M05, 0, 3, Map.of("DE", 3L));
    watermark(agg, 0, M06);
    assertThat(store.exists("pub", MINUTE_05)).as("partition 1 has not closed 18:05").isFalse();
    minute(agg, M05, 1, 4, Map.of("DE", 3L, "FR", 1L));
    watermark(agg, 1, M06);

    assertThat(read(store, MINUTE_05))
        .isEqualTo(
            Json.mapper()
                .readTree(
                    """
                    {"doctype":"glow.download","minute":"2026-11-24T18:05Z",
                     "window_start":"2026-11-24T18:05:00Z","window_end":"2026-11-24T18:06:00Z",
                     "total":7,"by_country":{"DE":6,"other":1},
                     "by_location":[{"lat":52.5,"lon":13.4,"count":7}],"location_other":0}
                    """));
    JsonNode latest = read(store, "glow/download/latest.json");
    assertThat(latest.path("latest").asText()).isEqualTo(MINUTE_05);
    assertThat(latest.path("minutes").get(0).path("total").asLong()).isEqualTo(7);

    // a late record corrects the closed minute: the file and latest.json follow
    minute(agg, M05, 1, 5, Map.of("DE", 4L, "FR", 1L));
    assertThat(read(store, MINUTE_05).path("total").asLong()).isEqualTo(8);
    assertThat(read(store, MINUTE_05).path("by_country").path("DE").asLong()).isEqualTo(7);
    assertThat(
            read(store, "glow/download/latest.json").path("minutes").get(0).path("total").asLong())
        .isEqualTo(8);
  }

  @Test
  void shouldPublishTheSummedTotalsOfCountedDoctypesOnly() throws Exception {
    FileSystemObjectStore store = new FileSystemObjectStore(dir);
    PublicAggregates agg = new PublicAggregates(store, "pub", 60, Clock.systemUTC());
    total(agg, Dimension.ALL, CountKey.ALL, 0, 6);
    total(agg, Dimension.ALL, CountKey.ALL, 1, 4);
    total(agg, Dimension.CONTINENT, "EU", 0, 4);
    total(agg, Dimension.CONTINENT, "EU", 1, 3);
    total(agg, Dimension.COUNTRY, "DE", 0, 4);
    total(agg, Dimension.COUNTRY, "DE", 1, 3);
    total(agg, Dimension.COUNTRY, "FR", 1, 2);
    total(agg, Dimension.SUBDIVISION, "US-CA", 1, 3);
    // a total of the counters before they counted per partition adds in
    agg.accept(
        "glow.download|total|subdivision|US-CA",
        "{\"count\":2,\"updated_at\":\"2026-11-01T00:00:00Z\"}",
        false);
    agg.accept(
        "telemetry.main|total|all|all|0",
        "{\"count\":4,\"updated_at\":\"2026-11-24T18:05:00Z\"}",
        false);

    agg.publish();

    assertThat(read(store, "glow/download/summary.json"))
        .isEqualTo(
            Json.mapper()
                .readTree(
                    """
                    {"doctype":"glow.download","total":10,"by_continent":{"EU":7,"other":0},
                     "by_country":{"DE":7,"other":2},"by_subdivision":{"US-CA":5,"other":0},
                     "updated_at":"2026-11-24T18:05:00Z"}
                    """));
    assertThat(store.list("pub", "telemetry/")).isEmpty();
  }

  @Test
  void shouldNeverMoveTheSummaryOrLatestBackwardsWhenTwoWritersRunSideBySide() throws Exception {
    FileSystemObjectStore store = new FileSystemObjectStore(dir);
    PublicAggregates ahead = new PublicAggregates(store, "pub", 60, CLOCK);
    PublicAggregates behind = new PublicAggregates(store, "pub", 60, CLOCK);
    for (PublicAggregates agg : new PublicAggregates[] {ahead, behind}) {
      total(agg, Dimension.COUNTRY, "DE", 0, 5);
      total(agg, Dimension.ALL, CountKey.ALL, 0, 10);
      minute(agg, M05, 0, 10, Map.of("DE", 10L));
      minute(agg, M05, 1, 0, Map.of());
      watermark(agg, 0, M06);
      watermark(agg, 1, M06);
    }
    // the writer ahead has read more: a larger total and a newer minute
    total(ahead, Dimension.ALL, CountKey.ALL, 0, 20);
    minute(ahead, M06, 0, 10, Map.of("DE", 10L));
    watermark(ahead, 0, M07);
    watermark(ahead, 1, M07);
    ahead.publish();
    behind.publish();

    assertThat(read(store, "glow/download/summary.json").path("total").asLong()).isEqualTo(20);
    assertThat(read(store, "glow/download/latest.json").path("latest_minute").asText())
        .isEqualTo("2026-11-24T18:06Z");
  }
}
