package org.kindling.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DeriveDocumentIdTest {
  @Test
  void shouldMatchTheVersion5ExampleOfRfc9562() {
    // RFC 9562, appendix A.4: name "www.example.com" in the DNS namespace
    UUID dns = UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
    UUID id = new DeriveDocumentId(dns).v5("www.example.com".getBytes(StandardCharsets.UTF_8));
    assertThat(id).isEqualTo(UUID.fromString("2ed6657d-e927-568b-95e1-2665a8aea6a2"));
    assertThat(id.version()).isEqualTo(5);
    assertThat(id.variant()).isEqualTo(2);
  }

  @Test
  void shouldGiveTheSameIdForTheSameSourceAndLineOnly() {
    DeriveDocumentId ids = new DeriveDocumentId();
    byte[] line =
        "x 203.0.113.9 - - [27/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 1 y"
            .getBytes(StandardCharsets.UTF_8);
    byte[] a = "logs:/var/log/a.log".getBytes(StandardCharsets.UTF_8);
    byte[] b = "logs:/var/log/b.log".getBytes(StandardCharsets.UTF_8);
    UUID first = ids.derive(a, line, 2, line.length - 4);
    assertThat(new DeriveDocumentId().derive(a, line, 2, line.length - 4)).isEqualTo(first);
    assertThat(ids.derive(b, line, 2, line.length - 4)).isNotEqualTo(first);
    assertThat(ids.derive(a, line, 2, line.length - 5)).isNotEqualTo(first);
    assertThat(first.version()).isEqualTo(5);
  }
}
