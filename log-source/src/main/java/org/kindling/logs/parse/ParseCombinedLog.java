package org.kindling.logs.parse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The NCSA combined log format, as nginx ({@code log_format combined}) and Apache ({@code LogFormat
 * "%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-agent}i\"" combined}) write it:
 *
 * <pre>
 * 203.0.113.9 - - [27/Nov/2026:10:00:00 +0000] "GET /firefox/145.0/win64/en-US/Firefox.exe HTTP/1.1" 200 52428800 "-" "Mozilla/5.0 ..."
 * </pre>
 *
 * <p>Lines of the common format (no referer and user agent) and lines with more fields after the
 * user agent (nginx formats that append {@code $http_x_forwarded_for} and the like) are accepted.
 * Quoted fields may hold the escapes of both servers ({@code \"}, {@code \\}, {@code \xHH}).
 *
 * <p>A hand-written scanner rather than a regular expression: it reads each character once and
 * copies only the fields, which matters at a hundred thousand lines a second.
 */
public final class ParseCombinedLog implements ParseLogLine {

  @Override
  public LogLine parse(String s) throws LogParseException {
    int n = s.length();
    int a = s.indexOf(' ');
    if (a <= 0) {
      throw new LogParseException("combined format: no remote address");
    }
    // %l and %u: the user may contain blanks, so look for the time's bracket instead of a blank
    int t = s.indexOf(" [", a + 1);
    if (t < 0) {
      throw new LogParseException("combined format: no [time]");
    }
    int te = s.indexOf(']', t + 2);
    if (te < 0) {
      throw new LogParseException("combined format: unterminated [time]");
    }
    if (te + 2 >= n || s.charAt(te + 1) != ' ' || s.charAt(te + 2) != '"') {
      throw new LogParseException("combined format: no quoted request after the time");
    }
    int rs = te + 3;
    int re = closingQuote(s, rs);
    if (re < 0) {
      throw new LogParseException("combined format: unterminated request");
    }
    int p = re + 1;
    if (p + 4 > n || s.charAt(p) != ' ') {
      throw new LogParseException("combined format: no status after the request");
    }
    int status = status(s, p + 1);
    p += 4;
    if (p < n && s.charAt(p) != ' ') {
      throw new LogParseException("combined format: status is not three digits");
    }
    // %b: digits or "-"; the rest is optional (common format)
    int b = p + 1 <= n ? s.indexOf(' ', p + 1) : -1;
    int uaStart = -1;
    int uaEnd = -1;
    if (b > 0 && b + 1 < n && s.charAt(b + 1) == '"') {
      int fe = closingQuote(s, b + 2);
      if (fe < 0) {
        throw new LogParseException("combined format: unterminated referer");
      }
      if (fe + 2 < n && s.charAt(fe + 1) == ' ' && s.charAt(fe + 2) == '"') {
        int us = fe + 3;
        int ue = closingQuote(s, us);
        if (ue < 0) {
          throw new LogParseException("combined format: unterminated user agent");
        }
        if (!(ue - us == 1 && s.charAt(us) == '-')) {
          uaStart = us;
          uaEnd = ue;
        }
      }
    }
    int backslash = s.indexOf('\\', rs);
    if (backslash >= 0 && backslash < re) {
      // an escaped request (rare): split its unescaped form
      LogLine l = SplitRequest.of(null, null, unescape(s, rs, re), status, null, null);
      return new LogLine(
          s.substring(0, a),
          s.substring(t + 2, te),
          l.method(),
          l.path(),
          l.protocol(),
          status,
          uaStart < 0 ? null : unescape(s, uaStart, uaEnd),
          null);
    }
    // the request in place: METHOD SP PATH [SP PROTOCOL]
    int s1 = s.indexOf(' ', rs);
    if (s1 <= rs || s1 >= re) {
      return new LogLine(s, a, t + 2, te, "", "", -1, re, status, uaStart, uaEnd);
    }
    int s2 =
        re - rs >= 9 && s.charAt(re - 9) == ' ' && s.startsWith("HTTP/", re - 8)
            ? re - 9
            : s.lastIndexOf(' ', re - 1);
    String method = method(s, rs, s1);
    if (s2 > s1) {
      return new LogLine(
          s, a, t + 2, te, method, s.substring(s1 + 1, s2), s2 + 1, re, status, uaStart, uaEnd);
    }
    return new LogLine(
        s, a, t + 2, te, method, s.substring(s1 + 1, re), -1, re, status, uaStart, uaEnd);
  }

  /** The method, as a constant for the common ones (no copy for every line). */
  private static String method(String s, int from, int to) {
    int len = to - from;
    if (len == 3 && s.startsWith("GET", from)) {
      return "GET";
    }
    if (len == 4 && s.startsWith("HEAD", from)) {
      return "HEAD";
    }
    if (len == 4 && s.startsWith("POST", from)) {
      return "POST";
    }
    return s.substring(from, to);
  }

  private static int status(String s, int i) throws LogParseException {
    char c0 = s.charAt(i);
    char c1 = s.charAt(i + 1);
    char c2 = s.charAt(i + 2);
    if (c0 < '1' || c0 > '5' || c1 < '0' || c1 > '9' || c2 < '0' || c2 > '9') {
      throw new LogParseException("combined format: status is not three digits");
    }
    return (c0 - '0') * 100 + (c1 - '0') * 10 + (c2 - '0');
  }

  /**
   * The index of the quote that ends a quoted field starting at {@code from}, or -1: the first
   * quote not escaped by an odd number of backslashes (found with {@link String#indexOf}, which the
   * JIT vectorises).
   */
  static int closingQuote(String s, int from) {
    int q = s.indexOf('"', from);
    while (q >= 0) {
      int backslashes = 0;
      for (int i = q - 1; i >= from && s.charAt(i) == '\\'; i--) {
        backslashes++;
      }
      if ((backslashes & 1) == 0) {
        return q;
      }
      q = s.indexOf('"', q + 1);
    }
    return -1;
  }

  /**
   * {@code s[from, to)} with the escapes of nginx and Apache resolved: {@code \"}, {@code \\} and
   * {@code \xHH} (bytes of UTF-8); other backslashes are kept.
   */
  static String unescape(String s, int from, int to) {
    int bs = s.indexOf('\\', from);
    if (bs < 0 || bs >= to) {
      return s.substring(from, to);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
    int i = from;
    while (i < to) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < to) {
        char e = s.charAt(i + 1);
        if (e == '"' || e == '\\') {
          out.write(e);
          i += 2;
          continue;
        }
        if (e == 'x' && i + 3 < to && hex(s.charAt(i + 2)) >= 0 && hex(s.charAt(i + 3)) >= 0) {
          out.write(hex(s.charAt(i + 2)) * 16 + hex(s.charAt(i + 3)));
          i += 4;
          continue;
        }
      }
      int end = i + 1;
      if (Character.isHighSurrogate(c) && end < to) {
        end++;
      }
      out.writeBytes(s.substring(i, end).getBytes(StandardCharsets.UTF_8));
      i = end;
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
