package org.kindling.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressTest {
  private static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s); // literals only: no lookup
  }

  @Test
  void shouldUsePeerWhenNoProxyIsTrusted() throws Exception {
    ClientAddress c = new ClientAddress(List.of(), 1);
    assertThat(c.resolve(ip("203.0.113.7"), "198.51.100.1")).isEqualTo("203.0.113.7");
  }

  @Test
  void shouldIgnoreForwardedForFromUntrustedPeer() throws Exception {
    ClientAddress c = new ClientAddress(List.of("10.0.0.0/8"), 1);
    assertThat(c.resolve(ip("203.0.113.7"), "198.51.100.1")).isEqualTo("203.0.113.7");
  }

  @Test
  void shouldTakeRightMostEntryFromTrustedPeer() throws Exception {
    ClientAddress c = new ClientAddress(List.of("10.0.0.0/8"), 1);
    assertThat(c.resolve(ip("10.1.2.3"), "198.51.100.1")).isEqualTo("198.51.100.1");
  }

  @Test
  void shouldNotLetClientSpoofItsAddress() throws Exception {
    // The client sent "X-Forwarded-For: 1.2.3.4"; the load balancer appended the real address.
    ClientAddress c = new ClientAddress(List.of("10.0.0.0/8"), 1);
    assertThat(c.resolve(ip("10.1.2.3"), "1.2.3.4, 198.51.100.1")).isEqualTo("198.51.100.1");
    // Even when the spoofed entry claims to be a trusted proxy, one hop stops at the real one.
    assertThat(c.resolve(ip("10.1.2.3"), "1.2.3.4, 10.9.9.9, 198.51.100.1"))
        .isEqualTo("198.51.100.1");
  }

  @Test
  void shouldWalkBackThroughTrustedProxiesUpToHops() throws Exception {
    ClientAddress c = new ClientAddress(List.of("10.0.0.0/8", "192.168.0.0/16"), 2);
    // client -> 192.168.1.1 (CDN) -> 10.0.0.5 (LB) -> edge
    assertThat(c.resolve(ip("10.0.0.5"), "198.51.100.1, 192.168.1.1")).isEqualTo("198.51.100.1");
    // Only two hops are honoured: a third trusted-looking entry is not walked past.
    assertThat(c.resolve(ip("10.0.0.5"), "1.1.1.1, 10.7.7.7, 192.168.1.1")).isEqualTo("10.7.7.7");
    // The first untrusted entry from the right ends the walk.
    assertThat(c.resolve(ip("10.0.0.5"), "1.1.1.1, 198.51.100.1, 192.168.1.1"))
        .isEqualTo("198.51.100.1");
  }

  @Test
  void shouldStopAtGarbageEntries() throws Exception {
    ClientAddress c = new ClientAddress(List.of("10.0.0.0/8"), 1);
    assertThat(c.resolve(ip("10.1.2.3"), "not-an-ip")).isEqualTo("10.1.2.3");
    assertThat(c.resolve(ip("10.1.2.3"), "")).isEqualTo("10.1.2.3");
    assertThat(c.resolve(ip("10.1.2.3"), "example.com")).isEqualTo("10.1.2.3");
  }

  @Test
  void shouldHandlePortsIpv6AndMappedAddresses() throws Exception {
    ClientAddress c = new ClientAddress(List.of("10.0.0.0/8", "fd00::/8"), 1);
    assertThat(c.resolve(ip("10.1.2.3"), "198.51.100.1:4711")).isEqualTo("198.51.100.1");
    assertThat(c.resolve(ip("10.1.2.3"), "[2001:db8::1]:443")).isEqualTo("2001:db8::1");
    assertThat(c.resolve(ip("fd00::1"), "2001:db8::2")).isEqualTo("2001:db8::2");
    assertThat(c.resolve(ip("::ffff:10.1.2.3"), "198.51.100.9")).isEqualTo("198.51.100.9");
  }

  @Test
  void shouldMatchCidrBoundaries() {
    ClientAddress c = new ClientAddress(List.of("172.16.0.0/12", "192.0.2.1"), 1);
    assertThat(c.isTrusted(new byte[] {(byte) 172, 16, 0, 1})).isTrue();
    assertThat(c.isTrusted(new byte[] {(byte) 172, 31, (byte) 255, (byte) 255})).isTrue();
    assertThat(c.isTrusted(new byte[] {(byte) 172, 32, 0, 0})).isFalse();
    assertThat(c.isTrusted(new byte[] {(byte) 192, 0, 2, 1})).isTrue();
    assertThat(c.isTrusted(new byte[] {(byte) 192, 0, 2, 2})).isFalse();
  }

  @Test
  void shouldRejectInvalidProxyConfiguration() {
    assertThatThrownBy(() -> new ClientAddress(List.of("proxy.example.com"), 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ClientAddress(List.of("10.0.0.0/33"), 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
