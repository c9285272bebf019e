package org.kindling.platform.simulate;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;

/**
 * Writes a realistic download server access log in the combined format, for {@code kindling logs}
 * to follow: downloads of product builds ({@code GET /<product>/<version>/<os>/<locale>/<file>},
 * answered 200, 206 for resumed downloads or 302 to a mirror), which the log source's built-in
 * download rule makes Glow downloads, among page views, static files, 304s, 404s and bots, which it
 * skips; from client addresses that the GeoIP database places in many countries. Deterministic for
 * a seed.
 */
public final class AccessLogWriter {
  private static final DateTimeFormatter CLF =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);

  private record Build(String product, String version, String file) {}

  private static final Build[] BUILDS = {
    new Build("firefox", "145.0.2", "Firefox%20Setup%20145.0.2"),
    new Build("firefox", "145.0.1", "Firefox%20Setup%20145.0.1"),
    new Build("firefox-beta", "146.0b3", "Firefox%20Setup%20146.0b3"),
    new Build("firefox-esr", "140.5.0esr", "Firefox%20Setup%20140.5.0esr"),
    new Build("firefox-devedition", "146.0b3", "Firefox%20Setup%20146.0b3"),
    new Build("thunderbird", "145.0", "Thunderbird%20Setup%20145.0")
  };
  private static final String[] OSES = {
    "win64", "win64", "win64", "win", "osx", "osx", "linux64", "linux64-aarch64", "win64-aarch64"
  };
  private static final String[] LOCALES = {
    "en-US", "en-US", "en-US", "de", "fr", "es-ES", "pt-BR", "ja", "zh-CN", "ru", "pl", "it",
    "en-GB"
  };
  private static final String[] PAGES = {
    "/en-US/firefox/new/", "/de/firefox/new/", "/en-US/firefox/download/thanks/", "/", "/en-US/",
    "/firefox/releases/", "/robots.txt", "/favicon.ico", "/media/css/site.css", "/media/js/site.js",
    "/media/img/logo.svg", "/en-US/firefox/145.0.2/releasenotes/"
  };
  private static final String[] USER_AGENTS = {
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
        + " Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
        + " Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:145.0) Gecko/20100101 Firefox/145.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)"
        + " Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:145.0) Gecko/20100101 Firefox/145.0",
    "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:145.0) Gecko/20100101 Firefox/145.0",
    "Wget/1.21.4",
    "curl/8.5.0"
  };
  private static final String[] BOTS = {
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)"
  };

  private final Random random;
  private final ClientAddresses addresses;
  private long lastSecond = Long.MIN_VALUE;
  private String lastTime;
  private boolean lastWasDownload;

  public AccessLogWriter(long seed, ClientAddresses addresses) {
    this.random = new Random(seed);
    this.addresses = addresses;
  }

  /** One line logged at {@code epochMillis}. */
  public String line(long epochMillis) {
    long second = Math.floorDiv(epochMillis, 1000);
    if (second != lastSecond) {
      lastSecond = second;
      lastTime = CLF.format(Instant.ofEpochSecond(second));
    }
    String ip = addresses.next(random).ip();
    int kind = random.nextInt(100);
    lastWasDownload = false;
    StringBuilder sb = new StringBuilder(256).append(ip).append(" - - [").append(lastTime);
    if (kind < 55) {
      Build b = BUILDS[random.nextInt(BUILDS.length)];
      String os = OSES[random.nextInt(OSES.length)];
      String ext = os.startsWith("win") ? ".exe" : os.equals("osx") ? ".dmg" : ".tar.xz";
      int statusDraw = random.nextInt(10);
      int status = statusDraw < 7 ? 200 : statusDraw < 9 ? 206 : 302;
      long bytes = status == 302 ? 0 : 40_000_000L + random.nextInt(40_000_000);
      sb.append("] \"GET /")
          .append(b.product())
          .append('/')
          .append(b.version())
          .append('/')
          .append(os)
          .append('/')
          .append(LOCALES[random.nextInt(LOCALES.length)])
          .append('/')
          .append(b.file())
          .append(ext)
          .append(" HTTP/")
          .append(random.nextInt(3) == 0 ? "2.0" : "1.1")
          .append("\" ")
          .append(status)
          .append(' ')
          .append(bytes)
          .append(" \"https://www.mozilla.org/\" \"")
          .append(USER_AGENTS[random.nextInt(USER_AGENTS.length)])
          .append('"');
      lastWasDownload = true;
      return sb.toString();
    }
    String page = PAGES[random.nextInt(PAGES.length)];
    int status = kind < 85 ? 200 : kind < 93 ? 304 : kind < 98 ? 404 : 301;
    String ua =
        kind >= 96
            ? BOTS[random.nextInt(BOTS.length)]
            : USER_AGENTS[random.nextInt(USER_AGENTS.length)];
    sb.append("] \"")
        .append(random.nextInt(50) == 0 ? "HEAD " : "GET ")
        .append(page)
        .append(" HTTP/1.1\" ")
        .append(status)
        .append(' ')
        .append(status == 200 ? 1000 + random.nextInt(60_000) : 0)
        .append(" \"")
        .append(random.nextBoolean() ? "-" : "https://www.mozilla.org/en-US/")
        .append("\" \"")
        .append(ua)
        .append('"');
    return sb.toString();
  }

  /** Whether the last line was a download (one that the download rule makes a submission). */
  public boolean lastWasDownload() {
    return lastWasDownload;
  }

  /**
   * Writes {@code n} lines as fast as the disk takes them, logged from {@code start} at {@code
   * linesPerSecond} of log time; returns how many are downloads.
   */
  public long writeAll(Path file, long n, Instant start, double linesPerSecond) throws IOException {
    long downloads = 0;
    long t0 = start.toEpochMilli();
    try (BufferedWriter w =
        Files.newBufferedWriter(
            file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      for (long i = 0; i < n; i++) {
        w.write(line(t0 + (long) (i * 1000 / linesPerSecond)));
        w.write('\n');
        if (lastWasDownload) {
          downloads++;
        }
      }
    }
    return downloads;
  }

  /**
   * Appends lines to {@code file} in real time, {@code rate} per second, until {@code count} lines
   * (when positive) or {@code duration} (when not null); each write is flushed so that a follower
   * sees whole lines. Returns the lines written and the downloads among them.
   */
  public long[] append(Path file, double rate, long count, Duration duration, PrintStream progress)
      throws IOException, InterruptedException {
    long start = System.nanoTime();
    long end = duration == null ? Long.MAX_VALUE : start + duration.toNanos();
    long written = 0;
    long downloads = 0;
    try (BufferedWriter w =
        Files.newBufferedWriter(
            file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      while ((count <= 0 || written < count) && System.nanoTime() < end) {
        long due = start + (long) (written * 1e9 / rate);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          w.flush();
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        w.write(line(System.currentTimeMillis()));
        w.write('\n');
        written++;
        if (lastWasDownload) {
          downloads++;
        }
        if (progress != null && written % 1000 == 0) {
          progress.printf("\r%d lines, %d downloads", written, downloads);
        }
      }
    }
    if (progress != null) {
      progress.println();
    }
    return new long[] {written, downloads};
  }
}
