package org.kindling.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.core.Json;
import org.kindling.sink.store.FileSystemObjectStore;

class PublicAggregatesTest {
  @TempDir Path dir;

  private JsonNode read(FileSystemObjectStore store, String key) throws Exception {
    return Json.mapper().readTree(store.get("pub", key).orElseThrow());
  }

  @Test
  void shouldWriteMinuteFileOnlyWhenAllCellsArrivedThenLatest() throws Exception {
    FileSystemObjectStore store = new FileSystemObjectStore(dir);
    PublicAggregates agg =
        new PublicAggregates(
            store, "pub", 60, Clock.fixed(Instant.parse("2026-11-24T18:07:00Z"), ZoneOffset.UTC));
    String m = "glow.download|minute|2026-11-24T18:05Z|";
    agg.accept(m + "country|DE", "{\"count\":3}", true);
    agg.accept(m + "location|52.5,13.4", "{\"count\":3}", true);
    // all|all says 3 cells: one is still missing
    agg.accept(
        m + "all|all",
        "{\"count\":5,\"cells\":3,\"window_start\":\"2026-11-24T18:05:00Z\","
            + "\"window_end\":\"2026-11-24T18:06:00Z\"}",
        true);
    assertThat(store.exists("pub", "glow/download/minutes/2026-11-24T18:05Z.json")).isFalse();
    assertThat(store.exists("pub", "glow/download/latest.json")).isFalse();

    agg.accept(m + "country|other", "{\"count\":2}", true);

    JsonNode minute = read(store, "glow/download/minutes/2026-11-24T18:05Z.json");
    assertThat(minute)
        .isEqualTo(
            Json.mapper()
                .readTree(
                    """
                    {"doctype":"glow.download","minute":"2026-11-24T18:05Z",
                     "window_start":"2026-11-24T18:05:00Z","window_end":"2026-11-24T18:06:00Z",
                     "total":5,"by_country":{"DE":3,"other":2},
                     "by_location":[{"lat":52.5,"lon":13.4,"count":3}],"location_other":0}
                    """));
    JsonNode latest = read(store, "glow/download/latest.json");
    assertThat(latest.path("latest").asText())
        .isEqualTo("glow/download/minutes/2026-11-24T18:05Z.json");
    assertThat(latest.path("minutes").get(0).path("total").asLong()).isEqualTo(5);
    assertThat(store.exists("pub", latest.path("latest").asText())).isTrue();
  }

  @Test
  void shouldPublishSummaryOfCountedDoctypesOnly() throws Exception {
    FileSystemObjectStore store = new FileSystemObjectStore(dir);
    PublicAggregates agg = new PublicAggregates(store, "pub", 60, Clock.systemUTC());
    agg.accept(
        "glow.download|total|all|all",
        "{\"count\":10,\"updated_at\":\"2026-11-24T18:05:00Z\"}",
        false);
    agg.accept(
        "glow.download|total|continent|EU",
        "{\"count\":7,\"updated_at\":\"2026-11-24T18:04:00Z\"}",
        false);
    agg.accept(
        "glow.download|total|country|DE",
        "{\"count\":7,\"updated_at\":\"2026-11-24T18:04:00Z\"}",
        false);
    agg.accept(
        "glow.download|total|subdivision|US-CA",
        "{\"count\":3,\"updated_at\":\"2026-11-24T18:04:00Z\"}",
        false);
    agg.accept(
        "telemetry.main|total|all|all",
        "{\"count\":4,\"updated_at\":\"2026-11-24T18:05:00Z\"}",
        false);

    agg.publish();

    assertThat(read(store, "glow/download/summary.json"))
        .isEqualTo(
            Json.mapper()
                .readTree(
                    """
                    {"doctype":"glow.download","total":10,"by_continent":{"EU":7},
                     "by_country":{"DE":7},"by_subdivision":{"US-CA":3},
                     "updated_at":"2026-11-24T18:05:00Z"}
                    """));
    assertThat(store.list("pub", "telemetry/")).isEmpty();
  }
}
