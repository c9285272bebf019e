package org.kindling.core.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Value types of configuration keys, with their parsers. */
public enum ConfigType {
  STRING("text"),
  INT("integer"),
  LONG("integer"),
  DOUBLE("number"),
  BOOLEAN("true|false"),
  /** {@code 500ms}, {@code 30s}, {@code 5m}, {@code 24h}, {@code 7d}, or ISO-8601 {@code PT30S}. */
  DURATION("duration"),
  /** {@code 1048576}, {@code 512KiB}, {@code 1MiB}, {@code 2GiB} (powers of 1024). */
  SIZE("size"),
  /** Comma-separated, blanks trimmed, empty entries dropped. */
  LIST("list"),
  PATH("path");

  private final String label;

  ConfigType(String label) {
    this.label = label;
  }

  /** How the type is shown in the configuration reference. */
  public String label() {
    return label;
  }

  /**
   * Parses {@code raw}; throws IllegalArgumentException with a short reason when it is not valid.
   */
  public Object parse(String raw) {
    String s = raw.trim();
    return switch (this) {
      case STRING, PATH -> raw;
      case INT -> Integer.parseInt(s);
      case LONG -> Long.parseLong(s);
      case DOUBLE -> Double.parseDouble(s);
      case BOOLEAN -> parseBoolean(s);
      case DURATION -> parseDuration(s);
      case SIZE -> parseSize(s);
      case LIST ->
          s.isEmpty()
              ? List.of()
              : Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    };
  }

  private static Boolean parseBoolean(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default -> throw new IllegalArgumentException("expected true or false");
    };
  }

  static Duration parseDuration(String s) {
    if (s.startsWith("P") || s.startsWith("p")) {
      return Duration.parse(s);
    }
    String lower = s.toLowerCase(Locale.ROOT);
    int i = 0;
    while (i < lower.length() && Character.isDigit(lower.charAt(i))) {
      i++;
    }
    if (i == 0) {
      throw new IllegalArgumentException("expected a duration such as 500ms, 30s, 5m, 24h or 7d");
    }
    long n = Long.parseLong(lower.substring(0, i));
    return switch (lower.substring(i).trim()) {
      case "ms" -> Duration.ofMillis(n);
      case "s", "" -> Duration.ofSeconds(n);
      case "m", "min" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      case "d" -> Duration.ofDays(n);
      default ->
          throw new IllegalArgumentException(
              "expected a duration such as 500ms, 30s, 5m, 24h or 7d");
    };
  }

  static Long parseSize(String s) {
    String lower = s.toLowerCase(Locale.ROOT).replace(" ", "");
    int i = 0;
    while (i < lower.length() && Character.isDigit(lower.charAt(i))) {
      i++;
    }
    if (i == 0) {
      throw new IllegalArgumentException("expected a size such as 1048576, 512KiB, 1MiB or 2GiB");
    }
    long n = Long.parseLong(lower.substring(0, i));
    long unit =
        switch (lower.substring(i)) {
          case "", "b" -> 1L;
          case "k", "kb", "kib" -> 1L << 10;
          case "m", "mb", "mib" -> 1L << 20;
          case "g", "gb", "gib" -> 1L << 30;
          default ->
              throw new IllegalArgumentException(
                  "expected a size such as 1048576, 512KiB, 1MiB or 2GiB");
        };
    return Math.multiplyExact(n, unit);
  }
}
