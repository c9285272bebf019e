package org.kindling.logs.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ParseRegexLogTest {
  /** The seed's syslog-ng output: address, ISO time, method, path, status (see README). */
  static final String SEED =
      "(?<remoteaddr>\\S+) (?<time>\\S+) (?<method>\\S+) (?<path>\\S+) (?<status>\\d{3})";

  @Test
  void shouldReadTheSeedsSyslogNgOutput() throws Exception {
    LogLine l =
        new ParseRegexLog(SEED)
            .parse("203.0.113.9 2026-11-27T10:00:00+00:00 GET /firefox/145.0/osx/de/f.dmg 302");
    assertThat(l.remoteAddr()).isEqualTo("203.0.113.9");
    assertThat(l.time()).isEqualTo("2026-11-27T10:00:00+00:00");
    assertThat(l.method()).isEqualTo("GET");
    assertThat(l.path()).isEqualTo("/firefox/145.0/osx/de/f.dmg");
    assertThat(l.status()).isEqualTo(302);
    assertThat(l.userAgent()).isNull();
  }

  @Test
  void shouldTreatFieldsTheFormatLacksAsNotLogged() throws Exception {
    LogLine l =
        new ParseRegexLog("(?<remoteaddr>\\S+) (?<time>\\S+)").parse("203.0.113.9 1795773600");
    assertThat(l.method()).isNull();
    assertThat(l.path()).isNull();
    assertThat(l.status()).isEqualTo(-1);
  }

  @Test
  void shouldSplitARequestGroupAndReadTheHost() throws Exception {
    LogLine l =
        new ParseRegexLog(
                "(?<host>\\S+) (?<remoteaddr>\\S+) \"(?<request>[^\"]*)\" (?<status>\\d+)")
            .parse("download.example.org 203.0.113.9 \"GET /x HTTP/1.1\" 200");
    assertThat(l.host()).isEqualTo("download.example.org");
    assertThat(l.method()).isEqualTo("GET");
    assertThat(l.protocol()).isEqualTo("HTTP/1.1");
  }

  @Test
  void shouldRefuseBadExpressions() {
    assertThatThrownBy(() -> new ParseRegexLog("(?<time>\\S+)")).hasMessageContaining("remoteaddr");
    assertThatThrownBy(() -> new ParseRegexLog("(?<remoteaddr>\\S+) (?<ip>\\S+)"))
        .hasMessageContaining("unknown group (?<ip>)");
    assertThatThrownBy(() -> new ParseRegexLog("(?<remoteaddr>\\S+"))
        .hasMessageContaining("not a regular expression");
  }

  @Test
  void shouldRefuseALineThatDoesNotMatch() {
    assertThatThrownBy(() -> new ParseRegexLog(SEED).parse("garbage"))
        .isInstanceOf(LogParseException.class);
  }
}
