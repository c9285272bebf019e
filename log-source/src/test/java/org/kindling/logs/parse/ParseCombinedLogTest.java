package org.kindling.logs.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ParseCombinedLogTest {
  private final ParseCombinedLog parse = new ParseCombinedLog();

  @Test
  void shouldSplitAnNginxCombinedLine() throws Exception {
    LogLine l =
        parse.parse(
            "203.0.113.9 - - [27/Nov/2026:10:00:00 +0000] \"GET"
                + " /firefox/145.0/win64/en-US/Firefox%20Setup%20145.0.exe HTTP/1.1\" 200 52428800"
                + " \"https://www.mozilla.org/\" \"Mozilla/5.0 (Windows NT 10.0; Win64; x64;"
                + " rv:145.0) Gecko/20100101 Firefox/145.0\"");
    assertThat(l.remoteAddr()).isEqualTo("203.0.113.9");
    assertThat(l.time()).isEqualTo("27/Nov/2026:10:00:00 +0000");
    assertThat(l.method()).isEqualTo("GET");
    assertThat(l.path()).isEqualTo("/firefox/145.0/win64/en-US/Firefox%20Setup%20145.0.exe");
    assertThat(l.protocol()).isEqualTo("HTTP/1.1");
    assertThat(l.status()).isEqualTo(200);
    assertThat(l.userAgent()).startsWith("Mozilla/5.0 (Windows NT 10.0").endsWith("Firefox/145.0");
    assertThat(l.host()).isNull();
  }

  @Test
  void shouldAcceptCommonFormatAndExtraFields() throws Exception {
    LogLine common =
        parse.parse("2001:db8::7 - frank [27/Nov/2026:10:00:00 -0700] \"HEAD / HTTP/1.0\" 304 -");
    assertThat(common.remoteAddr()).isEqualTo("2001:db8::7");
    assertThat(common.status()).isEqualTo(304);
    assertThat(common.userAgent()).isNull();

    LogLine extra =
        parse.parse(
            "198.51.100.4 - - [27/Nov/2026:10:00:00 +0000] \"GET /a HTTP/2.0\" 206 10 \"-\""
                + " \"curl/8.5\" \"10.0.0.1, 10.0.0.2\" rt=0.004");
    assertThat(extra.userAgent()).isEqualTo("curl/8.5");
    assertThat(extra.protocol()).isEqualTo("HTTP/2.0");
  }

  @Test
  void shouldResolveTheEscapesOfNginxAndApache() throws Exception {
    LogLine nginx =
        parse.parse(
            "198.51.100.4 - - [27/Nov/2026:10:00:00 +0000] \"GET /q?x=\\x22y\\x22 HTTP/1.1\" 200"
                + " 1 \"-\" \"a \\\"quoted\\\" agent \\xC3\\xA9\"");
    assertThat(nginx.path()).isEqualTo("/q?x=\"y\"");
    assertThat(nginx.userAgent()).isEqualTo("a \"quoted\" agent é");
  }

  @Test
  void shouldLeaveMethodAndPathEmptyForARequestThatIsNotOne() throws Exception {
    LogLine l =
        parse.parse("198.51.100.4 - - [27/Nov/2026:10:00:00 +0000] \"-\" 400 0 \"-\" \"-\"");
    assertThat(l.method()).isEmpty();
    assertThat(l.path()).isEmpty();
    assertThat(l.userAgent()).isNull();
  }

  @Test
  void shouldRefuseLinesOfAnotherShape() {
    assertThatThrownBy(() -> parse.parse("")).isInstanceOf(LogParseException.class);
    assertThatThrownBy(() -> parse.parse("hello world"))
        .isInstanceOf(LogParseException.class)
        .hasMessageContaining("[time]");
    assertThatThrownBy(
            () ->
                parse.parse(
                    "198.51.100.4 - - [27/Nov/2026:10:00:00 +0000] \"GET /firefox/145.0/win64/en-US/x"))
        .hasMessageContaining("unterminated request");
    assertThatThrownBy(
            () ->
                parse.parse(
                    "198.51.100.4 - - [27/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" OK 1"))
        .hasMessageContaining("status");
  }
}
