package org.kindling.logs.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ParseSyslogTest {
  static final String LINE =
      "203.0.113.9 - - [27/Nov/2026:10:00:00 +0000] \"GET /firefox/145.0/win64/en-US/x.exe"
          + " HTTP/1.1\" 200 123 \"-\" \"Mozilla/5.0\"";

  private final ParseSyslog parse =
      new ParseSyslog(
          Clock.fixed(Instant.parse("2026-12-04T20:00:00Z"), ZoneOffset.UTC), ZoneOffset.UTC);

  private record Parsed(String host, long micros, String msg) {}

  private Parsed parse(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    ParseSyslog.Message m = parse.parse(b, b.length);
    return new Parsed(
        m.hostname(),
        m.micros(),
        new String(b, m.msgOffset(), m.msgLength(), StandardCharsets.UTF_8));
  }

  private static long micros(String iso) {
    Instant i = Instant.parse(iso);
    return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
  }

  @Test
  void shouldReadWhatSyslogNgsSyslogDestinationSends() {
    // captured from syslog-ng 3.38: syslog() destination, file source with flags(no-parse)
    Parsed p =
        parse("<13>1 2026-12-04T19:38:02+00:00 vm - - - [meta sequenceId=\"1\"] " + LINE + "\n");
    assertThat(p.host()).isEqualTo("vm");
    assertThat(p.micros()).isEqualTo(micros("2026-12-04T19:38:02Z"));
    assertThat(p.msg()).isEqualTo(LINE);
  }

  @Test
  void shouldReadRfc5424WithEscapedStructuredDataAndABom() {
    Parsed p =
        parse(
            "<165>1 2026-12-04T19:38:02.123456Z web1 nginx 42 ID47 [a x=\"q\\\"]\\\\\"][b y=\"2\"]"
                + " \uFEFF"
                + LINE);
    assertThat(p.host()).isEqualTo("web1");
    assertThat(p.micros()).isEqualTo(micros("2026-12-04T19:38:02.123456Z"));
    assertThat(p.msg()).isEqualTo(LINE);
    Parsed nil = parse("<13>1 - - - - - - " + LINE);
    assertThat(nil.host()).isEqualTo("-");
    assertThat(nil.micros()).isEqualTo(Long.MIN_VALUE);
    assertThat(nil.msg()).isEqualTo(LINE);
  }

  @Test
  void shouldReadWhatSyslogNgsNetworkDestinationSends() {
    // captured from syslog-ng 3.38: network() destination, no TAG with flags(no-parse)
    Parsed p = parse("<13>Dec  4 19:38:02 vm " + LINE + "\n");
    assertThat(p.host()).isEqualTo("vm");
    assertThat(p.micros()).isEqualTo(micros("2026-12-04T19:38:02Z"));
    assertThat(p.msg()).isEqualTo(LINE);
  }

  @Test
  void shouldReadRfc3164WithATagAndGuessTheYear() {
    Parsed p = parse("<190>Dec 31 23:59:59 web2 nginx[1234]: " + LINE);
    assertThat(p.host()).isEqualTo("web2");
    assertThat(p.micros())
        .as("closest to now: last year's December? no, this one")
        .isEqualTo(micros("2026-12-31T23:59:59Z"));
    assertThat(p.msg()).isEqualTo(LINE);
    Parsed ipv6 = parse("<13>Dec  4 19:38:02 vm 2001:db8::7 - - [x]");
    assertThat(ipv6.msg()).as("an IPv6 address is not a tag").isEqualTo("2001:db8::7 - - [x]");
    Parsed rfc3339 = parse("<13>2026-12-04T19:38:02+01:00 web3 httpd: " + LINE);
    assertThat(rfc3339.host()).isEqualTo("web3");
    assertThat(rfc3339.micros()).isEqualTo(micros("2026-12-04T18:38:02Z"));
    assertThat(rfc3339.msg()).isEqualTo(LINE);
  }

  @Test
  void shouldTakeAMessageWithoutPriorityAsTheLine() {
    Parsed p = parse(LINE + "\r\n");
    assertThat(p.host()).isEqualTo("-");
    assertThat(p.msg()).isEqualTo(LINE);
  }
}
