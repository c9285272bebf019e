package org.kindling.geo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Mozilla's user-agent taxonomy. The single-name cases and the precedence cases (all names
 * concatenated, best first and best last) are the known input/output pairs of gcp-ingestion's
 * {@code ParseUserAgentTest}; the real headers below them are Kindling's.
 */
class ParseUserAgentTest {
  private static final ParseUserAgent PARSER = new ParseUserAgent(100);

  private static UserAgentInfo ua(String browser, String version, String os) {
    return new UserAgentInfo(browser, version, os);
  }

  /** gcp-ingestion's OS cases, in precedence order. */
  private static final Map<String, UserAgentInfo> OS = new LinkedHashMap<>();

  /** gcp-ingestion's browser cases, in precedence order. */
  private static final Map<String, UserAgentInfo> BROWSER = new LinkedHashMap<>();

  static {
    OS.put("Firefox AndroidSync", ua("FxSync", null, "Android"));
    OS.put("Firefox-iOS-Sync", ua("FxSync", null, "iOS"));
    OS.put("iPod", ua(null, null, "iPod"));
    OS.put("iPad", ua(null, null, "iPad"));
    OS.put("iPhone", ua(null, null, "iPhone"));
    OS.put("Android", ua(null, null, "Android"));
    OS.put("BlackBerry", ua(null, null, "BlackBerry"));
    OS.put("Macintosh", ua(null, null, "Macintosh"));
    OS.put("Mozilla/5.0 (Mobile;", ua(null, null, "FirefoxOS"));
    OS.put("Windows NT 10.0", ua(null, null, "Windows 10"));
    OS.put("Windows NT 6.3", ua(null, null, "Windows 8.1"));
    OS.put("Windows NT 6.2", ua(null, null, "Windows 8"));
    OS.put("Windows NT 6.1", ua(null, null, "Windows 7"));
    OS.put("Windows NT 6.0", ua(null, null, "Windows Vista"));
    OS.put("Windows NT 5.1", ua(null, null, "Windows XP"));
    OS.put("Windows NT 5.0", ua(null, null, "Windows 2000"));

    BROWSER.put("Edge/1", ua("Edge", "1", null));
    BROWSER.put("Edge", ua("Edge", null, null));
    BROWSER.put("Chrome/2", ua("Chrome", "2", null));
    BROWSER.put("Chrome", ua("Chrome", null, null));
    BROWSER.put("Opera Mini", ua("Opera Mini", null, null));
    BROWSER.put("Opera Mobi", ua("Opera Mobi", null, null));
    BROWSER.put("Opera", ua("Opera", null, null));
    BROWSER.put("MSIE 3", ua("MSIE", "3", null));
    BROWSER.put("MSIE", ua("MSIE", null, null));
    BROWSER.put("Trident/7.0", ua("MSIE", "11", null));
    BROWSER.put("Safari", ua("Safari", null, null));
    BROWSER.put("Firefox AndroidSync 4", ua("FxSync", "4", "Android"));
    BROWSER.put("Firefox AndroidSync", ua("FxSync", null, "Android"));
    BROWSER.put("Firefox-iOS-Sync/5", ua("FxSync", "5", "iOS"));
    BROWSER.put("Firefox-iOS-Sync", ua("FxSync", null, "iOS"));
    BROWSER.put("Firefox/6", ua("Firefox", "6", null));
    BROWSER.put("Firefox", ua("Firefox", null, null));
  }

  @Test
  void shouldReadEachNameOnItsOwn() {
    OS.forEach((agent, expected) -> assertThat(PARSER.parse(agent)).as(agent).isEqualTo(expected));
    BROWSER.forEach(
        (agent, expected) -> assertThat(PARSER.parse(agent)).as(agent).isEqualTo(expected));
  }

  /** For each name, that name and every later one concatenated, in order or reversed. */
  private static void assertPrecedence(
      Map<String, UserAgentInfo> cases, boolean reversed, Map<String, UserAgentInfo> overrides) {
    List<String> names = new ArrayList<>(cases.keySet());
    for (int i = 0; i < names.size() - 1; i++) {
      List<String> tail = new ArrayList<>(names.subList(i, names.size() - 1));
      if (reversed) {
        java.util.Collections.reverse(tail);
      }
      String agent = String.join("", tail);
      UserAgentInfo expected = overrides.getOrDefault(names.get(i), cases.get(names.get(i)));
      assertThat(PARSER.parse(agent)).as(agent).isEqualTo(expected);
    }
  }

  @Test
  void shouldPreferTheBestOperatingSystem() {
    assertPrecedence(OS, false, Map.of());
    assertPrecedence(OS, true, Map.of());
  }

  @Test
  void shouldPreferTheBestBrowserAndTakeTheOperaAndSafariVersionFromTheLastSlash() {
    // best first: the last slash is "Firefox-iOS-Sync/5"'s... then "Firefox/6" is last
    assertPrecedence(
        BROWSER,
        false,
        Map.of(
            "Safari", ua("Safari", "6", null),
            "Opera", ua("Opera", "6", null),
            "Opera Mini", ua("Opera Mini", "6", null),
            "Opera Mobi", ua("Opera Mobi", "6", null)));
    assertPrecedence(
        BROWSER,
        true,
        Map.of(
            "Safari", ua("Safari", "5", null),
            "Opera", ua("Opera", "7", null),
            "Opera Mini", ua("Opera Mini", "7", null),
            "Opera Mobi", ua("Opera Mobi", "7", null)));
  }

  @ParameterizedTest(name = "{1} {2} on {3}")
  @CsvSource(
      delimiter = '|',
      value = {
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
            + "|Firefox|133|Windows 10",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:133.0) Gecko/20100101 Firefox/133.0"
            + "|Firefox|133|Macintosh",
        "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0|Firefox|133|Linux",
        "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0|Firefox|133|Android",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like"
            + " Gecko) FxiOS/133.0 Mobile/15E148 Safari/605.1.15|Safari|605|iPhone",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/131.0.0.0 Safari/537.36|Chrome|131|Windows 10",
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/131.0.0.0 Mobile Safari/537.36|Chrome|131|Android",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)"
            + " Version/18.1 Safari/605.1.15|Safari|605|Macintosh",
        "Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko|MSIE|11|Windows 7",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/70.0.3538.102 Safari/537.36 Edge/18.18363|Edge|18|Windows 10",
        "Mozilla/5.0 (Mobile; rv:48.0) Gecko/48.0 Firefox/48.0|Firefox|48|FirefoxOS",
        "Firefox AndroidSync 1.70.0.0 (Firefox)|FxSync|1|Android",
      })
  void shouldReadRealHeaders(String userAgent, String browser, String version, String os) {
    assertThat(PARSER.parse(userAgent)).isEqualTo(ua(browser, version, os));
  }

  @Test
  void shouldGiveNothingForBlankOrUnknownAgents() {
    assertThat(PARSER.parse(null)).isEqualTo(UserAgentInfo.UNKNOWN);
    assertThat(PARSER.parse("")).isEqualTo(UserAgentInfo.UNKNOWN);
    assertThat(PARSER.parse("pingsender/1.0")).isEqualTo(UserAgentInfo.UNKNOWN);
    // Glean's uploader names no browser; its system is known
    assertThat(PARSER.parse("Glean/66.1.0 (Kotlin on Android)"))
        .isEqualTo(ua(null, null, "Android"));
  }

  @Test
  void shouldParseTheSameWithoutCache() {
    String ua = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
    assertThat(new ParseUserAgent(0).parse(ua)).isEqualTo(PARSER.parse(ua));
    assertThat(PARSER.parse(ua)).isSameAs(PARSER.parse(ua));
  }

  @Test
  void shouldReadVeryLongAgentsInLinearTime() {
    String ua =
        "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Opera/133.0 "
            + "x/".repeat(100_000);
    long t = System.nanoTime();
    assertThat(PARSER.parse(ua)).isEqualTo(ua("Opera", "133", "Linux"));
    assertThat(System.nanoTime() - t).isLessThan(2_000_000_000L);
  }
}
