package org.kindling.logs.parse;

/**
 * One access log line split into its fields, unchecked: the time is still text (only lines that a
 * rule matches pay for parsing it) and the address is not yet checked to be one.
 *
 * <p>The combined format's scanner makes a line whose address, time, protocol and user agent are
 * cut from the line only when asked for: most lines of a download server's log are not downloads,
 * and for them only the method, status and path are ever read.
 */
public final class LogLine {
  private final String line;
  private final int addrEnd;
  private final int timeStart;
  private final int timeEnd;
  private final int protocolStart;
  private final int requestEnd;
  private final int uaStart;
  private final int uaEnd;
  private final String method;
  private final String path;
  private final int status;
  private final String host;
  private String remoteAddr;
  private String time;
  private String protocol;
  private String userAgent;

  /**
   * A line of known fields.
   *
   * @param remoteAddr the client address as logged
   * @param time the time field as logged, or null when the format has none
   * @param method the request method; "" when the request could not be split, null when the format
   *     does not log it
   * @param path the request path with its query, as logged (percent-encoded); "" when the request
   *     could not be split, null when the format does not log it
   * @param protocol the request protocol ({@code HTTP/1.1}), or null
   * @param status the response status, or -1 when the format does not log it
   * @param userAgent the user agent, or null when absent or logged as {@code -}
   * @param host the virtual host, or null when the format does not log it
   */
  public LogLine(
      String remoteAddr,
      String time,
      String method,
      String path,
      String protocol,
      int status,
      String userAgent,
      String host) {
    this.line = null;
    this.addrEnd = this.timeStart = this.timeEnd = this.protocolStart = this.requestEnd = -1;
    this.uaStart = this.uaEnd = -1;
    this.remoteAddr = remoteAddr;
    this.time = time;
    this.method = method;
    this.path = path;
    this.protocol = protocol;
    this.status = status;
    this.userAgent = userAgent;
    this.host = host;
  }

  /**
   * A combined-format line: the fields that are cut on demand given as positions in {@code line}.
   *
   * @param protocolStart where the protocol starts, or -1 when the request has none
   * @param requestEnd the index of the request's closing quote
   * @param uaStart where the (quoted) user agent starts, or -1 when there is none
   */
  LogLine(
      String line,
      int addrEnd,
      int timeStart,
      int timeEnd,
      String method,
      String path,
      int protocolStart,
      int requestEnd,
      int status,
      int uaStart,
      int uaEnd) {
    this.line = line;
    this.addrEnd = addrEnd;
    this.timeStart = timeStart;
    this.timeEnd = timeEnd;
    this.method = method;
    this.path = path;
    this.protocolStart = protocolStart;
    this.requestEnd = requestEnd;
    this.status = status;
    this.uaStart = uaStart;
    this.uaEnd = uaEnd;
    this.host = null;
  }

  /** The client address as logged. */
  public String remoteAddr() {
    if (remoteAddr == null && line != null) {
      remoteAddr = line.substring(0, addrEnd);
    }
    return remoteAddr;
  }

  /** The time field as logged, or null when the format has none. */
  public String time() {
    if (time == null && line != null) {
      time = line.substring(timeStart, timeEnd);
    }
    return time;
  }

  /** The request method ("" when the request could not be split, null when not logged). */
  public String method() {
    return method;
  }

  /** The request path with its query, percent-encoded ("" when not split, null when not logged). */
  public String path() {
    return path;
  }

  /** The request protocol ({@code HTTP/1.1}), or null. */
  public String protocol() {
    if (protocol == null && line != null && protocolStart >= 0) {
      protocol = ParseCombinedLog.unescape(line, protocolStart, requestEnd);
    }
    return protocol;
  }

  /** The response status, or -1 when the format does not log it. */
  public int status() {
    return status;
  }

  /** The user agent, or null when absent or logged as {@code -}. */
  public String userAgent() {
    if (userAgent == null && line != null && uaStart >= 0) {
      userAgent = ParseCombinedLog.unescape(line, uaStart, uaEnd);
    }
    return userAgent;
  }

  /** The virtual host, or null when the format does not log it. */
  public String host() {
    return host;
  }
}
