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

/** The counters on ingest.counts: totals, minutes, grace, late records, privacy floor. */
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
    registry = new SimpleMeterRegistry();
    Properties props = GeoTestDriver.props(stateDir);
    driver =
        new TopologyTestDriver(
            GeoEnricherTopology.build(
                CountSettings.of(
                    List.of("glow/download", "glow.share"),
                    Duration.ofSeconds(30),
                    minCount,
                    Duration.ofSeconds(1)),
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

  private static final String M0505 = "glow.download|minute|2026-11-24T18:05Z|";
  private static final String M0506 = "glow.download|minute|2026-11-24T18:06Z|";

  @Test
  void shouldCountTotalsAndMinutesOnEventTimeWithGraceLateRecordsAndThePrivacyFloor() {
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

    assertThat(minuteRecords(counts.readKeyValuesToList())).isEmpty();

    download("18:05:45", BERLIN); // late, but within grace: still counted in 18:05
    download("18:06:30", SAN_FRANCISCO); // 18:06 + 30 s grace: 18:05 closes
    List<KeyValue<String, String>> closed05 = minuteRecords(counts.readKeyValuesToList());
    assertThat(closed05)
        .containsExactly(
            KeyValue.pair(M0505 + "country|DE", "{\"count\":6}"),
            KeyValue.pair(M0505 + "country|other", "{\"count\":4}"),
            KeyValue.pair(M0505 + "location|52.5,13.4", "{\"count\":6}"),
            KeyValue.pair(M0505 + "location|other", "{\"count\":4}"),
            KeyValue.pair(
                M0505 + "all|all",
                "{\"count\":12,\"cells\":4,\"window_start\":\"2026-11-24T18:05:00Z\","
                    + "\"window_end\":\"2026-11-24T18:06:00Z\"}"));

    download("18:05:50", BERLIN); // beyond grace: only the totals and late_records count it
    assertThat(registry.get(CountProcessor.LATE_RECORDS).counter().count()).isEqualTo(1.0);
    download("18:07:30", NEW_YORK); // closes 18:06
    assertThat(minuteRecords(counts.readKeyValuesToList()))
        .containsExactly(
            KeyValue.pair(M0506 + "country|other", "{\"count\":3}"),
            KeyValue.pair(M0506 + "location|other", "{\"count\":3}"),
            KeyValue.pair(
                M0506 + "all|all",
                "{\"count\":3,\"cells\":2,\"window_start\":\"2026-11-24T18:06:00Z\","
                    + "\"window_end\":\"2026-11-24T18:07:00Z\"}"));

    driver.advanceWallClockTime(Duration.ofSeconds(1));
    Map<String, String> totals = latest(counts.readKeyValuesToList());
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("glow.download|total|all|all", tally(17, "18:07:30"));
    expected.put("glow.download|total|continent|EU", tally(10, "18:06:29"));
    expected.put("glow.download|total|continent|NA", tally(5, "18:07:30"));
    expected.put("glow.download|total|continent|other", tally(0, "18:07:30"));
    expected.put("glow.download|total|country|DE", tally(9, "18:06:29"));
    expected.put("glow.download|total|country|US", tally(5, "18:07:30"));
    expected.put("glow.download|total|country|other", tally(1, "18:05:59"));
    expected.put("glow.download|total|subdivision|DE-BE", tally(8, "18:06:29"));
    expected.put("glow.download|total|subdivision|other", tally(7, "18:07:30"));
    expected.put("telemetry.main|total|all|all", tally(1, "18:05:40"));
    assertThat(totals).containsExactlyInAnyOrderEntriesOf(expected);

    // nothing changed: nothing written
    driver.advanceWallClockTime(Duration.ofSeconds(5));
    assertThat(counts.isEmpty()).isTrue();
  }

  @Test
  void shouldLowerTheOtherCellWhenACellCrossesTheFloor() {
    start(2);
    download("18:05:00", PARIS);
    download("18:05:01", BERLIN);
    driver.advanceWallClockTime(Duration.ofSeconds(1));
    Map<String, String> first = latest(counts.readKeyValuesToList());
    assertThat(first)
        .containsEntry("glow.download|total|country|other", tally(2, "18:05:01"))
        .doesNotContainKeys("glow.download|total|country|FR", "glow.download|total|country|DE");

    download("18:05:02", PARIS);
    driver.advanceWallClockTime(Duration.ofSeconds(1));
    Map<String, String> second = latest(counts.readKeyValuesToList());
    assertThat(second)
        .containsEntry("glow.download|total|country|FR", tally(2, "18:05:02"))
        .containsEntry("glow.download|total|country|other", tally(1, "18:05:01"))
        .containsEntry("glow.download|total|all|all", tally(3, "18:05:02"));
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
    assertThat(all.keySet())
        .containsExactlyInAnyOrder(
            "telemetry.main|total|all|all",
            "glow.share|total|all|all",
            "glow.share|total|continent|EU",
            "glow.share|total|continent|other",
            "glow.share|total|country|DE",
            "glow.share|total|country|other",
            "glow.share|total|subdivision|DE-BE",
            "glow.share|total|subdivision|other");
    assertThat(all.get("telemetry.main|total|all|all")).isEqualTo(tally(2, "18:09:00"));
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
    List<KeyValue<String, String>> minutes = minuteRecords(counts.readKeyValuesToList());
    assertThat(minutes)
        .extracting(kv -> kv.key)
        .contains("glow.download|minute|2026-11-24T17:00Z|all|all");
  }

  private static String tally(long count, String time) {
    return "{\"count\":" + count + ",\"updated_at\":\"2026-11-24T" + time + "Z\"}";
  }

  private static List<KeyValue<String, String>> minuteRecords(List<KeyValue<String, String>> all) {
    return all.stream().filter(kv -> kv.key.contains("|minute|")).toList();
  }

  private static Map<String, String> latest(List<KeyValue<String, String>> all) {
    Map<String, String> latest = new LinkedHashMap<>();
    all.forEach(kv -> latest.put(kv.key, kv.value));
    return latest;
  }
}
