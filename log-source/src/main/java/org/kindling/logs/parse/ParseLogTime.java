package org.kindling.logs.parse;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;

/**
 * Reads the time field of a log line as microseconds since the epoch. Forms: {@code clf} ({@code
 * 27/Nov/2026:10:00:00 +0000}), {@code iso8601} ({@code 2026-11-27T10:00:00+00:00}, fractions
 * allowed), {@code epoch} ({@code 1795773600.123}) or a {@link DateTimeFormatter} pattern (read as
 * UTC when it has no offset).
 *
 * <p>Not thread-safe: it remembers the last text it read, since consecutive lines of a busy log
 * share their second. One instance per reading thread.
 */
public final class ParseLogTime {
  private static final String[] MONTHS = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
  };

  private enum Kind {
    CLF,
    ISO8601,
    EPOCH,
    PATTERN
  }

  private final Kind kind;
  private final DateTimeFormatter formatter;
  private String lastText;
  private long lastMicros;

  private ParseLogTime(Kind kind, DateTimeFormatter formatter) {
    this.kind = kind;
    this.formatter = formatter;
  }

  /**
   * The reader for {@code spec}: clf, iso8601, epoch or a pattern.
   *
   * @throws IllegalArgumentException for a pattern that does not compile
   */
  public static ParseLogTime of(String spec) {
    return switch (spec.trim().toLowerCase(Locale.ROOT)) {
      case "clf" -> new ParseLogTime(Kind.CLF, null);
      case "iso8601" -> new ParseLogTime(Kind.ISO8601, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      case "epoch" -> new ParseLogTime(Kind.EPOCH, null);
      default ->
          new ParseLogTime(Kind.PATTERN, DateTimeFormatter.ofPattern(spec.trim(), Locale.ROOT));
    };
  }

  /** A fresh reader of the same form (for another thread). */
  public ParseLogTime copy() {
    return new ParseLogTime(kind, formatter);
  }

  /**
   * Microseconds since the epoch.
   *
   * @throws LogParseException when {@code text} is not a time of this form
   */
  public long micros(String text) throws LogParseException {
    if (text == null) {
      throw new LogParseException("no time");
    }
    if (text.equals(lastText)) {
      return lastMicros;
    }
    long micros;
    try {
      micros =
          switch (kind) {
            case CLF -> clf(text);
            case ISO8601 -> instantMicros(Instant.from(formatter.parse(text)));
            case EPOCH -> epoch(text);
            case PATTERN -> pattern(text);
          };
    } catch (DateTimeException | ArithmeticException | NumberFormatException e) {
      throw new LogParseException("time '" + shorten(text) + "' is not " + describe());
    }
    lastText = text;
    lastMicros = micros;
    return micros;
  }

  private String describe() {
    return switch (kind) {
      case CLF -> "dd/MMM/yyyy:HH:mm:ss +hhmm (clf)";
      case ISO8601 -> "an ISO-8601 time with offset";
      case EPOCH -> "seconds since the epoch";
      case PATTERN -> "of the configured pattern";
    };
  }

  private static String shorten(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }

  private static long instantMicros(Instant i) {
    return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1000);
  }

  /** {@code 27/Nov/2026:10:00:00 +0000}, read field by field without a formatter. */
  static long clf(String s) {
    if (s.length() != 26
        || s.charAt(2) != '/'
        || s.charAt(6) != '/'
        || s.charAt(11) != ':'
        || s.charAt(14) != ':'
        || s.charAt(17) != ':'
        || s.charAt(20) != ' ') {
      throw new DateTimeException("not clf");
    }
    int day = digits(s, 0, 2);
    int month = month(s, 3);
    int year = digits(s, 7, 4);
    int hour = digits(s, 12, 2);
    int minute = digits(s, 15, 2);
    int second = digits(s, 18, 2);
    char sign = s.charAt(21);
    if (sign != '+' && sign != '-') {
      throw new DateTimeException("no offset");
    }
    int offset = digits(s, 22, 2) * 3600 + digits(s, 24, 2) * 60;
    if (hour > 23 || minute > 59 || second > 60 || offset > 18 * 3600) {
      throw new DateTimeException("out of range");
    }
    long epochDay = LocalDate.of(year, month, day).toEpochDay();
    long seconds =
        epochDay * 86_400 + hour * 3600L + minute * 60L + second - (sign == '+' ? offset : -offset);
    return seconds * 1_000_000L;
  }

  private static int digits(String s, int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        throw new DateTimeException("not a digit");
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static int month(String s, int from) {
    for (int m = 0; m < 12; m++) {
      if (s.regionMatches(true, from, MONTHS[m], 0, 3)) {
        return m + 1;
      }
    }
    throw new DateTimeException("no month");
  }

  private static long epoch(String s) {
    int dot = s.indexOf('.');
    long seconds = Long.parseLong(dot < 0 ? s : s.substring(0, dot));
    long micros = 0;
    if (dot >= 0) {
      String f = s.substring(dot + 1);
      if (f.isEmpty() || f.length() > 9 || !f.chars().allMatch(Character::isDigit)) {
        throw new NumberFormatException("fraction");
      }
      micros = Long.parseLong((f + "000000").substring(0, 6));
    }
    return Math.addExact(Math.multiplyExact(seconds, 1_000_000L), micros);
  }

  private long pattern(String s) {
    TemporalAccessor t = formatter.parse(s);
    Instant i;
    if (t.isSupported(ChronoField.OFFSET_SECONDS) || t.isSupported(ChronoField.INSTANT_SECONDS)) {
      i = Instant.from(t);
    } else {
      i = Instant.from(formatter.withZone(ZoneOffset.UTC).parse(s));
    }
    return instantMicros(i);
  }
}
