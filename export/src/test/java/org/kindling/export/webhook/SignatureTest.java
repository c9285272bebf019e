package org.kindling.export.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SignatureTest {
  @Test
  void shouldSignWithHmacSha256InLowerCaseHex() {
    // RFC 4231, test case 2
    Signature s = new Signature("Jefe");
    byte[] body = "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8);
    assertThat(s.sign(body))
        .isEqualTo("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    assertThat(s.verify(body, s.sign(body))).isTrue();
  }

  @Test
  void shouldRefuseAnotherBodyOrKey() {
    Signature s = new Signature("secret");
    byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
    String sig = s.sign(body);
    assertThat(s.verify("{\"a\":2}".getBytes(StandardCharsets.UTF_8), sig)).isFalse();
    assertThat(new Signature("other").verify(body, sig)).isFalse();
    assertThat(s.verify(body, null)).isFalse();
  }
}
