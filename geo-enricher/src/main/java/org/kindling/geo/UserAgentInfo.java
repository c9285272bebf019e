package org.kindling.geo;

/**
 * What {@code metadata.user_agent} keeps of a User-Agent header; the header itself is dropped.
 *
 * <p>In the taxonomy of Mozilla's decoder ({@link ParseUserAgent}).
 *
 * @param browser "Firefox", "Chrome", "Edge", "Safari", "MSIE", "Opera", "Opera Mini", "Opera
 *     Mobi", "FxSync", or null
 * @param version the browser's major version, or null
 * @param os "Windows 10" (to "Windows 2000"), "Macintosh", "Linux", "Android", "iPhone", "iPad",
 *     "iPod", "BlackBerry", "FirefoxOS", "iOS" (Firefox Sync), or null
 */
public record UserAgentInfo(String browser, String version, String os) {
  /** Nothing known. */
  public static final UserAgentInfo UNKNOWN = new UserAgentInfo(null, null, null);
}
