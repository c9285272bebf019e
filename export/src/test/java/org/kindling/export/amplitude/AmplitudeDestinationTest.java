package org.kindling.export.amplitude;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kindling.core.Json;
import org.kindling.export.Documents;
import org.kindling.export.ExportRecord;
import org.kindling.export.Item;
import org.kindling.export.ReadRecord;
import org.kindling.export.TestConfigs;
import org.kindling.export.UnencodableException;

class AmplitudeDestinationTest {
  private static final Instant T = Instant.parse("2026-11-30T12:00:00.123456Z");

  private static AmplitudeDestination amplitude(String... kv) {
    String[] all = new String[kv.length + 2];
    all[0] = "amplitude.api.key";
    all[1] = "KEY123";
    System.arraycopy(kv, 0, all, 2, kv.length);
    return AmplitudeDestination.create(
        TestConfigs.destination("amp", "amplitude", all), Clock.systemUTC());
  }

  private static ExportRecord glean(String id, String clientId) {
    ObjectNode d = Documents.download(id, T, "FR", "Android");
    d.putObject("client_info").put("client_id", clientId).put("app_channel", "nightly");
    d.put("duration", 42);
    return ReadRecord.read(
        Documents.enriched(
            0, 0, Documents.bytes(d), Documents.attributes("glean", "baseline", id, T)));
  }

  @Test
  void shouldMakeAnEventPerDocumentInTheHttpV2Shape() throws Exception {
    AmplitudeDestination a =
        amplitude("amplitude.event.properties", "duration,channel=client_info.app_channel,nope");
    ExportRecord r = glean("doc-1", "c0ffee-client");
    JsonNode e = Json.mapper().readTree(a.encode(r));
    assertThat(e.path("event_type").asText()).isEqualTo("glean.baseline");
    assertThat(e.path("device_id").asText()).isEqualTo("c0ffee-client");
    assertThat(e.has("user_id")).isFalse();
    assertThat(e.path("insert_id").asText()).isEqualTo("doc-1");
    assertThat(e.path("time").isIntegralNumber()).isTrue();
    assertThat(e.path("time").asLong()).isEqualTo(T.toEpochMilli());
    assertThat(e.path("country").asText()).isEqualTo("FR");
    assertThat(e.path("os_name").asText()).isEqualTo("Android");
    assertThat(e.has("ip")).isFalse();
    assertThat(e.path("event_properties").path("duration").asInt()).isEqualTo(42);
    assertThat(e.path("event_properties").path("channel").asText()).isEqualTo("nightly");
    assertThat(e.path("event_properties").has("nope")).isFalse();
    JsonNode body = Json.mapper().readTree(a.body(List.of(Item.of(r, a.encode(r)))));
    assertThat(body.path("api_key").asText()).isEqualTo("KEY123");
    assertThat(body.path("events")).hasSize(1);
    assertThat(body.has("options")).isFalse();
    JsonNode withOptions =
        Json.mapper()
            .readTree(
                amplitude("amplitude.min.id.length", "3").body(List.of(Item.of(r, a.encode(r)))));
    assertThat(withOptions.path("options").path("min_id_length").asInt()).isEqualTo(3);
  }

  @Test
  void shouldTakeTheUserIdFromTheConfiguredField() throws Exception {
    ObjectNode d = Documents.download("doc-2", T, "DE", "Linux");
    d.put("account", "user-20391");
    ExportRecord r =
        ReadRecord.read(
            Documents.enriched(
                0, 0, Documents.bytes(d), Documents.attributes("glow", "download", "doc-2", T)));
    JsonNode e = Json.mapper().readTree(amplitude("amplitude.user.id.field", "account").encode(r));
    assertThat(e.path("user_id").asText()).isEqualTo("user-20391");
    assertThat(e.has("device_id")).isFalse();
  }

  @Test
  void shouldRefuseADocumentWithoutAnyId() {
    ExportRecord r = Documents.record("glow", "doc-3", T, 0);
    assertThatThrownBy(() -> amplitude().encode(r))
        .isInstanceOf(UnencodableException.class)
        .hasMessage(
            "no user_id or device_id in the document (looked at client_id, clientId,"
                + " client_info.client_id)");
  }

  @Test
  void shouldReadTheEventsA400Names() {
    String body =
        "{\"code\":400,\"error\":\"Request missing required field\","
            + "\"missing_field\":\"event_type\","
            + "\"events_with_invalid_fields\":{\"time\":[0,3]},"
            + "\"events_with_missing_fields\":{\"event_type\":[3,5]}}";
    assertThat(AmplitudeDestination.rejectedEvents(body)).containsExactly(0, 3, 5);
    assertThat(AmplitudeDestination.rejectedEvents("{\"code\":400,\"error\":\"Invalid API key\"}"))
        .isEmpty();
    assertThat(AmplitudeDestination.rejectedEvents("<html>")).isEmpty();
  }
}
