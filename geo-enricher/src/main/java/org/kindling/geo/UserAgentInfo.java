package org.kindling.geo;

/**
 * What {@code metadata.user_agent} keeps of a User-Agent header; the header itself is dropped.
 *
 * @param browser browser family as ua-parser names it ("Firefox", "Chrome", "Edge", "Safari",
 *     "Mobile Safari", "Chrome Mobile", ...), or null
 * @param version the browser's major version, or null
 * @param os operating system family ("Windows", "Mac OS X", "Linux", "Android", "iOS", ...), or
 *     null
 */
public record UserAgentInfo(String browser, String version, String os) {
  /** Nothing known. */
  public static final UserAgentInfo UNKNOWN = new UserAgentInfo(null, null, null);
}
