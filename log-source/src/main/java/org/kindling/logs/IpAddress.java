package org.kindling.logs;

/**
 * Whether a logged client address is an IP address literal, checked by its characters only (never a
 * name lookup): a dotted IPv4 quad with parts up to 255, or an IPv6 literal (hex digits and at
 * least two colons, an embedded IPv4 tail and a {@code %zone} allowed). Anything else (a host name,
 * {@code -}, {@code unix:}) cannot be placed by the geo lookup and makes the line a {@code
 * log_parse} error.
 */
public final class IpAddress {
  private IpAddress() {}

  public static boolean isValid(String s) {
    if (s == null || s.isEmpty() || s.length() > 64) {
      return false;
    }
    return s.indexOf(':') >= 0 ? isIpv6(s) : isIpv4(s, 0, s.length());
  }

  static boolean isIpv4(String s, int from, int to) {
    int parts = 0;
    int value = -1;
    int digits = 0;
    for (int i = from; i <= to; i++) {
      char c = i < to ? s.charAt(i) : '.';
      if (c == '.') {
        if (digits == 0 || value > 255) {
          return false;
        }
        parts++;
        value = -1;
        digits = 0;
      } else if (c >= '0' && c <= '9') {
        value = (value < 0 ? 0 : value * 10) + (c - '0');
        if (++digits > 3) {
          return false;
        }
      } else {
        return false;
      }
    }
    return parts == 4;
  }

  private static boolean isIpv6(String s) {
    int end = s.indexOf('%');
    if (end == 0) {
      return false;
    }
    if (end < 0) {
      end = s.length();
    }
    int colons = 0;
    int lastColon = -1;
    for (int i = 0; i < end; i++) {
      char c = s.charAt(i);
      if (c == ':') {
        colons++;
        lastColon = i;
      } else if (c == '.') {
        return colons >= 2 && isIpv4(s, lastColon + 1, end);
      } else if (Character.digit(c, 16) < 0) {
        return false;
      }
    }
    return colons >= 2 && colons <= 7;
  }
}
