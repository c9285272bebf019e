package org.kindling.export.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kindling.core.Json;
import org.kindling.export.Documents;
import org.kindling.export.ExportRecord;
import org.kindling.export.Item;
import org.kindling.export.ReadRecord;
import org.kindling.export.TestConfigs;

class WebhookDestinationTest {
  private static final Instant T = Instant.parse("2026-11-30T12:00:00Z");

  @Test
  void shouldPostDocumentsAndErrorsInOneSignedEnvelope() throws Exception {
    WebhookDestination d =
        WebhookDestination.create(
            TestConfigs.destination(
                "hooks",
                "webhook",
                "webhook.url",
                "https://hooks.example/in?team=glow",
                "webhook.secret",
                "s3cret",
                "webhook.header.authorization",
                "Bearer abc",
                "webhook.header.x.team",
                "glow"),
            Clock.fixed(T, ZoneOffset.UTC));
    assertThat(d.target()).isEqualTo("https://hooks.example/in");
    ExportRecord doc = Documents.record("glow", "d-1", T, 0);
    ExportRecord err = ReadRecord.read(Documents.error(0, 1, Documents.rejection("e-1", T)));
    byte[] body = d.body(List.of(Item.of(doc, d.encode(doc)), Item.of(err, d.encode(err))));
    JsonNode n = Json.mapper().readTree(body);
    assertThat(n.path("destination").asText()).isEqualTo("hooks");
    assertThat(n.path("sent_at").asText()).isEqualTo(T.toString());
    assertThat(n.path("documents")).hasSize(1);
    assertThat(n.path("documents").get(0)).isEqualTo(doc.document());
    JsonNode e = n.path("errors").get(0);
    assertThat(e.path("document_id").asText()).isEqualTo("e-1");
    assertThat(e.path("stage").asText()).isEqualTo("validator");
    assertThat(e.path("error_type").asText()).isEqualTo("schema_validation");
    assertThat(e.path("payload_base64").asText()).isEqualTo("eyJwcm9kdWN0IjoxfQ==");
    assertThat(e.path("attributes").has("remote_addr")).isFalse();
    assertThat(e.path("attributes").has("x_forwarded_for")).isFalse();
    assertThat(new String(body, java.nio.charset.StandardCharsets.UTF_8))
        .doesNotContain("203.0.113.7", "198.51.100.1");
  }
}
