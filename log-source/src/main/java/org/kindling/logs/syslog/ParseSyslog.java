package org.kindling.logs.syslog;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * Reads the header of a syslog message and finds its MSG part, which is the log line:
 *
 * <ul>
 *   <li>RFC 5424: {@code <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA MSG}
 *       (syslog-ng's {@code syslog()} destination, rsyslog's {@code
 *       RSYSLOG_SyslogProtocol23Format}); the structured data may hold quoted values with {@code
 *       \"}, {@code \\} and {@code \]}; a UTF-8 byte order mark before MSG is dropped;
 *   <li>RFC 3164: {@code <PRI>Mmm dd hh:mm:ss HOSTNAME TAG: MSG} (syslog-ng's {@code network()},
 *       rsyslog's default forwarding format); the TAG is optional (syslog-ng with {@code
 *       flags(no-parse)} sends none), an RFC 3339 time is accepted in place of the BSD one, and a
 *       BSD time, which has no year and no zone, is read in {@code zone} in the year that puts it
 *       closest to now;
 *   <li>anything without a {@code <PRI>}: the whole message is MSG (a raw line sent over TCP).
 * </ul>
 */
public final class ParseSyslog {
  private static final String[] MONTHS = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
  };

  private final Clock clock;
  private final ZoneId zone;

  /**
   * @param clock for the year of BSD timestamps
   * @param zone the zone of BSD timestamps (the senders')
   */
  public ParseSyslog(Clock clock, ZoneId zone) {
    this.clock = clock;
    this.zone = zone;
  }

  /**
   * The message in {@code b[0, len)}.
   *
   * @param hostname the HOSTNAME field, or {@code -}
   * @param micros the header time in microseconds since the epoch, or {@link Long#MIN_VALUE}
   * @param msgOffset where MSG starts in the frame
   * @param msgLength MSG's length (trailing line breaks removed)
   */
  public record Message(String hostname, long micros, int msgOffset, int msgLength) {}

  public Message parse(byte[] b, int len) {
    while (len > 0 && (b[len - 1] == '\n' || b[len - 1] == '\r' || b[len - 1] == 0)) {
      len--;
    }
    if (len < 3 || b[0] != '<') {
      return new Message("-", Long.MIN_VALUE, 0, len);
    }
    int i = 1;
    while (i < len && i <= 4 && isDigit(b[i])) {
      i++;
    }
    if (i == 1 || i >= len || b[i] != '>') {
      return new Message("-", Long.MIN_VALUE, 0, len);
    }
    i++;
    int v = i;
    while (v < len && isDigit(b[v])) {
      v++;
    }
    if (v > i && v < len && b[v] == ' ') {
      return rfc5424(b, len, v + 1);
    }
    return rfc3164(b, len, i);
  }

  private Message rfc5424(byte[] b, int len, int i) {
    int[] pos = {i};
    String time = token(b, len, pos);
    String host = token(b, len, pos);
    token(b, len, pos); // APP-NAME
    token(b, len, pos); // PROCID
    token(b, len, pos); // MSGID
    int p = pos[0];
    if (p < len && b[p] == '-') {
      p++;
    } else {
      while (p < len && b[p] == '[') {
        p = endOfElement(b, len, p);
      }
    }
    if (p < len && b[p] == ' ') {
      p++;
    }
    if (p + 2 < len
        && (b[p] & 0xff) == 0xef
        && (b[p + 1] & 0xff) == 0xbb
        && (b[p + 2] & 0xff) == 0xbf) {
      p += 3;
    }
    long micros = Long.MIN_VALUE;
    if (time != null && !time.equals("-")) {
      micros = iso(time);
    }
    return new Message(
        host == null || host.isEmpty() ? "-" : host, micros, p, Math.max(0, len - p));
  }

  /** The index after the structured-data element starting at {@code p} ({@code [...]}). */
  private static int endOfElement(byte[] b, int len, int p) {
    boolean quoted = false;
    for (int i = p + 1; i < len; i++) {
      byte c = b[i];
      if (quoted) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          quoted = false;
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ']') {
        return i + 1;
      }
    }
    return len;
  }

  private Message rfc3164(byte[] b, int len, int i) {
    long micros = Long.MIN_VALUE;
    int p = i;
    if (len - p >= 16 && b[p + 15] == ' ' && isBsdTime(b, p)) {
      micros = bsd(new String(b, p, 15, StandardCharsets.US_ASCII));
      p += 16;
    } else {
      int[] pos = {p};
      String t = token(b, len, pos);
      long iso = t == null ? Long.MIN_VALUE : iso(t);
      if (iso != Long.MIN_VALUE) {
        micros = iso;
        p = pos[0];
      }
    }
    int[] pos = {p};
    String host = token(b, len, pos);
    p = pos[0];
    // TAG: letters, digits, _ . / - then an optional [pid], then ": " (the blank tells a tag from
    // an IPv6 address at the start of MSG)
    int q = p;
    while (q < len && isTagChar(b[q])) {
      q++;
    }
    if (q < len && q > p && b[q] == '[') {
      while (q < len && b[q] != ']') {
        q++;
      }
      q++;
    }
    if (q > p && q + 1 < len && b[q] == ':' && b[q + 1] == ' ') {
      p = q + 2;
    }
    return new Message(
        host == null || host.isEmpty() ? "-" : host, micros, p, Math.max(0, len - p));
  }

  private static boolean isTagChar(byte c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '_'
        || c == '.'
        || c == '/'
        || c == '-';
  }

  private static boolean isBsdTime(byte[] b, int p) {
    return b[p + 3] == ' '
        && b[p + 6] == ' '
        && b[p + 9] == ':'
        && b[p + 12] == ':'
        && Character.isLetter(b[p]);
  }

  /** {@code Mmm dd hh:mm:ss} in the configured zone, in the year nearest to now. */
  private long bsd(String s) {
    int month = -1;
    for (int m = 0; m < 12; m++) {
      if (s.regionMatches(true, 0, MONTHS[m], 0, 3)) {
        month = m + 1;
      }
    }
    try {
      int day = Integer.parseInt(s.substring(4, 6).trim());
      int h = Integer.parseInt(s.substring(7, 9));
      int mi = Integer.parseInt(s.substring(10, 12));
      int sec = Integer.parseInt(s.substring(13, 15));
      Instant now = clock.instant();
      int year = now.atZone(zone).getYear();
      Instant best = null;
      for (int y = year - 1; y <= year + 1; y++) {
        try {
          Instant t = LocalDateTime.of(y, month, day, h, mi, sec).atZone(zone).toInstant();
          if (best == null
              || Math.abs(t.getEpochSecond() - now.getEpochSecond())
                  < Math.abs(best.getEpochSecond() - now.getEpochSecond())) {
            best = t;
          }
        } catch (DateTimeException e) {
          // 29 Feb in a year without it
        }
      }
      return best == null ? Long.MIN_VALUE : best.getEpochSecond() * 1_000_000L;
    } catch (NumberFormatException | DateTimeException e) {
      return Long.MIN_VALUE;
    }
  }

  private static long iso(String s) {
    try {
      Instant t = OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
      return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
    } catch (DateTimeException e) {
      return Long.MIN_VALUE;
    }
  }

  /** The next space-delimited token from {@code pos[0]}, which moves past it and its space. */
  private static String token(byte[] b, int len, int[] pos) {
    int p = pos[0];
    if (p >= len) {
      return null;
    }
    int e = p;
    while (e < len && b[e] != ' ') {
      e++;
    }
    pos[0] = Math.min(len, e + 1);
    return new String(b, p, e - p, StandardCharsets.UTF_8);
  }

  private static boolean isDigit(byte c) {
    return c >= '0' && c <= '9';
  }
}
