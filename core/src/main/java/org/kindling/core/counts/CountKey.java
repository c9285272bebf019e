package org.kindling.core.counts;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * A key of {@code ingest.counts}: the one definition of its grammar, written by the geo-enricher's
 * counters and read by the sink's public aggregates.
 *
 * <pre>
 * &lt;doctype&gt;|total|&lt;dimension&gt;|&lt;value&gt;                 a running total
 * &lt;doctype&gt;|minute|&lt;yyyy-MM-ddTHH:mmZ&gt;|&lt;dimension&gt;|&lt;value&gt;  a cell of one closed minute
 * </pre>
 *
 * where doctype = {@code <namespace>.<document_type>} ({@code glow.download}), dimension is one of
 * {@link Dimension}, and the value {@value #OTHER} is the privacy floor's cell of a dimension. The
 * cell {@code all|all} of a minute is written last and closes it ({@link CountValue.MinuteClose}).
 *
 * @param doctype {@code <namespace>.<document_type>}
 * @param minute the minute of a minute cell ({@code 2026-11-24T18:05Z}), null for a total
 * @param dimension what the cell counts by
 * @param value the cell ({@code DE}, {@code 52.5,13.4}, {@code other}, {@code all})
 */
public record CountKey(String doctype, String minute, Dimension dimension, String value) {
  public static final String SEPARATOR = "|";
  public static final String TOTAL = "total";
  public static final String MINUTE = "minute";

  /** The value of the {@link Dimension#ALL} cell. */
  public static final String ALL = "all";

  /** The privacy floor's cell: the sum of a dimension's cells below the floor. */
  public static final String OTHER = "other";

  private static final DateTimeFormatter MINUTE_FORMAT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  /** What a cell counts by. */
  public enum Dimension {
    /** Every record: the cell {@code all|all}. */
    ALL,
    CONTINENT,
    COUNTRY,
    /** ISO 3166-2 subdivision code ({@code US-CA}). */
    SUBDIVISION,
    /** Coordinates rounded to 0.1 degree ({@code 52.5,13.4}); minute cells only. */
    LOCATION;

    /** The dimensions of the running geo totals (summary.json). */
    public static final List<Dimension> TOTALS = List.of(CONTINENT, COUNTRY, SUBDIVISION);

    /** The dimensions of a minute's geo cells. */
    public static final List<Dimension> MINUTE_CELLS = List.of(COUNTRY, LOCATION);

    /** The name in keys ({@code country}). */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The dimension named {@code id} in a key. */
    public static Dimension of(String id) {
      for (Dimension d : values()) {
        if (d.id().equals(id)) {
          return d;
        }
      }
      throw new IllegalArgumentException("unknown count dimension: " + id);
    }
  }

  /** A running total. */
  public static CountKey total(String doctype, Dimension dimension, String value) {
    return new CountKey(doctype, null, dimension, value);
  }

  /** A cell of the minute that contains {@code epochMillis}. */
  public static CountKey minute(
      String doctype, long epochMillis, Dimension dimension, String value) {
    return new CountKey(doctype, formatMinute(epochMillis), dimension, value);
  }

  /** The {@code all|all} cell of a minute, written last: the minute is complete. */
  public static CountKey minuteClose(String doctype, long epochMillis) {
    return minute(doctype, epochMillis, Dimension.ALL, ALL);
  }

  /** Whether this is a running total (else a minute cell). */
  public boolean isTotal() {
    return minute == null;
  }

  /** Whether this is the cell that closes a minute. */
  public boolean isMinuteClose() {
    return minute != null && dimension == Dimension.ALL;
  }

  /** The key as written to Kafka. */
  public String format() {
    return minute == null
        ? totalPrefix(doctype, dimension) + value
        : minutePrefix(doctype, minute) + dimension.id() + SEPARATOR + value;
  }

  /**
   * Parses a key.
   *
   * @throws IllegalArgumentException when {@code key} is not of the grammar above
   */
  public static CountKey parse(String key) {
    String[] p = key.split("\\|", -1);
    if (p.length == 4 && p[1].equals(TOTAL)) {
      return new CountKey(p[0], null, Dimension.of(p[2]), p[3]);
    }
    if (p.length == 5 && p[1].equals(MINUTE)) {
      return new CountKey(p[0], p[2], Dimension.of(p[3]), p[4]);
    }
    throw new IllegalArgumentException("not a count key: " + key);
  }

  /**
   * The part of the key that chooses its partition: for a minute cell {@code
   * <doctype>|minute|<minute>} (so a minute's cells share one partition and keep their order, and a
   * reader that sees the closing cell has seen them all), for a total the whole key.
   */
  public String partitionPrefix() {
    return minute == null ? format() : doctype + SEPARATOR + MINUTE + SEPARATOR + minute;
  }

  /** {@code <doctype>|total|<dimension>|}: the prefix of a dimension's totals. */
  public static String totalPrefix(String doctype, Dimension dimension) {
    return doctype + SEPARATOR + TOTAL + SEPARATOR + dimension.id() + SEPARATOR;
  }

  /** {@code <doctype>|minute|<minute>|}: the prefix of every cell of one minute. */
  public static String minutePrefix(String doctype, String minute) {
    return doctype + SEPARATOR + MINUTE + SEPARATOR + minute + SEPARATOR;
  }

  /** {@code 2026-11-24T18:05Z} for any instant in that minute. */
  public static String formatMinute(long epochMillis) {
    return MINUTE_FORMAT.format(Instant.ofEpochMilli(epochMillis));
  }

  /** {@code glow.download} for namespace {@code glow} and type {@code download}. */
  public static String doctype(String namespace, String documentType) {
    return namespace + "." + documentType;
  }

  /**
   * The doctype for a configured name: {@code glow/download} and {@code glow.download} both give
   * {@code glow.download}.
   */
  public static String doctypeOf(String configured) {
    String s = configured.trim();
    int slash = s.indexOf('/');
    return slash < 0 ? s : doctype(s.substring(0, slash), s.substring(slash + 1));
  }

  /** The doctype as a path, {@code glow/download}: where its public files live. */
  public static String doctypePath(String doctype) {
    int dot = doctype.indexOf('.');
    return dot < 0 ? doctype : doctype.substring(0, dot) + "/" + doctype.substring(dot + 1);
  }
}
