package org.kindling.geo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ParseUserAgentTest {
  private static ParseUserAgent parser;

  @BeforeAll
  static void load() {
    parser = new ParseUserAgent(100);
  }

  @ParameterizedTest(name = "{1} {2} on {3}")
  @CsvSource(
      delimiter = '|',
      value = {
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
            + "|Firefox|133|Windows",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:133.0) Gecko/20100101 Firefox/133.0"
            + "|Firefox|133|Mac OS X",
        "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0|Firefox|133|Linux",
        "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0"
            + "|Firefox Mobile|133|Android",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like"
            + " Gecko) FxiOS/133.0 Mobile/15E148 Safari/605.1.15|Firefox iOS|133|iOS",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/131.0.0.0 Safari/537.36|Chrome|131|Windows",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/131.0.0.0 Safari/537.36|Chrome|131|Mac OS X",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/131.0.0.0 Safari/537.36|Chrome|131|Linux",
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/131.0.0.0 Mobile Safari/537.36|Chrome Mobile|131|Android",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like"
            + " Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1|Chrome Mobile iOS|131|iOS",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)"
            + " Version/18.1 Safari/605.1.15|Safari|18|Mac OS X",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like"
            + " Gecko) Version/18.1 Mobile/15E148 Safari/604.1|Mobile Safari|18|iOS",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0|Edge|131|Windows",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0|Edge|131|Mac OS X",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0|Edge|131|Linux",
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/131.0.0.0 Mobile Safari/537.36 EdgA/131.0.0.0|Edge Mobile|131|Android",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like"
            + " Gecko) Version/17.0 EdgiOS/131.0.2903.63 Mobile/15E148 Safari/605.1.15"
            + "|Edge Mobile|131|iOS",
      })
  void shouldParseBrowserMajorVersionAndOs(
      String userAgent, String browser, String version, String os) {
    assertThat(parser.parse(userAgent)).isEqualTo(new UserAgentInfo(browser, version, os));
  }

  @Test
  void shouldGiveNothingForBlankOrUnknownAgents() {
    assertThat(parser.parse(null)).isEqualTo(UserAgentInfo.UNKNOWN);
    assertThat(parser.parse("  ")).isEqualTo(UserAgentInfo.UNKNOWN);
    assertThat(parser.parse("definitely not a browser")).isEqualTo(UserAgentInfo.UNKNOWN);
  }

  @Test
  void shouldParseTheSameWithoutCache() {
    String ua = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
    assertThat(new ParseUserAgent(0).parse(ua)).isEqualTo(parser.parse(ua));
  }

  @Test
  void shouldCutVeryLongAgents() {
    String ua =
        "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0 "
            + "x".repeat(100_000);
    assertThat(parser.parse(ua).browser()).isEqualTo("Firefox");
  }
}
