package org.kindling.geo.counts;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The key grammar of {@code ingest.counts}: {@code <doctype>|total|<dimension>|<value>} and {@code
 * <doctype>|minute|<yyyy-MM-ddTHH:mmZ>|<dimension>|<value>}, where doctype = {@code
 * <namespace>.<document_type>} and dimension is {@code all}, {@code continent}, {@code country},
 * {@code subdivision} or {@code location}; {@code other} is the privacy floor's cell.
 */
public final class CountKeys {
  private CountKeys() {}

  public static final String SEPARATOR = "|";
  public static final String TOTAL = "total";
  public static final String MINUTE = "minute";
  public static final String ALL = "all";
  public static final String CONTINENT = "continent";
  public static final String COUNTRY = "country";
  public static final String SUBDIVISION = "subdivision";
  public static final String LOCATION = "location";
  public static final String OTHER = "other";

  private static final DateTimeFormatter MINUTE_FORMAT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  /** {@code glow.download} for namespace {@code glow} and type {@code download}. */
  public static String doctype(String namespace, String documentType) {
    return namespace + "." + documentType;
  }

  /**
   * The doctype id for a configured name: {@code glow/download} and {@code glow.download} both give
   * {@code glow.download}.
   */
  public static String doctypeOf(String configured) {
    String s = configured.trim();
    int slash = s.indexOf('/');
    return slash < 0 ? s : doctype(s.substring(0, slash), s.substring(slash + 1));
  }

  /** {@code <doctype>|total|<dimension>|<value>}. */
  public static String total(String doctype, String dimension, String value) {
    return doctype + SEPARATOR + TOTAL + SEPARATOR + dimension + SEPARATOR + value;
  }

  /** {@code <doctype>|minute|<minute>|} : the prefix of every cell of one minute. */
  public static String minutePrefix(String doctype, long windowStartMillis) {
    return doctype + SEPARATOR + MINUTE + SEPARATOR + formatMinute(windowStartMillis) + SEPARATOR;
  }

  /** {@code 2026-11-24T18:05Z} for any instant in that minute. */
  public static String formatMinute(long epochMillis) {
    return MINUTE_FORMAT.format(Instant.ofEpochMilli(epochMillis));
  }

  /**
   * The part of a key that chooses its partition: for minute keys everything up to and including
   * the minute (so a minute's cells share one partition and keep their order), for totals the whole
   * key.
   */
  public static String partitionPrefix(String key) {
    int first = key.indexOf('|');
    if (first < 0) {
      return key;
    }
    int second = key.indexOf('|', first + 1);
    if (second < 0 || !key.substring(first + 1, second).equals(MINUTE)) {
      return key;
    }
    int third = key.indexOf('|', second + 1);
    return third < 0 ? key : key.substring(0, third);
  }
}
