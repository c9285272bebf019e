package org.kindling.platform.simulate;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Open-loop load: submissions are started on a fixed schedule ({@code rate} per second), not when
 * the previous one finishes, so a slow edge shows up as latency and errors rather than as a lower
 * offered rate. A cap on requests in flight bounds the simulator's own memory; when the cap is
 * reached the schedule waits, and the summary's elapsed time shows it.
 */
public final class Simulator {
  private final URI edge;
  private final SyntheticTraffic traffic;
  private final double rate;
  private final int maxInFlight;
  private final HttpClient http;
  private final ExecutorService executor;

  public Simulator(URI edge, SyntheticTraffic traffic, double rate, int maxInFlight) {
    this.edge = edge;
    this.traffic = traffic;
    this.rate = rate;
    this.maxInFlight = maxInFlight;
    this.executor = Executors.newFixedThreadPool(4, r -> daemon(r, "simulate-http"));
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(executor)
            .build();
  }

  /**
   * Sends {@code count} submissions (or for {@code duration} when count is 0) and waits for every
   * answer.
   *
   * @param progress where to draw a progress line once a second, or null
   */
  public Summary run(long count, Duration duration, PrintStream progress) throws Exception {
    Summary summary = new Summary();
    Semaphore inFlight = new Semaphore(maxInFlight);
    AtomicLong done = new AtomicLong();
    long start = System.nanoTime();
    long end = duration == null ? Long.MAX_VALUE : start + duration.toNanos();
    double intervalNanos = 1e9 / rate;
    long lastProgress = start;
    long i = 0;
    try {
      while ((count == 0 || i < count) && System.nanoTime() < end) {
        long due = start + (long) (i * intervalNanos);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        inFlight.acquire();
        Submission s = traffic.next();
        send(s)
            .whenComplete(
                (status, error) -> {
                  String st = error != null ? Summary.ERROR : String.valueOf(status);
                  summary.record(s, st);
                  if ("200".equals(st)) {
                    traffic.accepted(s);
                  }
                  done.incrementAndGet();
                  inFlight.release();
                });
        i++;
        if (progress != null && System.nanoTime() - lastProgress > 1_000_000_000L) {
          lastProgress = System.nanoTime();
          drawProgress(progress, i, count, done.get(), summary, start);
        }
      }
      inFlight.acquire(maxInFlight);
      inFlight.release(maxInFlight);
    } finally {
      executor.shutdown();
    }
    summary.elapsed((System.nanoTime() - start) / 1e9);
    if (progress != null) {
      drawProgress(progress, i, count, done.get(), summary, start);
      progress.println();
    }
    return summary;
  }

  private CompletableFuture<Integer> send(Submission s) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(edge.resolve(s.path()))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofByteArray(s.body()));
    s.headers().forEach(b::header);
    return http.sendAsync(b.build(), HttpResponse.BodyHandlers.discarding())
        .thenApply(HttpResponse::statusCode);
  }

  private static void drawProgress(
      PrintStream out, long started, long count, long done, Summary summary, long start) {
    double secs = Math.max(0.001, (System.nanoTime() - start) / 1e9);
    String bar = "";
    if (count > 0) {
      int width = 30;
      int filled = (int) Math.min(width, width * done / count);
      bar = "[" + "#".repeat(filled) + " ".repeat(width - filled) + "] ";
    }
    out.printf(
        "\r%ssent %d, answered %d (200: %d), %.0f/s   ",
        bar, started, done, summary.accepted(), done / secs);
    out.flush();
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
