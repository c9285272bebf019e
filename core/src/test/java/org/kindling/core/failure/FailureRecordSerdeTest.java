package org.kindling.core.failure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FailureRecordSerdeTest {
  @Test
  void shouldRoundTripEveryFieldIncludingBinaryPayload() {
    byte[] payload = {0x1f, (byte) 0x8b, 0, (byte) 0xff, 'x'};
    Map<String, String> attrs = new LinkedHashMap<>();
    attrs.put("uri", "/submit/glow/download/1/5d2c8f0e-5a0b-4a4e-9b0e-2f1c6c1f3a11");
    attrs.put("user_agent", "Mozilla/5.0 \"quoted\" ünïcode");
    FailureRecord r =
        FailureRecord.of(
            payload,
            attrs,
            "json_parse",
            new IllegalArgumentException("bad input"),
            "validator",
            Instant.parse("2026-11-24T18:05:00.123456Z"));
    try (FailureRecordSerde serde = new FailureRecordSerde()) {
      byte[] bytes = serde.serializer().serialize("ingest.errors", r);
      FailureRecord back = serde.deserializer().deserialize("ingest.errors", bytes);
      assertThat(back).isEqualTo(r);
      assertThat(back.payload()).isEqualTo(payload);
      assertThat(back.exceptionClass()).isEqualTo(IllegalArgumentException.class.getName());
      assertThat(new String(bytes, StandardCharsets.UTF_8))
          .contains("\"error_type\":\"json_parse\"");
    }
  }
}
