package org.kindling.geo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.core.AttributeHeaders;
import org.kindling.core.Attributes;
import org.kindling.core.Json;
import org.kindling.core.Topics;
import org.kindling.core.failure.FailureRecord;
import org.kindling.core.failure.FailureRecordSerde;
import org.kindling.geo.counts.CountSettings;
import org.kindling.testkit.GeoIpTestData;

class GeoEnricherTopologyTest {
  private static final Instant T0 = Instant.parse("2026-11-24T18:05:00.123456Z");
  private static final Instant NOW = Instant.parse("2026-11-24T18:07:00Z");
  private static final String VERSION = "GeoIP2-City/2026-11-24T00:00:00Z";
  private static final Path GOLDEN =
      Path.of("src", "test", "resources", "testdata", "geo-enricher");

  private static GeoDatabase database;
  private static ParseUserAgent parseUserAgent;

  @TempDir Path stateDir;
  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> validated;
  private TestOutputTopic<String, byte[]> enriched;
  private TestOutputTopic<String, FailureRecord> errors;
  private SimpleMeterRegistry registry;

  @BeforeAll
  static void openDatabase() throws Exception {
    database = GeoDatabase.open(GeoIpTestData.cityDatabase());
    parseUserAgent = new ParseUserAgent(100);
  }

  @AfterAll
  static void closeDatabase() {
    database.close();
  }

  @BeforeEach
  void start() {
    registry = new SimpleMeterRegistry();
    Properties props = GeoTestDriver.props(stateDir);
    driver =
        new TopologyTestDriver(
            GeoEnricherTopology.build(
                CountSettings.of(
                    List.of("glow/download", "glow/share"),
                    Duration.ofSeconds(30),
                    5,
                    Duration.ofSeconds(1)),
                new LookupGeo(database, List.of(), 50),
                parseUserAgent,
                Clock.fixed(NOW, ZoneOffset.UTC),
                registry),
            props);
    validated =
        driver.createInputTopic(
            Topics.VALIDATED.name(), new StringSerializer(), new ByteArraySerializer());
    enriched =
        driver.createOutputTopic(
            Topics.ENRICHED.name(), new StringDeserializer(), new ByteArrayDeserializer());
    errors =
        driver.createOutputTopic(
            Topics.ERRORS.name(),
            new StringDeserializer(),
            new FailureRecordSerde().deserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  private JsonNode json(byte[] bytes) throws Exception {
    return Json.mapper().readTree(bytes);
  }

  /**
   * Golden files, as the validator's: {@code testdata/geo-enricher/input.ndjson} (ingest.validated
   * records, each with a {@code note} saying what it exercises; their Kafka time is far from their
   * submission_timestamp, which is the event time) through the topology must give exactly {@code
   * output.ndjson} on ingest.enriched and {@code error-output.ndjson} on ingest.errors. Run with
   * {@code GOLDEN_UPDATE=1} to rewrite the expected files after an intended change, then review the
   * diff.
   */
  @Test
  void shouldMatchTheGoldenFiles() throws Exception {
    List<String> input = Files.readAllLines(GOLDEN.resolve("input.ndjson"));
    for (String line : input) {
      JsonNode in = Json.mapper().readTree(line);
      Map<String, String> attrs = new LinkedHashMap<>();
      in.get("attributes").properties().forEach(e -> attrs.put(e.getKey(), e.getValue().asText()));
      validated.pipeInput(
          new TestRecord<>(
              in.get("key").asText(),
              in.get("payload").asText().getBytes(StandardCharsets.UTF_8),
              AttributeHeaders.fromMap(attrs),
              Validated.ARRIVAL));
    }
    List<String> documents = new ArrayList<>();
    for (TestRecord<String, byte[]> r : enriched.readRecordsToList()) {
      ObjectNode n = Json.mapper().createObjectNode();
      n.put("key", r.key());
      n.put("timestamp", r.timestamp());
      n.set("attributes", Json.mapper().valueToTree(AttributeHeaders.toMap(r.headers())));
      n.put("payload", new String(r.value(), StandardCharsets.UTF_8));
      documents.add(Json.mapper().writeValueAsString(n));
    }
    List<String> failures = new ArrayList<>();
    for (TestRecord<String, FailureRecord> r : errors.readRecordsToList()) {
      ObjectNode n = Json.mapper().createObjectNode();
      n.put("key", r.key());
      n.put("timestamp", r.timestamp());
      n.set("value", Json.mapper().readTree(FailureRecordSerde.encode(r.value())));
      failures.add(Json.mapper().writeValueAsString(n));
    }
    if (System.getenv("GOLDEN_UPDATE") != null) {
      Files.write(GOLDEN.resolve("output.ndjson"), documents);
      Files.write(GOLDEN.resolve("error-output.ndjson"), failures);
    }
    assertThat(documents)
        .containsExactlyElementsOf(Files.readAllLines(GOLDEN.resolve("output.ndjson")));
    assertThat(failures)
        .containsExactlyElementsOf(Files.readAllLines(GOLDEN.resolve("error-output.ndjson")));
    // every input is accounted for, and no client address is in any output
    assertThat(documents.size() + failures.size()).isEqualTo(input.size());
    for (String out : documents) {
      assertThat(out).doesNotContain("2.20.1.10", "2.21.1.10", "10.1.2.3", "remote_addr");
    }
    for (String out : failures) {
      assertThat(out).doesNotContain("2.20.1.10", "remote_addr", "x_forwarded_for");
    }
  }

  @Test
  void shouldFillEveryGeoField() throws Exception {
    validated.pipeInput(Validated.download("paris", T0, "2.12.1.10").record());
    validated.pipeInput(Validated.download("london", T0, "2.13.1.10").record());
    validated.pipeInput(Validated.download("coarse", T0, "2.23.1.10").record());
    validated.pipeInput(Validated.download("antarctica", T0, "2.42.1.10").record());

    JsonNode paris = json(enriched.readValue()).get("metadata").get("geo");
    assertThat(paris.toString())
        .isEqualTo(
            "{\"country\":\"FR\",\"continent\":\"EU\",\"subdivision1\":\"IDF\","
                + "\"subdivision2\":\"75\",\"city\":\"Paris\",\"latitude\":48.9,"
                + "\"longitude\":2.3,\"db_version\":\""
                + VERSION
                + "\"}");
    JsonNode london = json(enriched.readValue()).get("metadata").get("geo");
    assertThat(london.get("subdivision2").asText()).isEqualTo("LND");
    assertThat(london.get("longitude").asDouble()).isEqualTo(-0.1);
    JsonNode coarse = json(enriched.readValue()).get("metadata").get("geo");
    assertThat(coarse.get("country").asText()).isEqualTo("US");
    assertThat(coarse.get("subdivision1").asText()).isEqualTo("CA");
    assertThat(coarse.get("city").isNull()).isTrue();
    assertThat(coarse.get("latitude").asDouble()).isEqualTo(37.5);
    JsonNode antarctica = json(enriched.readValue());
    assertThat(antarctica.get("normalized_country_code").asText()).isEqualTo("AQ");
    assertThat(antarctica.get("metadata").get("geo").get("continent").asText()).isEqualTo("AN");
    assertThat(antarctica.get("metadata").get("geo").get("subdivision1").isNull()).isTrue();
  }

  @Test
  void shouldEnrichPrivateAndUnknownAddressesWithAnEmptyGeo() throws Exception {
    List<String> addresses = new ArrayList<>(GeoIpTestData.PRIVATE_ADDRESSES);
    addresses.add(GeoIpTestData.UNLISTED_ADDRESS);
    addresses.add("not-an-address");
    for (String address : addresses) {
      validated.pipeInput(Validated.download("d-" + address, T0, address).record());
    }
    validated.pipeInput(
        Validated.download("no-address", T0, null).with(Attributes.USER_AGENT, null).record());
    List<TestRecord<String, byte[]>> out = enriched.readRecordsToList();
    assertThat(out).hasSize(addresses.size() + 1);
    for (TestRecord<String, byte[]> r : out) {
      JsonNode doc = json(r.value());
      assertThat(doc.get("normalized_country_code").isNull()).as(r.key()).isTrue();
      JsonNode geo = doc.get("metadata").get("geo");
      assertThat(geo.get("country").isNull()).isTrue();
      assertThat(geo.get("latitude").isNull()).isTrue();
      assertThat(geo.get("db_version").asText()).isEqualTo(VERSION);
      assertThat(AttributeHeaders.get(r.headers(), Attributes.GEO_COUNTRY)).isNull();
    }
    JsonNode noUa = json(out.get(out.size() - 1).value()).get("metadata").get("user_agent");
    assertThat(noUa.toString()).isEqualTo("{\"browser\":null,\"version\":null,\"os\":null}");
    assertThat(errors.isEmpty()).isTrue();
    assertThat(registry.get("geo_unknown_address").counter().count())
        .isEqualTo(addresses.size() + 1);
  }

  @Test
  void shouldTakeTheSampleIdFromTheNormalizedClientIdOnly() throws Exception {
    validated.pipeInput(
        Validated.download("a", T0, "2.10.1.10").body("{\"clientId\":\"a\"}").record());
    validated.pipeInput(
        Validated.download("b", T0, "2.10.1.10")
            .body("{\"client_info\":{\"client_id\":\"90210716-99F8-0A4F-8119-9BFC16CD68A3\"}}")
            .record());
    validated.pipeInput(
        Validated.download("c", T0, "2.10.1.10")
            .body("{\"client_id\":42,\"sample_id\":5}")
            .record());
    validated.pipeInput(
        Validated.download("d", T0, "2.10.1.10")
            .body("{\"client_id\":\"2907648D-711B-4E9F-94B5-52A2B40A44B1\"}")
            .record());
    // not a UUID: no sample_id (Mozilla's decoder hashes only UUIDs)
    assertThat(json(enriched.readValue()).has("sample_id")).isFalse();
    JsonNode glean = json(enriched.readValue());
    assertThat(glean.get("sample_id").asInt()).isEqualTo(17);
    assertThat(glean.at("/client_info/client_id").asText())
        .isEqualTo("90210716-99f8-0a4f-8119-9bfc16cd68a3");
    assertThat(json(enriched.readValue()).has("sample_id")).isFalse();
    TestRecord<String, byte[]> upper = enriched.readRecord();
    assertThat(json(upper.value()).get("sample_id").asInt()).isEqualTo(67);
    assertThat(AttributeHeaders.get(upper.headers(), Attributes.SAMPLE_ID)).isEqualTo("67");
  }

  @Test
  void shouldRouteUnenrichableRecordsToErrorsWithoutTheClientAddress() {
    validated.pipeInput(
        Validated.download("bad-json", T0, "2.10.1.10")
            .with(Attributes.X_FORWARDED_FOR, "2.20.1.10")
            .body("{not json")
            .record());
    validated.pipeInput(Validated.download("array", T0, "2.10.1.10").body("[1,2]").record());
    validated.pipeInput(Validated.download("null", T0, "2.10.1.10").body(null).record());

    List<TestRecord<String, FailureRecord>> failures = errors.readRecordsToList();
    assertThat(failures).extracting(TestRecord::key).containsExactly("bad-json", "array", "null");
    FailureRecord f = failures.get(0).value();
    assertThat(f.errorType()).isEqualTo("enrichment");
    assertThat(f.stage()).isEqualTo("geo-enricher");
    assertThat(f.failedAt()).isEqualTo(NOW);
    assertThat(new String(f.payload(), StandardCharsets.UTF_8)).isEqualTo("{not json");
    assertThat(f.attributes())
        .doesNotContainKeys(Attributes.REMOTE_ADDR, Attributes.X_FORWARDED_FOR)
        .containsEntry(Attributes.DOCUMENT_ID, "bad-json")
        .containsEntry(Attributes.USER_AGENT, Validated.FIREFOX_WINDOWS);
    assertThat(failures.get(0).headers().toArray()).isEmpty();
    assertThat(failures.get(1).value().errorMessage()).contains("not a JSON object");
    assertThat(enriched.isEmpty()).isTrue();
    assertThat(
            registry
                .get("error_enrichment")
                .tags("namespace", "glow", "document_type", "download")
                .counter()
                .count())
        .isEqualTo(3.0);
  }

  @Test
  void shouldWriteNoClientAddressAnywhere() {
    List<String> ips = new ArrayList<>();
    for (GeoIpTestData.Place place : GeoIpTestData.PLACES) {
      ips.add(place.address());
    }
    ips.addAll(GeoIpTestData.PRIVATE_ADDRESSES);
    int i = 0;
    for (String ip : ips) {
      String forwarded = ips.get((i + 1) % ips.size()) + ", " + ips.get((i + 2) % ips.size());
      validated.pipeInput(
          Validated.download("ok-" + i, T0.plusSeconds(i * 7L), ip)
              .with(Attributes.X_FORWARDED_FOR, forwarded)
              .record());
      validated.pipeInput(
          Validated.of("telemetry", "main", "tm-" + i, T0.plusSeconds(i * 7L))
              .with(Attributes.REMOTE_ADDR, ip)
              .with(Attributes.X_FORWARDED_FOR, forwarded)
              .record());
      validated.pipeInput(
          Validated.download("bad-" + i, T0.plusSeconds(i * 7L), ip)
              .with(Attributes.X_FORWARDED_FOR, forwarded)
              .body("{")
              .record());
      i++;
    }
    driver.advanceWallClockTime(Duration.ofSeconds(2));

    Set<String> topics = driver.producedTopicNames();
    assertThat(topics).contains(Topics.ENRICHED.name(), Topics.ERRORS.name(), Topics.COUNTS.name());
    int scanned = 0;
    for (String topic : topics) {
      TestOutputTopic<byte[], byte[]> out =
          driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
      for (TestRecord<byte[], byte[]> r : out.readRecordsToList()) {
        StringBuilder all = new StringBuilder();
        all.append(text(r.key())).append('\n').append(text(r.value())).append('\n');
        for (Header h : r.headers()) {
          all.append(h.key()).append('=').append(text(h.value())).append('\n');
        }
        // the failure payload is base64 in the JSON value; the attributes are plain text
        for (String ip : ips) {
          assertThat(all.toString()).as(topic).doesNotContain(ip);
        }
        scanned++;
      }
    }
    assertThat(scanned).isGreaterThan(3 * ips.size());
  }

  private static String text(byte[] bytes) {
    return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
  }

  @Test
  void shouldNameEveryProcessorAndStore() {
    TopologyDescription description =
        GeoEnricherTopology.build(
                CountSettings.of(List.of(), Duration.ofSeconds(30), 5, Duration.ofSeconds(1)),
                new LookupGeo(database, List.of(), 50),
                parseUserAgent,
                Clock.systemUTC(),
                registry)
            .describe();
    // one sub-topology: the counters run in the enrich task, nothing is repartitioned
    assertThat(description.subtopologies()).hasSize(1);
    String text = description.toString();
    assertThat(text)
        .contains(
            "validated-source",
            "enrich",
            "enriched-sink",
            "errors-sink",
            "count",
            "counts-partition-totals-store",
            "counts-partition-minutes-store",
            "counts-partition-state-store",
            "counts-sink")
        .doesNotContain("KSTREAM-", "KTABLE-", "repartition");
  }
}
