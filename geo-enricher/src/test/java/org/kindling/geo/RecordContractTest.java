package org.kindling.geo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.kindling.core.Attributes;
import org.kindling.core.CapturedHeader;
import org.kindling.core.Json;
import org.kindling.schemas.parquet.JsonSchemaMapper;

/**
 * Holds the three copies of the enriched document's shape against each other: the captured-header
 * table in core, the lake's standard columns ({@code standard-columns.schema.json}) and what the
 * geo-enricher writes ({@link AddMetadata}). A header added to the table but not to the columns
 * would otherwise land silently in {@code additional_properties}.
 */
class RecordContractTest {
  private static final Geo GEO = new Geo("DE", "EU", "BE", null, "Berlin", 52.5, 13.4, "test/1");
  private static final UserAgentInfo UA = new UserAgentInfo("Firefox", "145", "Linux");

  @Test
  void shouldAgreeOnTheHeadersCarriedIntoMetadata() {
    Set<String> table =
        CapturedHeader.inMetadataHeaders().stream()
            .map(CapturedHeader::attribute)
            .collect(Collectors.toCollection(TreeSet::new));
    Map<String, String> attributes = new LinkedHashMap<>();
    for (CapturedHeader h : CapturedHeader.values()) {
      attributes.put(h.attribute(), "value of " + h.httpName());
    }
    JsonNode header = enriched(attributes).path("metadata").path("header");

    assertThat(fields(columns("header")))
        .as("metadata.header in standard-columns.schema.json")
        .isEqualTo(table);
    assertThat(fields(header)).as("metadata.header written by the geo-enricher").isEqualTo(table);
    for (CapturedHeader h : CapturedHeader.inMetadataHeaders()) {
      assertThat(header.path(h.attribute()).asText()).isEqualTo("value of " + h.httpName());
    }
  }

  @Test
  void shouldWriteEveryStandardColumnAndNoOther() {
    JsonNode doc = enriched(Map.of(Attributes.SUBMISSION_TIMESTAMP, "2026-11-24T18:05:00.000000Z"));
    for (String group : new String[] {"geo", "user_agent", "uri"}) {
      assertThat(fields(doc.path("metadata").path(group)))
          .as("metadata." + group)
          .isEqualTo(fields(columns(group)));
    }
    assertThat(fields(doc.path("metadata")))
        .isEqualTo(
            fields(JsonSchemaMapper.standardColumns().at("/properties/metadata/properties")));
    // the top-level columns: what the enricher adds to the document (it had only client_id)
    Set<String> added = fields(doc);
    added.remove("client_id");
    assertThat(added)
        .as("top-level fields written by the geo-enricher")
        .isEqualTo(fields(JsonSchemaMapper.standardColumns().path("properties")));
  }

  @Test
  void shouldNameTheDecoderAttributesAsTheirColumns() {
    // the same names as headers on ingest.enriched and as lake columns
    Set<String> decoder =
        Set.of(
            Attributes.SAMPLE_ID,
            Attributes.NORMALIZED_CHANNEL,
            Attributes.NORMALIZED_OS,
            Attributes.NORMALIZED_OS_VERSION,
            Attributes.NORMALIZED_APP_NAME,
            Attributes.NORMALIZED_COUNTRY_CODE);
    assertThat(fields(JsonSchemaMapper.standardColumns().path("properties"))).containsAll(decoder);
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put(Attributes.APP_NAME, "Firefox");
    attributes.put(Attributes.APP_UPDATE_CHANNEL, "release");
    ObjectNode doc = Json.mapper().createObjectNode();
    doc.put("client_id", "0d4f7b6c-3e2a-4f1b-9c8d-7e6f5a4b3c2d");
    doc.putObject("environment")
        .putObject("system")
        .putObject("os")
        .put("name", "Linux")
        .put("version", "6.8");
    AddMetadata.Result r = AddMetadata.apply(doc, attributes, GEO, UA);
    Set<String> headers = new TreeSet<>();
    EnrichProcessor.enrichedHeaders(new org.apache.kafka.common.header.internals.RecordHeaders(), r)
        .forEach(h -> headers.add(h.key()));
    assertThat(headers).containsAll(decoder);
    for (String name : decoder) {
      assertThat(doc.path(name).isNull()).as(name).isFalse();
    }
  }

  private static JsonNode enriched(Map<String, String> attributes) {
    ObjectNode doc = Json.mapper().createObjectNode();
    doc.put("client_id", "0d4f7b6c-3e2a-4f1b-9c8d-7e6f5a4b3c2d");
    AddMetadata.apply(doc, attributes, GEO, UA);
    return doc;
  }

  private static JsonNode columns(String group) {
    return JsonSchemaMapper.standardColumns()
        .at("/properties/metadata/properties/" + group + "/properties");
  }

  private static Set<String> fields(JsonNode node) {
    Set<String> names = new TreeSet<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }
}
