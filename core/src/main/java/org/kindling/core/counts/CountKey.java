package org.kindling.core.counts;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * A key of {@code ingest.counts}: the one definition of its grammar, written by the geo-enricher's
 * counters and read by the sink's public writer ({@link PartialCounts}).
 *
 * <p>Each geo-enricher task counts the records of its own {@code ingest.validated} partition on
 * that partition's event time, and publishes <em>partial</em> counts tagged with the partition; the
 * public writer sums the partials of every partition and applies the privacy floor. Nothing is
 * repartitioned, so one slow or replaying partition never makes another one's records late.
 *
 * <pre>
 * &lt;doctype&gt;|total|&lt;dimension&gt;|&lt;value&gt;|&lt;partition&gt;   a partition's running total of one cell
 * &lt;doctype&gt;|minute|&lt;yyyy-MM-ddTHH:mmZ&gt;|&lt;partition&gt;      a partition's cells of one minute
 * watermark|&lt;partition&gt;                             the partition has closed every minute before
 * </pre>
 *
 * where doctype = {@code <namespace>.<document_type>} ({@code glow.download}; a doctype always has
 * a dot, so it never reads {@code watermark}) and dimension is one of {@link Dimension}. A total
 * key without the partition is a running total of the counters before they counted per partition,
 * read as one more partial ({@link #LEGACY}). A minute key with a {@code null} value (a tombstone)
 * drops a minute that has left the retention of the compacted topic.
 *
 * @param kind what the key counts
 * @param doctype {@code <namespace>.<document_type>}, null for a watermark
 * @param minute the minute of a minute partial ({@code 2026-11-24T18:05Z}), else null
 * @param dimension what a total counts by, else null
 * @param value the cell of a total ({@code DE}, {@code US-CA}, {@code all}), else null
 * @param partition the {@code ingest.validated} partition whose records are counted, or {@link
 *     #LEGACY}
 */
public record CountKey(
    Kind kind, String doctype, String minute, Dimension dimension, String value, int partition) {
  public static final String SEPARATOR = "|";
  public static final String TOTAL = "total";
  public static final String MINUTE = "minute";
  public static final String WATERMARK = "watermark";

  /** The value of the {@link Dimension#ALL} cell. */
  public static final String ALL = "all";

  /** The privacy floor's cell in published files: the sum of a dimension's cells below it. */
  public static final String OTHER = "other";

  /** The partition of a total written before totals were counted per partition. */
  public static final int LEGACY = -1;

  private static final DateTimeFormatter MINUTE_FORMAT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  /** The three kinds of key. */
  public enum Kind {
    TOTAL,
    MINUTE,
    WATERMARK
  }

  /** What a cell counts by. */
  public enum Dimension {
    /** Every record: the cell {@code all}. */
    ALL,
    CONTINENT,
    COUNTRY,
    /** ISO 3166-2 subdivision code ({@code US-CA}). */
    SUBDIVISION,
    /** Coordinates rounded to 0.1 degree ({@code 52.5,13.4}); minute cells only. */
    LOCATION;

    /** The dimensions of the running geo totals (summary.json). */
    public static final List<Dimension> TOTALS = List.of(CONTINENT, COUNTRY, SUBDIVISION);

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

  /** A partition's running total of one cell. */
  public static CountKey total(String doctype, Dimension dimension, String value, int partition) {
    return new CountKey(Kind.TOTAL, doctype, null, dimension, value, partition);
  }

  /** A partition's cells of the minute that contains {@code epochMillis}. */
  public static CountKey minute(String doctype, long epochMillis, int partition) {
    return new CountKey(Kind.MINUTE, doctype, formatMinute(epochMillis), null, null, partition);
  }

  /** A partition's watermark. */
  public static CountKey watermark(int partition) {
    return new CountKey(Kind.WATERMARK, null, null, null, null, partition);
  }

  /** The key as written to Kafka. */
  public String format() {
    return switch (kind) {
      case TOTAL ->
          doctype
              + SEPARATOR
              + TOTAL
              + SEPARATOR
              + dimension.id()
              + SEPARATOR
              + value
              + (partition == LEGACY ? "" : SEPARATOR + partition);
      case MINUTE -> doctype + SEPARATOR + MINUTE + SEPARATOR + minute + SEPARATOR + partition;
      case WATERMARK -> WATERMARK + SEPARATOR + partition;
    };
  }

  /**
   * Parses a key.
   *
   * @throws IllegalArgumentException when {@code key} is not of the grammar above (for instance a
   *     minute cell of the counters before they counted per partition, which is not read any more)
   */
  public static CountKey parse(String key) {
    String[] p = key.split("\\|", -1);
    if (p.length == 2 && p[0].equals(WATERMARK)) {
      return watermark(partition(p[1], key));
    }
    if ((p.length == 4 || p.length == 5) && p[1].equals(TOTAL)) {
      int partition = p.length == 5 ? partition(p[4], key) : LEGACY;
      return total(p[0], Dimension.of(p[2]), p[3], partition);
    }
    if (p.length == 4 && p[1].equals(MINUTE)) {
      return new CountKey(Kind.MINUTE, p[0], p[2], null, null, partition(p[3], key));
    }
    throw new IllegalArgumentException("not a count key: " + key);
  }

  private static int partition(String s, String key) {
    try {
      int n = Integer.parseInt(s);
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new IllegalArgumentException("bad partition in count key: " + key);
  }

  /** The start of this minute partial's minute. */
  public Instant minuteStart() {
    return parseMinute(minute);
  }

  /** {@code 2026-11-24T18:05Z} for any instant in that minute. */
  public static String formatMinute(long epochMillis) {
    return MINUTE_FORMAT.format(Instant.ofEpochMilli(epochMillis));
  }

  /** The start of the minute {@code 2026-11-24T18:05Z}. */
  public static Instant parseMinute(String minute) {
    if (minute.length() != 17 || !minute.endsWith("Z")) {
      throw new IllegalArgumentException("not a minute: " + minute);
    }
    return Instant.parse(minute.substring(0, 16) + ":00Z");
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
