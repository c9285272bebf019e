package org.kindling.validator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.core.AttributeHeaders;
import org.kindling.core.Json;
import org.kindling.core.Topics;
import org.kindling.core.config.KindlingConfig;
import org.kindling.core.kafka.KafkaDefaults;
import org.kindling.schemas.SchemaStore;

/**
 * Golden files for real Mozilla schemas and pings ({@code
 * testdata/validator-mozilla/{input,output,error-output}.ndjson}), validated against the fixture
 * folder of real schemas from mozilla-pipeline-schemas ({@code schemas/src/test/resources/mozilla},
 * see its README) as {@code validator.schemas.dir} would load it. An input line names its payload
 * by {@code payload_file} (relative to that folder, gzip'd when {@code gzip} is true) or gives it
 * inline. {@code GOLDEN_UPDATE=1} rewrites the expected files; review the diff.
 */
class MozillaSchemasTopologyTest {
  static final Path MOZILLA = Path.of("..", "schemas", "src", "test", "resources", "mozilla");
  private static final Path DIR =
      Path.of("src", "test", "resources", "testdata", "validator-mozilla");
  private static final Instant WALL_CLOCK = Instant.parse("2026-11-23T00:45:00Z");

  @TempDir Path state;

  @Test
  void shouldValidateRealPingsAgainstTheRealSchemaRepository() throws IOException {
    KindlingConfig config = ValidatorTopologyTest.config(state);
    SchemaStore schemas =
        ValidatorConfig.schemaStore(
            config.with(Map.of(ValidatorConfig.SCHEMAS_DIR, MOZILLA.toString())));
    assertThat(schemas.gleanFallback()).isFalse();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    List<String> validated = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    try (TopologyTestDriver driver =
        new TopologyTestDriver(
            ValidatorTopology.build(config, schemas, registry),
            KafkaDefaults.streams(config, ValidatorService.APPLICATION_ID),
            WALL_CLOCK)) {
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
            in.has("payload_file")
                ? Files.readAllBytes(MOZILLA.resolve(in.get("payload_file").asText()))
                : in.get("payload").asText().getBytes(StandardCharsets.UTF_8);
        if (in.path("gzip").asBoolean()) {
          payload = gzip(payload);
        }
        raw.pipeInput(
            new TestRecord<>(
                in.get("key").asText(),
                payload,
                AttributeHeaders.fromMap(attrs),
                Instant.ofEpochMilli(in.get("timestamp").asLong())));
      }
      for (TestRecord<String, byte[]> r :
          driver
              .createOutputTopic(
                  Topics.VALIDATED.name(), new StringDeserializer(), new ByteArrayDeserializer())
              .readRecordsToList()) {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("key", r.key());
        ObjectNode h = n.putObject("attributes");
        for (Header x : r.headers()) {
          h.put(x.key(), new String(x.value(), StandardCharsets.UTF_8));
        }
        n.put("payload", new String(r.value(), StandardCharsets.UTF_8));
        validated.add(Json.mapper().writeValueAsString(n));
      }
      for (TestRecord<String, byte[]> r :
          driver
              .createOutputTopic(
                  Topics.ERRORS.name(), new StringDeserializer(), new ByteArrayDeserializer())
              .readRecordsToList()) {
        ObjectNode v = (ObjectNode) Json.mapper().readTree(r.value());
        v.remove("payload"); // the bytes as received; the input file has them
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("key", r.key());
        n.set("value", v);
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

    // the decisions the golden files hold, spelled out
    Map<String, JsonNode> byKey = new LinkedHashMap<>();
    for (String line : validated) {
      JsonNode n = Json.mapper().readTree(line);
      byKey.put(n.get("key").asText(), n.get("attributes"));
    }
    assertThat(byKey.get("9d1a1c1e-4f6b-4c59-9a3e-3a8cbe4a3f2d").get("document_version").asText())
        .isEqualTo("4");
    assertThat(byKey.get("b7e0c1a2-3d4e-4f50-8a6b-7c8d9e0f1a2b").get("document_version").asText())
        .isEqualTo("10");
    JsonNode topsites = byKey.get("e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b");
    assertThat(topsites.get("submission_timestamp_granularity").asText()).isEqualTo("seconds");
    assertThat(topsites.get("override_attributes").asText())
        .isEqualTo("[{\"name\":\"geo_city\",\"value\":null}]");
    assertThat(errors).hasSize(3);
    assertThat(errors.get(0)).contains("no schema for org-mozilla-focus/baseline/baseline.1");
    assertThat(errors.get(1))
        .contains("\"error_type\":\"schema_validation\"")
        .contains("org-mozilla-fenix/baseline/baseline.1: ");
    assertThat(errors.get(2)).contains("\\\"version\\\" or \\\"v\\\"");
  }

  private static byte[] gzip(byte[] b) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(b);
    }
    return out.toByteArray();
  }
}
