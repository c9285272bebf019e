package org.kindling.export.influxdb;

import java.util.Map;
import java.util.SortedMap;

/**
 * InfluxDB line protocol: {@code measurement,tag=v,... field=v,... time}. Escaping follows the
 * protocol's rules: commas and spaces in measurements; commas, equals signs and spaces in tag keys,
 * tag values and field keys, each preceded by a backslash. Line breaks (and tabs) cannot be part of
 * a line at all and become spaces.
 *
 * <p>Backslashes are where the versions differ. InfluxDB 2.x reads two backslashes as one, so
 * version 2 doubles every backslash and keeps it exactly. InfluxDB 1.x keeps backslashes as they
 * are but treats any character after one as escaped, so a backslash before an escaped character or
 * at the end of a key or value would swallow the separator and make the line unparseable (tested
 * against 1.6); version 1 therefore drops such a run of backslashes, and keeps all others.
 */
public final class LineProtocol {
  /** The write API the lines are for. */
  public enum Dialect {
    V1,
    V2
  }

  private static final String MEASUREMENT_SPECIALS = ", ";
  private static final String KEY_SPECIALS = ",= ";

  private final Dialect dialect;

  public LineProtocol(Dialect dialect) {
    this.dialect = dialect;
  }

  /** A measurement name, escaped. */
  public String measurement(String name) {
    return escape(name, MEASUREMENT_SPECIALS);
  }

  /** A tag key, tag value or field key, escaped. */
  public String key(String text) {
    return escape(text, KEY_SPECIALS);
  }

  /**
   * A field value for a number: floats throughout (the same field may hold 5 in one document and
   * 5.5 in another, and InfluxDB refuses a field whose type changes); null for NaN and infinities,
   * which line protocol cannot carry.
   */
  public static String number(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return null;
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }

  /**
   * One line (without its line break).
   *
   * @param measurement unescaped
   * @param tags unescaped tag keys and values, sorted by key (InfluxDB's advice); empty values are
   *     left out, since line protocol has no empty tag value
   * @param fields unescaped field keys with their values already in line protocol form ({@code 1i},
   *     {@code 2.5}); at least one
   * @param time the point's time in the write's precision
   */
  public String line(
      String measurement, SortedMap<String, String> tags, Map<String, String> fields, long time) {
    if (fields.isEmpty()) {
      throw new IllegalArgumentException("a point needs a field");
    }
    StringBuilder sb = new StringBuilder(64);
    sb.append(measurement(measurement));
    tags.forEach(
        (k, v) -> {
          if (v != null && !v.isEmpty()) {
            String value = key(v);
            if (!value.isEmpty()) {
              sb.append(',').append(key(k)).append('=').append(value);
            }
          }
        });
    char sep = ' ';
    for (Map.Entry<String, String> f : fields.entrySet()) {
      sb.append(sep).append(key(f.getKey())).append('=').append(f.getValue());
      sep = ',';
    }
    sb.append(' ').append(time);
    return sb.toString();
  }

  private String escape(String s, String specials) {
    StringBuilder sb = new StringBuilder(s.length() + 8);
    int n = s.length();
    int i = 0;
    while (i < n) {
      char c = s.charAt(i);
      if (c == '\\') {
        int end = i;
        while (end < n && s.charAt(end) == '\\') {
          end++;
        }
        if (dialect == Dialect.V2) {
          sb.append("\\\\".repeat(end - i));
        } else {
          char next = end < n ? normalise(s.charAt(end)) : 0;
          boolean swallows = end == n || specials.indexOf(next) >= 0;
          if (!swallows) {
            sb.append(s, i, end);
          }
        }
        i = end;
        continue;
      }
      c = normalise(c);
      if (specials.indexOf(c) >= 0) {
        sb.append('\\');
      }
      sb.append(c);
      i++;
    }
    return sb.toString();
  }

  private static char normalise(char c) {
    return c == '\n' || c == '\r' || c == '\t' ? ' ' : c;
  }
}
