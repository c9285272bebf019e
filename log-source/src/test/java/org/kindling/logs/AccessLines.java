package org.kindling.logs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Access log lines for the tests: download {@code i} of a run is unique (its file name and user
 * agent carry the run's token and {@code i}); every fifth line is a page view no rule matches.
 */
final class AccessLines {
  private AccessLines() {}

  /** Line {@code i}: a download when {@code i % 5 != 4}, else a page view. */
  static String line(String token, int i) {
    int s = i % 60;
    int m = (i / 60) % 60;
    String time = String.format("27/Nov/2026:10:%02d:%02d +0000", m, s);
    String addr = "203.0." + (113 + (i / 250) % 3) + "." + (1 + i % 250);
    if (isDownload(i)) {
      return addr
          + " - - ["
          + time
          + "] \"GET /firefox/145.0/win64/en-US/Firefox-"
          + i
          + ".exe HTTP/1.1\" 200 52428800 \"https://www.mozilla.org/\" \"Mozilla/5.0 test/"
          + token
          + "/"
          + i
          + "\"";
    }
    return addr
        + " - - ["
        + time
        + "] \"GET /en-US/firefox/new/ HTTP/1.1\" 200 4711 \"-\" \"Mozilla/5.0 test/"
        + token
        + "/"
        + i
        + "\"";
  }

  static boolean isDownload(int i) {
    return i % 5 != 4;
  }

  /** The download indices among {@code [from, to)}. */
  static Set<Integer> downloads(int from, int to) {
    Set<Integer> s = new LinkedHashSet<>();
    for (int i = from; i < to; i++) {
      if (isDownload(i)) {
        s.add(i);
      }
    }
    return s;
  }

  /** Appends lines {@code [from, to)} to {@code file} (created when missing). */
  static void append(Path file, String token, int from, int to) throws IOException {
    try (OutputStream out =
        Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      write(out, token, from, to);
    }
  }

  static void write(OutputStream out, String token, int from, int to) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < to; i++) {
      sb.append(line(token, i)).append('\n');
    }
    out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** The line index a submission's user agent names, or -1 when it is not of run {@code token}. */
  static int index(String userAgent, String token) {
    String prefix = "Mozilla/5.0 test/" + token + "/";
    if (userAgent == null || !userAgent.startsWith(prefix)) {
      return -1;
    }
    return Integer.parseInt(userAgent.substring(prefix.length()));
  }
}
