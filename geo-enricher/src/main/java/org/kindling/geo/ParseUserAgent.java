package org.kindling.geo;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.kindling.core.config.KindlingConfig;

/**
 * Reads browser, major version and operating system from a User-Agent header in the taxonomy of
 * Mozilla's decoder (gcp-ingestion, ingestion-beam {@code ParseUserAgent}), so that {@code
 * metadata.user_agent} means the same in both pipelines: browsers {@code Edge}, {@code Chrome},
 * {@code Opera Mini}, {@code Opera Mobi}, {@code Opera}, {@code MSIE}, {@code Safari}, {@code
 * FxSync}, {@code Firefox}; systems {@code iPod}, {@code iPad}, {@code iPhone}, {@code Android},
 * {@code BlackBerry}, {@code Linux}, {@code Macintosh}, {@code FirefoxOS} and {@code Windows 10} to
 * {@code Windows 2000}.
 *
 * <p>The rules: each name is looked for in the header; when several appear, the one earliest in the
 * lists above wins (Edge sends Chrome and Safari too, Chrome sends Safari). The version is the
 * number right after the browser's name and its separator ({@code Firefox/133}, {@code MSIE 9});
 * for Opera and Safari, whose own number is elsewhere, it is the number after the header's last
 * slash; {@code Trident/7.0} is MSIE 11. When the winning browser appears more than once, the first
 * appearance with a version gives it. The Firefox Sync clients imply their system (Android, iOS).
 * Thread-safe.
 */
public final class ParseUserAgent {
  /** A browser: its name in the header, its value, how its version is found, its implied OS. */
  private record Browser(String name, String value, String separator, String fixed, String os) {}

  /** In order of precedence. A null separator: the number after the header's last slash. */
  private static final List<Browser> BROWSERS =
      List.of(
          new Browser("Edge", "Edge", "/", null, null),
          new Browser("Chrome", "Chrome", "/", null, null),
          new Browser("Opera Mini", "Opera Mini", null, null, null),
          new Browser("Opera Mobi", "Opera Mobi", null, null, null),
          new Browser("Opera", "Opera", null, null, null),
          new Browser("MSIE", "MSIE", " ", null, null),
          new Browser("Trident/7.0", "MSIE", "", "11", null),
          new Browser("Safari", "Safari", null, null, null),
          new Browser("Firefox AndroidSync", "FxSync", " ", null, "Android"),
          new Browser("Firefox-iOS-Sync", "FxSync", "/", null, "iOS"),
          new Browser("Firefox", "Firefox", "/", null, null));

  /** Operating systems in order of precedence: the text to find, the value. */
  private static final Map<String, String> SYSTEMS = systems();

  private static Map<String, String> systems() {
    Map<String, String> m = new LinkedHashMap<>();
    for (String s :
        List.of("iPod", "iPad", "iPhone", "Android", "BlackBerry", "Linux", "Macintosh")) {
      m.put(s, s);
    }
    m.put("Mozilla/5.0 (Mobile;", "FirefoxOS");
    m.put("Windows NT 10.0", "Windows 10");
    m.put("Windows NT 6.3", "Windows 8.1");
    m.put("Windows NT 6.2", "Windows 8");
    m.put("Windows NT 6.1", "Windows 7");
    m.put("Windows NT 6.0", "Windows Vista");
    m.put("Windows NT 5.1", "Windows XP");
    m.put("Windows NT 5.0", "Windows 2000");
    return Collections.unmodifiableMap(m);
  }

  /** Any browser name, the ones that extend another first (the list order already does). */
  private static final Pattern BROWSER_NAMES = alternation(BROWSERS.stream().map(Browser::name));

  private static final Pattern SYSTEM_NAMES = alternation(SYSTEMS.keySet().stream());

  private static final Map<String, Integer> RANK = ranks();

  private static Map<String, Integer> ranks() {
    Map<String, Integer> m = new java.util.HashMap<>();
    for (int i = 0; i < BROWSERS.size(); i++) {
      m.put(BROWSERS.get(i).name(), i);
    }
    return m;
  }

  private static Pattern alternation(java.util.stream.Stream<String> names) {
    return Pattern.compile(names.map(Pattern::quote).collect(Collectors.joining("|")));
  }

  private final Map<String, UserAgentInfo> cache;
  private final int cacheSize;

  /**
   * @param cacheSize how many parsed strings to keep (0 = no cache)
   */
  public ParseUserAgent(int cacheSize) {
    this.cacheSize = cacheSize;
    this.cache =
        cacheSize <= 0
            ? null
            : Collections.synchronizedMap(
                new LinkedHashMap<>(16, 0.75f, true) {
                  private static final long serialVersionUID = 1L;

                  @Override
                  protected boolean removeEldestEntry(Map.Entry<String, UserAgentInfo> eldest) {
                    return size() > ParseUserAgent.this.cacheSize;
                  }
                });
  }

  /** The parser configured by {@code geo.user.agent.cache.size}. */
  public static ParseUserAgent fromConfig(KindlingConfig config) {
    return new ParseUserAgent(config.getInt(GeoConfig.USER_AGENT_CACHE_SIZE));
  }

  /** What is known of {@code userAgent}; {@link UserAgentInfo#UNKNOWN} when nothing is. */
  public UserAgentInfo parse(String userAgent) {
    if (userAgent == null || userAgent.isEmpty()) {
      return UserAgentInfo.UNKNOWN;
    }
    if (cache == null) {
      return read(userAgent);
    }
    UserAgentInfo known = cache.get(userAgent);
    if (known == null) {
      known = read(userAgent);
      cache.put(userAgent, known);
    }
    return known;
  }

  static UserAgentInfo read(String agent) {
    Browser browser = null;
    String version = null;
    List<int[]> taken = new java.util.ArrayList<>();
    Matcher m = BROWSER_NAMES.matcher(agent);
    while (m.find()) {
      Browser b = BROWSERS.get(RANK.get(m.group()));
      taken.add(new int[] {m.start(), m.end()});
      if (browser == null || RANK.get(b.name()) < RANK.get(browser.name())) {
        browser = b;
        version = versionAfter(agent, m.end(), b);
      } else if (b == browser && version == null) {
        version = versionAfter(agent, m.end(), b);
      }
    }
    String os = null;
    int osRank = Integer.MAX_VALUE;
    Matcher s = SYSTEM_NAMES.matcher(agent);
    List<String> order = List.copyOf(SYSTEMS.keySet());
    while (s.find()) {
      if (inside(taken, s.start())) {
        continue; // part of a browser's name ("Android" in "Firefox AndroidSync")
      }
      int r = order.indexOf(s.group());
      if (r < osRank) {
        osRank = r;
        os = SYSTEMS.get(s.group());
      }
    }
    if (browser == null) {
      return new UserAgentInfo(null, null, os);
    }
    if (browser.fixed() != null) {
      version = browser.fixed();
    } else if (browser.separator() == null) {
      version = numberAfterLastSlash(agent);
    }
    return new UserAgentInfo(browser.value(), version, browser.os() != null ? browser.os() : os);
  }

  private static boolean inside(List<int[]> spans, int at) {
    for (int[] span : spans) {
      if (at >= span[0] && at < span[1]) {
        return true;
      }
    }
    return false;
  }

  /** The digits right after {@code separator} at {@code at}, or null. */
  private static String versionAfter(String agent, int at, Browser b) {
    String sep = b.separator();
    if (sep == null || sep.isEmpty() || !agent.startsWith(sep, at)) {
      return null;
    }
    return digits(agent, at + sep.length());
  }

  /** The digits after the last slash that is followed by a digit, or null. */
  private static String numberAfterLastSlash(String agent) {
    for (int i = agent.length() - 2; i >= 0; i--) {
      if (agent.charAt(i) == '/' && isDigit(agent.charAt(i + 1))) {
        return digits(agent, i + 1);
      }
    }
    return null;
  }

  private static String digits(String s, int from) {
    int end = from;
    while (end < s.length() && isDigit(s.charAt(end))) {
      end++;
    }
    return end == from ? null : s.substring(from, end);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
