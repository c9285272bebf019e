package org.kindling.schemas.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.Test;
import org.kindling.core.Json;

/**
 * Real Mozilla schemas become lake layouts within Athena's and Glue's limits ({@link LakeLimits}):
 * {@code telemetry/main/main.4} as typed columns, and the 6,000-leaf {@code main-use-counter.4},
 * whose one wide struct would break the limits, with that struct as a map.
 */
class LakeLimitsTest {
  static final Path MOZILLA = Path.of("src", "test", "resources", "mozilla");

  static JsonNode mozilla(String rel) throws IOException {
    return Json.mapper().readTree(MOZILLA.resolve("schemas").resolve(rel).toFile());
  }

  /** The real main-use-counter.4 schema (1.3 MB, stored gzip'd beside the fixture set). */
  static JsonNode mainUseCounter() throws IOException {
    try (InputStream in =
        new GZIPInputStream(
            Files.newInputStream(MOZILLA.resolve("wide/main-use-counter.4.schema.json.gz")))) {
      return Json.mapper().readTree(in);
    }
  }

  private static void assertWithinLimits(Schema s) {
    long list = 0;
    int leaves = 0;
    for (Schema.Field f : s.getFields()) {
      int def = LakeLimits.columnDefinitionBytes(f);
      assertThat(def).as(f.name()).isLessThanOrEqualTo(LakeLimits.MAX_COLUMN_TYPE_BYTES);
      assertThat(LakeLimits.nesting(f.schema()))
          .as(f.name())
          .isLessThanOrEqualTo(LakeLimits.MAX_NESTING);
      list += def;
      leaves += LakeLimits.leafColumns(f.schema());
    }
    assertThat(list).isLessThanOrEqualTo(LakeLimits.MAX_COLUMN_LIST_BYTES);
    assertThat(leaves).isLessThanOrEqualTo(LakeLimits.MAX_LEAF_COLUMNS);
  }

  @Test
  void shouldMapTheRealMainPingToTypedColumnsWithinTheLimits() throws IOException {
    Schema s =
        JsonSchemaMapper.documentLayout(
                "telemetry_main_v4", mozilla("telemetry/main/main.4.schema.json"))
            .schema();
    assertWithinLimits(s);
    int leaves = 0;
    for (Schema.Field f : s.getFields()) {
      leaves += LakeLimits.leafColumns(f.schema());
    }
    System.out.println("telemetry/main/main.4: " + leaves + " leaf columns");
    assertThat(leaves).isGreaterThan(300);
    assertThat(LakeLimits.hiveType(s.getField("environment").schema()))
        .contains("`system`:struct<", "`os`:struct<", "`name`:string", "`version`:string");
    assertThat(LakeLimits.hiveType(s.getField("payload").schema()))
        .contains("`info`:struct<", "`sessionLength`:bigint", "`histograms`:map<string,struct<");
    assertThat(LakeLimits.hiveType(s.getField("clientId").schema())).isEqualTo("string");
  }

  @Test
  void shouldStoreAStructTooWideForGlueAsAMap() throws IOException {
    JsonNode schema = mainUseCounter();
    JsonNode histograms = schema.at("/properties/payload/properties/histograms/properties");
    assertThat(histograms.size()).isGreaterThan(2_500);
    DocumentLayout layout =
        JsonSchemaMapper.documentLayout("telemetry_main_use_counter_v4", schema);
    Schema s = layout.schema();
    assertWithinLimits(s);
    // one field per use counter (2 x 2,961) would be ~330 KB of type text: over both limits
    assertThat(LakeLimits.hiveType(s.getField("payload").schema()))
        .isEqualTo(
            "struct<`histograms`:map<string,string>,"
                + "`processes`:struct<`content`:struct<`histograms`:map<string,string>>>>");

    String name = histograms.fieldNames().next();
    ObjectNode doc = Json.mapper().createObjectNode();
    doc.putObject("payload").putObject("histograms").put(name, "1").put("UNDECLARED", "2");
    GenericData.Record row = layout.toRecord(doc);
    @SuppressWarnings("unchecked")
    Map<String, Object> map =
        (Map<String, Object>) ((GenericData.Record) row.get("payload")).get("histograms");
    assertThat(map).containsEntry(name, "1").containsEntry("UNDECLARED", "2");
    assertThat(row.get("additional_properties")).isNull();
  }

  @Test
  void shouldKeepTypesNestedTooDeepAsJsonText() throws IOException {
    StringBuilder b = new StringBuilder();
    int depth = 30;
    for (int i = 0; i < depth; i++) {
      b.append("{\"type\":\"object\",\"properties\":{\"n\":");
    }
    b.append("{\"type\":\"integer\"}");
    b.append("}}".repeat(depth));
    DocumentLayout layout =
        JsonSchemaMapper.documentLayout(
            "deep_v1",
            Json.mapper().readTree("{\"type\":\"object\",\"properties\":{\"deep\":" + b + "}}"));
    Schema deep = layout.schema().getField("deep").schema();
    assertThat(LakeLimits.nesting(deep)).isEqualTo(LakeLimits.MAX_NESTING);
    assertThat(LakeLimits.hiveType(deep)).endsWith(":string" + ">".repeat(LakeLimits.MAX_NESTING));
  }

  @Test
  void shouldKeepColumnsBeyondTheLeafLimitInAdditionalProperties() throws IOException {
    ObjectNode schema = Json.mapper().createObjectNode().put("type", "object");
    ObjectNode props = schema.putObject("properties");
    for (int i = 0; i < 3_000; i++) {
      props.putObject("p" + i).put("type", "integer");
    }
    DocumentLayout layout = JsonSchemaMapper.documentLayout("many_v1", schema);
    assertWithinLimits(layout.schema());
    assertThat(layout.schema().getField("p0")).isNotNull();
    assertThat(layout.schema().getField("p2999")).isNull();
    GenericData.Record row = layout.toRecord(Json.mapper().readTree("{\"p0\":1,\"p2999\":2}"));
    assertThat(row.get("p0")).isEqualTo(1L);
    assertThat(row.get("additional_properties")).isEqualTo("{\"p2999\":2}");
  }
}
