package org.kindling.logs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IpAddressTest {
  @Test
  void shouldTellAddressesFromTheRest() {
    for (String ok :
        new String[] {
          "203.0.113.9", "0.0.0.0", "2001:db8::7", "::1", "::ffff:192.0.2.1", "fe80::1%eth0"
        }) {
      assertThat(IpAddress.isValid(ok)).as(ok).isTrue();
    }
    for (String bad :
        new String[] {
          "-",
          "",
          "example.org",
          "256.1.1.1",
          "1.2.3",
          "1.2.3.4.5",
          "unix:",
          "1:2",
          "12:34:56:78:9a:bc:de:f0:11",
          "::g"
        }) {
      assertThat(IpAddress.isValid(bad)).as(bad).isFalse();
    }
  }
}
