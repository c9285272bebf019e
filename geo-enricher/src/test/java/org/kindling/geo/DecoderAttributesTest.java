package org.kindling.geo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kindling.core.Attributes;
import org.kindling.core.Json;

/**
 * Mozilla's decoder attributes. The sample ids are the known pairs of gcp-ingestion's {@code
 * ParsePayloadTest} (67, 17, 0, and 12 for a document id named by the schema).
 */
class DecoderAttributesTest {
  private static ObjectNode doc(String json) throws IOException {
    return (ObjectNode) Json.mapper().readTree(json);
  }

  private static DecoderAttributes of(ObjectNode doc, Map<String, String> attrs) {
    return DecoderAttributes.of(doc, attrs, "fi", PipelineSettings.of(attrs));
  }

  @Test
  void shouldHashTheNormalizedClientIdAsMozillasDecoder() throws IOException {
    assertThat(DecoderAttributes.sampleId("2907648d-711b-4e9f-94b5-52a2b40a44b1")).isEqualTo(67);
    assertThat(DecoderAttributes.sampleId("90210716-99f8-0a4f-8119-9bfc16cd68a3")).isEqualTo(17);
    assertThat(DecoderAttributes.sampleId("")).isZero();
    assertThat(DecoderAttributes.normalizeUuid("90210716-99F8-0A4F-8119-9BFC16CD68A3"))
        .isEqualTo("90210716-99f8-0a4f-8119-9bfc16cd68a3");
    assertThat(DecoderAttributes.normalizeUuid("{2907648d-711b-4e9f-94b5-52a2b40a44b1}"))
        .isEqualTo("2907648d-711b-4e9f-94b5-52a2b40a44b1");
    assertThat(DecoderAttributes.normalizeUuid("n/a")).isNull();

    // upper case in the payload: the same sample_id, and the payload holds the lower-case id
    ObjectNode upper = doc("{\"clientId\":\"2907648D-711B-4E9F-94B5-52A2B40A44B1\"}");
    DecoderAttributes d = of(upper, Map.of());
    assertThat(d.sampleId()).isEqualTo(67);
    assertThat(upper.get("clientId").asText()).isEqualTo("2907648d-711b-4e9f-94b5-52a2b40a44b1");
    // not a UUID: no sample_id (it was hashed raw before)
    assertThat(of(doc("{\"client_id\":\"n/a\"}"), Map.of()).sampleId()).isNull();
    // Glean's client_info first
    ObjectNode glean =
        doc(
            "{\"client_id\":\"2907648d-711b-4e9f-94b5-52a2b40a44b1\","
                + "\"client_info\":{\"client_id\":\"90210716-99F8-0A4F-8119-9BFC16CD68A3\"}}");
    assertThat(of(glean, Map.of()).sampleId()).isEqualTo(17);
    assertThat(glean.at("/client_info/client_id").asText())
        .isEqualTo("90210716-99f8-0a4f-8119-9bfc16cd68a3");
  }

  @Test
  void shouldHashTheUuidTheSchemaNames() throws IOException {
    Map<String, String> byDocumentId =
        Map.of(
            Attributes.DOCUMENT_ID,
            "0E085F25-DD1C-412A-86C7-177D1B5AA5EB",
            Attributes.SAMPLE_ID_SOURCE_UUID_ATTRIBUTE,
            "document_id");
    assertThat(of(doc("{}"), byDocumentId).sampleId()).isEqualTo(12);
    Map<String, String> byPath =
        Map.of(Attributes.SAMPLE_ID_SOURCE_UUID_PAYLOAD_PATH, "[\"context_id\"]");
    assertThat(
            of(doc("{\"context_id\":\"{2907648d-711b-4e9f-94b5-52a2b40a44b1}\"}"), byPath)
                .sampleId())
        .isEqualTo(67);
    // a named source without a UUID: none, not the client id
    assertThat(
            of(doc("{\"clientId\":\"2907648d-711b-4e9f-94b5-52a2b40a44b1\"}"), byPath).sampleId())
        .isNull();
  }

  @Test
  void shouldReadOsAndChannelByPingShape() throws IOException {
    Map<String, String> telemetry =
        Map.of(Attributes.APP_UPDATE_CHANNEL, "beta", Attributes.APP_NAME, "Firefox");
    DecoderAttributes desktop =
        of(
            doc(
                "{\"environment\":{\"system\":{\"os\":{\"name\":\"Darwin\",\"version\":\"14.5.0\"}}}}"),
            telemetry);
    assertThat(desktop)
        .isEqualTo(new DecoderAttributes(null, null, "beta", "Mac", "14.5.0", "Firefox", "FI"));
    DecoderAttributes core =
        of(
            doc("{\"os\":\"Android\",\"osversion\":\"23\"}"),
            Map.of(Attributes.APP_UPDATE_CHANNEL, "nightly-cck-x", Attributes.APP_NAME, "Fennec"));
    assertThat(core)
        .isEqualTo(new DecoderAttributes(null, null, "nightly", "Android", "23", "Fennec", "FI"));
    DecoderAttributes glean =
        of(
            doc(
                "{\"client_info\":{\"app_channel\":\"release\",\"os\":\"iOS\",\"os_version\":\"18.1\"}}"),
            Map.of(Attributes.APP_UPDATE_CHANNEL, "beta"));
    assertThat(glean)
        .isEqualTo(new DecoderAttributes(null, null, "release", "iOS", "18.1", null, "FI"));
    DecoderAttributes activityStream = of(doc("{\"release_channel\":\"esr\"}"), Map.of());
    assertThat(activityStream.normalizedChannel()).isEqualTo("esr");
    assertThat(activityStream.normalizedOs()).isNull();
  }

  @Test
  void shouldApplyTheSchemasOverrides() throws IOException {
    Map<String, String> attrs =
        Map.of(
            Attributes.APP_UPDATE_CHANNEL,
            "beta",
            Attributes.OVERRIDE_ATTRIBUTES,
            "[{\"name\":\"normalized_channel\",\"value\":\"release\"},"
                + "{\"name\":\"geo_city\",\"value\":null}]");
    PipelineSettings s = PipelineSettings.of(attrs);
    assertThat(DecoderAttributes.of(doc("{}"), attrs, "DE", s).normalizedChannel())
        .isEqualTo("release");
    Geo g = s.apply(new Geo("DE", "EU", "BE", null, "Berlin", 52.5, 13.4, "db"));
    assertThat(g).isEqualTo(new Geo("DE", "EU", "BE", null, null, null, null, "db"));
  }
}
