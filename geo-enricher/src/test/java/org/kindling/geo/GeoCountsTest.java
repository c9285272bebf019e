package org.kindling.geo;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.core.Topics;
import org.kindling.geo.counts.CountProcessor;
import org.kindling.geo.counts.CountSettings;
import org.kindling.testkit.GeoIpTestData;

/**
 * The counters of one partition on ingest.counts: partial totals and minutes on the partition's
 * event time, the grace, corrections of closed minutes, closing by the wall clock, the retention.
 */
class GeoCountsTest {
  private static final String BERLIN = "2.10.1.10";
  private static final String WITTENBERGE = "2.11.1.10";
  private static final String PARIS = "2.12.1.10";
  private static final String SAN_FRANCISCO = "2.20.1.10";
  private static final String NEW_YORK = "2.22.1.10";
  private static final String PRIVATE = "10.1.2.3";

  private static GeoDatabase database;
  private static ParseUserAgent parseUserAgent;

  @TempDir Path stateDir;
  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> validated;
  private TestOutputTopic<String, String> counts;
  private SimpleMeterRegistry registry;
  private int n;

  @BeforeAll
  static void openDatabase() throws Exception {
    database = GeoDatabase.open(GeoIpTestData.cityDatabase());
    parseUserAgent = new ParseUserAgent(100);
  }

  @AfterAll
  static void closeDatabase() {
    database.close();
  }

  private void start(int minCount) {
    start(minCount, CountSettings.DEFAULT_RETENTION);
  }

  private void start(int minCount, Duration retention) {
    registry = new SimpleMeterRegistry();
    Properties props = GeoTestDriver.props(stateDir);
    driver =
        new TopologyTestDriver(
            GeoEnricherTopology.build(
                CountSettings.of(
                        List.of("glow/download", "glow.share"),
                        Duration.ofSeconds(30),
                        minCount,
                        Duration.ofSeconds(1))
                    .withRetention(retention),
                new LookupGeo(database, List.of(), 50),
                parseUserAgent,
                Clock.systemUTC(),
                registry),
            props,
            Instant.parse("2026-11-24T18:00:00Z"));
    validated =
        driver.createInputTopic(
            Topics.VALIDATED.name(), new StringSerializer(), new ByteArraySerializer());
    counts =
        driver.createOutputTopic(
            Topics.COUNTS.name(), new StringDeserializer(), new StringDeserializer());
  }

  @AfterEach
  void stop() {
    if (driver != null) {
      driver.close();
    }
  }

  private void download(String time, String address) {
    validated.pipeInput(
        Validated.download("doc-" + n++, Instant.parse("2026-11-24T" + time + "Z"), address)
            .record());
  }

  private static final String M0505 = "glow.download|minute|2026-11-24T18:05Z|0";
  private static final String M0506 = "glow.download|minute|2026-11-24T18:06Z|0";
  private static final String WATERMARK = "watermark|0";

  @Test
  void shouldCountOnThePartitionsEventTimeAndCorrectAClosedMinute() {
    start(5);
    for (int i = 0; i < 5; i++) {
      download("18:05:10", BERLIN);
    }
    for (int i = 0; i < 3; i++) {
      download("18:05:20", SAN_FRANCISCO);
    }
    download("18:05:59.999", PARIS); // last millisecond of 18:05
    download("18:05:30", PRIVATE);
    download("18:05:30", PRIVATE);
    download("18:06:00", WITTENBERGE); // first millisecond of 18:06
    validated.pipeInput(
        Validated.of("telemetry", "main", "tm-1", Instant.parse("2026-11-24T18:05:40Z"))
            .with("remote_addr", BERLIN)
            .record());
    download("18:06:29.999", BERLIN); // stream time 1 ms before 18:05 closes
    assertThat(records(counts.readKeyValuesToList(), "|minute|")).isEmpty();

    download("18:05:45", BERLIN); // out of order, but within grace: counted in 18:05
    download("18:06:30", SAN_FRANCISCO); // 18:06 + 30 s grace: 18:05 closes
    List<KeyValue<String, String>> out = counts.readKeyValuesToList();
    assertThat(records(out, "|minute|", "watermark"))
        .containsExactly(
            KeyValue.pair(
                M0505,
                "{\"count\":12,\"countries\":{\"DE\":6,\"FR\":1,\"US\":3},"
                    + "\"locations\":{\"37.8,-122.4\":3,\"48.9,2.3\":1,\"52.5,13.4\":6}}"),
            KeyValue.pair(WATERMARK, watermark("18:06:00", 5)));

    // later than the grace: the partition corrects the minute at once
    download("18:05:50", BERLIN);
    assertThat(records(counts.readKeyValuesToList(), "|minute|"))
        .containsExactly(
            KeyValue.pair(
                M0505,
                "{\"count\":13,\"countries\":{\"DE\":7,\"FR\":1,\"US\":3},"
                    + "\"locations\":{\"37.8,-122.4\":3,\"48.9,2.3\":1,\"52.5,13.4\":7}}"));
    assertThat(registry.get(CountProcessor.LATE_RECORDS).counter().count()).isEqualTo(1.0);

    download("18:07:30", NEW_YORK); // closes 18:06
    List<KeyValue<String, String>> closed06 = records(counts.readKeyValuesToList(), "|minute|");
    assertThat(closed06).extracting(kv -> kv.key).containsExactly(M0506);
    assertThat(closed06.get(0).value).startsWith("{\"count\":3,\"countries\":{\"DE\":2,\"US\":1}");

    // the partition's running totals, before any privacy floor (the public writer applies it)
    driver.advanceWallClockTime(Duration.ofSeconds(1));
    Map<String, String> totals = latest(counts.readKeyValuesToList());
    assertThat(totals)
        .containsEntry("glow.download|total|all|all|0", tally(17, "18:07:30"))
        .containsEntry("glow.download|total|continent|EU|0", tally(10, "18:06:29"))
        .containsEntry("glow.download|total|continent|NA|0", tally(5, "18:07:30"))
        .containsEntry("glow.download|total|country|DE|0", tally(9, "18:06:29"))
        .containsEntry("glow.download|total|country|US|0", tally(5, "18:07:30"))
        .containsEntry("glow.download|total|country|FR|0", tally(1, "18:05:59"))
        .containsEntry("glow.download|total|subdivision|DE-BE|0", tally(8, "18:06:29"))
        .containsEntry("glow.download|total|subdivision|US-CA|0", tally(4, "18:06:30"))
        .containsEntry("telemetry.main|total|all|all|0", tally(1, "18:05:40"));
    assertThat(totals.keySet()).noneMatch(k -> k.contains("|other"));

    // nothing changed: nothing written
    driver.advanceWallClockTime(Duration.ofSeconds(5));
    assertThat(counts.isEmpty()).isTrue();
  }

  @Test
  void shouldCloseTheLastMinuteOfAQuietPartitionByTheWallClock() {
    start(5);
    download("18:05:10", BERLIN);
    driver.advanceWallClockTime(Duration.ofSeconds(1));
    // its own stream time closes up to 18:04 only
    assertThat(records(counts.readKeyValuesToList(), "|minute|", "watermark"))
        .containsExactly(KeyValue.pair(WATERMARK, watermark("18:04:00", 5)));
    // the driver's wall clock starts at 18:00: at 18:06:31 the partition has been quiet for more
    // than the grace, and 18:05 ended more than a grace ago
    driver.advanceWallClockTime(Duration.ofSeconds(6 * 60 + 30));
    assertThat(records(counts.readKeyValuesToList(), "|minute|", "watermark"))
        .containsExactly(
            KeyValue.pair(
                M0505, "{\"count\":1,\"countries\":{\"DE\":1},\"locations\":{\"52.5,13.4\":1}}"),
            KeyValue.pair(WATERMARK, watermark("18:06:00", 5)));
  }

  @Test
  void shouldTombstoneMinutesPastTheRetentionAndCountTheirRecordsInTheTotalsOnly() {
    start(1, Duration.ofMinutes(10));
    download("18:05:10", BERLIN);
    download("18:20:00", BERLIN); // closes everything up to 18:19
    driver.advanceWallClockTime(Duration.ofSeconds(1));
    List<KeyValue<String, String>> out = counts.readKeyValuesToList();
    assertThat(out).contains(KeyValue.pair(M0505, null));
    download("18:05:20", BERLIN); // its minute is gone
    driver.advanceWallClockTime(Duration.ofSeconds(1));
    assertThat(records(counts.readKeyValuesToList(), "|minute|")).isEmpty();
    assertThat(registry.get(CountProcessor.EXPIRED_RECORDS).counter().count()).isEqualTo(1.0);
    assertThat(latest(counts.readKeyValuesToList())).isEmpty();
    driver.advanceWallClockTime(Duration.ofSeconds(1));
  }

  @Test
  void shouldCountOnlyTheOverallTotalOfUncountedDoctypes() {
    start(1);
    validated.pipeInput(
        Validated.of("telemetry", "main", "a", Instant.parse("2026-11-24T18:05:00Z")).record());
    validated.pipeInput(
        Validated.of("telemetry", "main", "b", Instant.parse("2026-11-24T18:09:00Z")).record());
    validated.pipeInput(
        Validated.of("glow", "share", "c", Instant.parse("2026-11-24T18:09:00Z")).record());
    driver.advanceWallClockTime(Duration.ofSeconds(1));
    Map<String, String> all = latest(counts.readKeyValuesToList());
    assertThat(records(all, "|total|"))
        .containsExactlyInAnyOrder(
            "telemetry.main|total|all|all|0",
            "glow.share|total|all|all|0",
            "glow.share|total|continent|EU|0",
            "glow.share|total|country|DE|0",
            "glow.share|total|subdivision|DE-BE|0");
    assertThat(all.get("telemetry.main|total|all|all|0")).isEqualTo(tally(2, "18:09:00"));
  }

  @Test
  void shouldUseTheRecordTimeWhenTheSubmissionTimestampIsMissing() {
    start(1);
    validated.pipeInput(
        Validated.download("x", Instant.parse("2026-11-24T18:05:00Z"), BERLIN)
            .with("submission_timestamp", "yesterday")
            .recordTimestamp(Instant.parse("2026-11-24T17:00:10Z").toEpochMilli())
            .record());
    validated.pipeInput(
        Validated.download("y", Instant.parse("2026-11-24T17:05:00Z"), BERLIN).record());
    assertThat(records(counts.readKeyValuesToList(), "|minute|"))
        .extracting(kv -> kv.key)
        .contains("glow.download|minute|2026-11-24T17:00Z|0");
  }

  private static String tally(long count, String time) {
    return "{\"count\":" + count + ",\"updated_at\":\"2026-11-24T" + time + "Z\"}";
  }

  private static String watermark(String time, int minCount) {
    return "{\"closed_until\":\"2026-11-24T"
        + time
        + "Z\",\"partitions\":1,\"min_count\":"
        + minCount
        + "}";
  }

  private static List<KeyValue<String, String>> records(
      List<KeyValue<String, String>> all, String... kinds) {
    return all.stream()
        .filter(kv -> java.util.Arrays.stream(kinds).anyMatch(k -> kv.key.contains(k)))
        .toList();
  }

  private static List<String> records(Map<String, String> all, String kind) {
    return all.keySet().stream().filter(k -> k.contains(kind)).toList();
  }

  private static Map<String, String> latest(List<KeyValue<String, String>> all) {
    Map<String, String> latest = new LinkedHashMap<>();
    all.stream()
        .filter(kv -> kv.key.contains("|total|"))
        .forEach(kv -> latest.put(kv.key, kv.value));
    return latest;
  }
}
