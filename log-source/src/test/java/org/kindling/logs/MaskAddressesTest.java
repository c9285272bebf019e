package org.kindling.logs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MaskAddressesTest {
  @Test
  void shouldMaskAddressesAndKeepTimes() {
    assertThat(
            MaskAddresses.apply(
                "203.0.113.9 - - [27/Nov/2026:10:00:00 +0000] \"GET /a/1.2.3 HTTP/1.1\" 200 1 \"-\""
                    + " \"ua\" \"10.1.2.3, 2001:db8::7\""))
        .isEqualTo(
            "0.0.0.0 - - [27/Nov/2026:10:00:00 +0000] \"GET /a/1.2.3 HTTP/1.1\" 200 1 \"-\" \"ua\""
                + " \"0.0.0.0, ::\"");
    assertThat(MaskAddresses.apply("2001:0db8:0000:0000:0000:ff00:0042:8329 x 10:00:00"))
        .isEqualTo(":: x 10:00:00");
    assertThat(MaskAddresses.apply("::ffff:192.0.2.1 x")).isEqualTo(":: x");
  }
}
