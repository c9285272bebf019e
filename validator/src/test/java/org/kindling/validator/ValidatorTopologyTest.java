package org.kindling.validator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.core.AttributeHeaders;
import org.kindling.core.Json;
import org.kindling.core.Topics;
import org.kindling.core.config.ConfigDefinitions;
import org.kindling.core.config.KindlingConfig;
import org.kindling.core.kafka.KafkaDefaults;
import org.kindling.schemas.SchemaStore;

/**
 * Golden files (gcp-ingestion style): {@code testdata/validator/input.ndjson} through the topology
 * must give exactly {@code output.ndjson} on ingest.validated and {@code error-output.ndjson} on
 * ingest.errors. Each input line has a {@code note} saying what it exercises; record timestamps are
 * explicit so the dedup window is deterministic. Run with {@code GOLDEN_UPDATE=1} to rewrite the
 * expected files after an intended change, then review the diff.
 */
class ValidatorTopologyTest {
  private static final Path DIR = Path.of("src", "test", "resources", "testdata", "validator");
  private static final Instant WALL_CLOCK = Instant.parse("2026-11-24T18:10:00Z");

  @TempDir Path state;

  static KindlingConfig config(Path state) {
    return KindlingConfig.of(
        ConfigDefinitions.discover(),
        Map.of(
            "validator.max.decompressed.bytes", "64KiB",
            "topics.max.message.bytes", "128KiB",
            "streams.state.dir", state.toString(),
            "kafka.bootstrap.servers", "unused:9092"));
  }

  @Test
  void shouldMatchTheGoldenFiles() throws IOException {
    KindlingConfig config = config(state);
    MeterRegistry registry = new SimpleMeterRegistry();
    Properties props = KafkaDefaults.streams(config, ValidatorService.APPLICATION_ID);
    List<String> validated = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    try (TopologyTestDriver driver =
        new TopologyTestDriver(
            ValidatorTopology.build(config, SchemaStore.bundled(), registry), props, WALL_CLOCK)) {
      TestInputTopic<String, byte[]> raw =
          driver.createInputTopic(
              Topics.RAW.name(), new StringSerializer(), new ByteArraySerializer());
      for (String line : Files.readAllLines(DIR.resolve("input.ndjson"))) {
        JsonNode in = Json.mapper().readTree(line);
        Map<String, String> attrs = new LinkedHashMap<>();
        in.get("attributes")
            .properties()
            .forEach(e -> attrs.put(e.getKey(), e.getValue().asText()));
        byte[] payload =
            in.has("payload_base64")
                ? Base64.getDecoder().decode(in.get("payload_base64").asText())
                : in.get("payload").asText().getBytes(StandardCharsets.UTF_8);
        raw.pipeInput(
            new TestRecord<>(
                in.get("key").isNull() ? null : in.get("key").asText(),
                payload,
                AttributeHeaders.fromMap(attrs),
                Instant.ofEpochMilli(in.get("timestamp").asLong())));
      }
      TestOutputTopic<String, byte[]> out =
          driver.createOutputTopic(
              Topics.VALIDATED.name(), new StringDeserializer(), new ByteArrayDeserializer());
      for (TestRecord<String, byte[]> r : out.readRecordsToList()) {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("key", r.key());
        n.put("timestamp", r.timestamp());
        n.set("attributes", headers(r.headers()));
        n.put("payload", new String(r.value(), StandardCharsets.UTF_8));
        validated.add(Json.mapper().writeValueAsString(n));
      }
      TestOutputTopic<String, byte[]> err =
          driver.createOutputTopic(
              Topics.ERRORS.name(), new StringDeserializer(), new ByteArrayDeserializer());
      for (TestRecord<String, byte[]> r : err.readRecordsToList()) {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("key", r.key());
        n.put("timestamp", r.timestamp());
        n.set("value", Json.mapper().readTree(r.value()));
        errors.add(Json.mapper().writeValueAsString(n));
      }
    }
    if (System.getenv("GOLDEN_UPDATE") != null) {
      Files.write(DIR.resolve("output.ndjson"), validated);
      Files.write(DIR.resolve("error-output.ndjson"), errors);
    }
    assertThat(validated)
        .containsExactlyElementsOf(Files.readAllLines(DIR.resolve("output.ndjson")));
    assertThat(errors)
        .containsExactlyElementsOf(Files.readAllLines(DIR.resolve("error-output.ndjson")));

    // every error type of the validator appears in the golden errors
    assertThat(errors.stream().map(ValidatorTopologyTest::errorType).distinct())
        .containsExactlyInAnyOrder(
            ErrorTypes.URI,
            ErrorTypes.PAYLOAD_TOO_LARGE,
            ErrorTypes.DECOMPRESSION,
            ErrorTypes.JSON_PARSE,
            ErrorTypes.SCHEMA_NOT_FOUND,
            ErrorTypes.SCHEMA_VALIDATION,
            ErrorTypes.DOCUMENT_TOO_LARGE);
    // dropped duplicates are counted per doctype, and every input is accounted for
    double downloads = count(registry, ValidatorMetrics.DUPLICATE, "glow", "download");
    double shares = count(registry, ValidatorMetrics.DUPLICATE, "glow", "share");
    assertThat(downloads).isEqualTo(3.0);
    assertThat(shares).isEqualTo(1.0);
    assertThat(validated.size() + errors.size() + (long) (downloads + shares))
        .isEqualTo(Files.readAllLines(DIR.resolve("input.ndjson")).size());
    assertThat(count(registry, "error_schema_validation", "glow", "download")).isEqualTo(2.0);
    assertThat(count(registry, "error_uri", "other", "other")).isEqualTo(6.0);
    assertThat(count(registry, "error_schema_not_found", "glow", "other")).isEqualTo(2.0);
    assertThat(count(registry, ValidatorMetrics.VALIDATED, "org-mozilla-fenix", "baseline"))
        .isEqualTo(1.0);
  }

  private static String errorType(String line) {
    try {
      return Json.mapper().readTree(line).path("value").path("error_type").asText();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static double count(MeterRegistry registry, String name, String namespace, String type) {
    var c = registry.find(name).tags("namespace", namespace, "document_type", type).counter();
    return c == null ? 0 : c.count();
  }

  private static ObjectNode headers(Headers headers) {
    ObjectNode n = Json.mapper().createObjectNode();
    for (Header h : headers) {
      n.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
    }
    return n;
  }
}
