package org.kindling.logs.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kindling.logs.parse.LogLine;
import org.kindling.logs.parse.LogParseException;

class MatchRuleTest {
  private final MatchRule match = new MatchRule(ReadRulesTest.rules(Map.of()));

  private static LogLine request(String method, String path, int status) {
    return new LogLine("203.0.113.9", "t", method, path, "HTTP/1.1", status, null, null);
  }

  @Test
  void shouldMatchDownloadsOfTheBuiltInRule() throws Exception {
    LogLine l = request("GET", "/firefox/145.0/win64/en-US/Firefox%20Setup%20145.0.exe?ref=x", 206);
    int r = match.select(l);
    assertThat(r).isZero();
    assertThat(match.fields(r).fields())
        .containsExactly(
            Map.entry("product", "firefox"),
            Map.entry("version", "145.0"),
            Map.entry("os", "win64"),
            Map.entry("locale", "en-US"));
    assertThat(match.select(request("GET", "/thunderbird/140.5.0esr/linux64/pt-BR/tb.tar.xz", 302)))
        .isZero();
  }

  @Test
  void shouldSkipOtherRequests() {
    assertThat(match.select(request("GET", "/firefox/145.0/win64/en-US/f.exe", 404))).isEqualTo(-1);
    assertThat(match.select(request("HEAD", "/firefox/145.0/win64/en-US/f.exe", 200)))
        .isEqualTo(-1);
    assertThat(match.select(request("GET", "/firefox/new/", 200))).isEqualTo(-1);
    assertThat(match.select(request("GET", "/firefox/releases/notes/en-US/x", 200))).isEqualTo(-1);
    assertThat(match.select(request("GET", "/static/img/logo.png", 200))).isEqualTo(-1);
    assertThat(match.select(request("", "", 400))).isEqualTo(-1);
  }

  @Test
  void shouldMatchWhenTheFormatDoesNotLogMethodOrStatus() {
    assertThat(match.select(request(null, "/firefox/145.0/osx/de/f.dmg", -1))).isZero();
  }

  @Test
  void shouldFindTheRulesPathInALineThatDoesNotParse() {
    assertThat(match.lookalike("203.0.113.9 [broken \"GET /firefox/145.0/win64/en-US/f.exe"))
        .isZero();
    assertThat(match.lookalike("kernel: eth0 link up")).isEqualTo(-1);
  }

  @Test
  void shouldDecodePercentEncodingAndRefuseBadEncoding() throws Exception {
    MatchRule m =
        new MatchRule(
            java.util.List.of(
                ReadRules.build(
                    "x",
                    Map.of(
                        "doctype",
                        "glow/download/1",
                        "path",
                        "/d/(?<product>[^/]+)/(?<locale>[^/]+)"))));
    assertThat(m.select(request("GET", "/d/fire%20fox/caf%C3%A9", 200))).isZero();
    assertThat(m.fields(0).fields())
        .containsEntry("product", "fire fox")
        .containsEntry("locale", "café");
    assertThat(m.select(request("GET", "/d/fire%zzfox/x", 200))).isZero();
    assertThatThrownBy(() -> m.fields(0))
        .isInstanceOf(LogParseException.class)
        .hasMessageContaining("product");
    assertThat(m.select(request("GET", "/d/a/%C3%28", 200))).isZero();
    assertThatThrownBy(() -> m.fields(0)).hasMessageContaining("not UTF-8");
  }
}
