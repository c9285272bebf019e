package org.kindling.logs.parse;

/**
 * Splits a logged request line ({@code %r}, nginx {@code $request}: {@code GET /path?q HTTP/1.1})
 * into method, path and protocol. A request that is not of that shape ({@code -}, a TLS handshake
 * sent to a plain port, a bare path) leaves method and path empty, so no rule matches it.
 */
final class SplitRequest {
  private SplitRequest() {}

  static LogLine of(
      String remoteAddr, String time, String request, int status, String userAgent, String host) {
    int s1 = request.indexOf(' ');
    if (s1 <= 0) {
      return new LogLine(remoteAddr, time, "", "", null, status, userAgent, host);
    }
    int n = request.length();
    // the usual end " HTTP/1.1" is checked in place; anything else is searched for
    int s2 =
        n >= 9 && request.charAt(n - 9) == ' ' && request.startsWith("HTTP/", n - 8)
            ? n - 9
            : request.lastIndexOf(' ');
    String method = request.substring(0, s1);
    String path;
    String protocol = null;
    if (s2 > s1) {
      path = request.substring(s1 + 1, s2);
      protocol = request.substring(s2 + 1);
    } else {
      path = request.substring(s1 + 1); // HTTP/0.9 style: no protocol
    }
    return new LogLine(remoteAddr, time, method, path, protocol, status, userAgent, host);
  }
}
