package org.kindling.logs;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces the IP addresses in a log line before it goes into an error record: error records land
 * in the errors lake (Parquet), which never holds a client address. IPv4 addresses become {@code
 * 0.0.0.0}; tokens shaped like IPv6 addresses (hex digits and colons with a {@code ::} or seven
 * colons, so times such as {@code 10:00:00} stay) become {@code ::}.
 */
public final class MaskAddresses {
  private static final Pattern IPV4 =
      Pattern.compile("(?<![0-9.])(?:[0-9]{1,3}\\.){3}[0-9]{1,3}(?![0-9])");
  private static final Pattern IPV6 =
      Pattern.compile("(?<![0-9A-Fa-f:])[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*(?![0-9A-Fa-f:])");

  private MaskAddresses() {}

  /** {@code line} with its IP addresses masked. */
  public static String apply(String line) {
    String s = IPV4.matcher(line).replaceAll("0.0.0.0");
    if (s.indexOf(':') < 0) {
      return s;
    }
    Matcher m = IPV6.matcher(s);
    StringBuilder out = new StringBuilder(s.length());
    while (m.find()) {
      String token = m.group();
      boolean address = token.contains("::") || token.chars().filter(c -> c == ':').count() == 7;
      m.appendReplacement(out, address ? "::" : Matcher.quoteReplacement(token));
    }
    m.appendTail(out);
    return out.toString();
  }
}
