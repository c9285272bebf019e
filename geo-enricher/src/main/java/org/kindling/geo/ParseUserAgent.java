package org.kindling.geo;

import org.kindling.core.config.KindlingConfig;
import ua_parser.CachingParser;
import ua_parser.Client;
import ua_parser.Parser;

/**
 * Parses the User-Agent header with ua-parser's regular expressions ({@code uap-java}) into browser
 * family, major version and OS family. ua-parser's "Other" becomes null. Thread-safe; one instance
 * serves every stream thread (loading the expressions takes a moment).
 */
public final class ParseUserAgent {
  /** Longer strings are cut before parsing: the expressions only look at the first part. */
  static final int MAX_LENGTH = 512;

  private static final String OTHER = "Other";

  private final Parser parser;

  /**
   * @param cacheSize how many parsed strings to keep (0 = no cache)
   */
  public ParseUserAgent(int cacheSize) {
    this.parser = cacheSize > 0 ? new CachingParser(cacheSize) : new Parser();
  }

  /** The parser configured by {@code geo.user.agent.cache.size}. */
  public static ParseUserAgent fromConfig(KindlingConfig config) {
    return new ParseUserAgent(config.getInt(GeoConfig.USER_AGENT_CACHE_SIZE));
  }

  /** The parts of {@code userAgent} that are kept; {@link UserAgentInfo#UNKNOWN} when blank. */
  public UserAgentInfo parse(String userAgent) {
    if (userAgent == null || userAgent.isBlank()) {
      return UserAgentInfo.UNKNOWN;
    }
    String ua = userAgent.length() > MAX_LENGTH ? userAgent.substring(0, MAX_LENGTH) : userAgent;
    Client client = parser.parse(ua);
    String browser = known(client.userAgent == null ? null : client.userAgent.family);
    String version = browser == null ? null : blankToNull(client.userAgent.major);
    String os = known(client.os == null ? null : client.os.family);
    return new UserAgentInfo(browser, version, os);
  }

  private static String known(String family) {
    return family == null || family.isBlank() || OTHER.equals(family) ? null : family;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
