package org.kindling.logs;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Formats microseconds since the epoch as the edge writes {@code submission_timestamp}: {@code
 * yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'} in UTC. Remembers the last second it formatted, since
 * consecutive log lines mostly share it. Not thread-safe; one instance per reading thread.
 */
public final class SubmissionTimestamp {
  /** The edge's format (ingest-edge {@code CaptureAttributes}). */
  public static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private long lastSecond = Long.MIN_VALUE;
  private String lastPrefix;

  /** {@code micros} in the edge's format. */
  public String format(long micros) {
    long second = Math.floorDiv(micros, 1_000_000L);
    int fraction = (int) Math.floorMod(micros, 1_000_000L);
    if (second != lastSecond) {
      String full = FORMAT.format(Instant.ofEpochSecond(second));
      lastPrefix = full.substring(0, full.length() - 7); // up to and including the dot
      lastSecond = second;
    }
    StringBuilder sb = new StringBuilder(lastPrefix.length() + 7).append(lastPrefix);
    String f = Integer.toString(fraction);
    for (int i = f.length(); i < 6; i++) {
      sb.append('0');
    }
    return sb.append(f).append('Z').toString();
  }
}
