package org.kindling.platform;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code kindling local} as a separate OS process, with the test's class path: started, waited for,
 * killed ({@code SIGKILL}) or stopped ({@code SIGTERM}) as an operator's process would be. Its
 * console goes to a file.
 */
final class LocalProcess implements AutoCloseable {
  private final Process process;
  private final int edgePort;
  private final long startedNanos = System.nanoTime();

  private LocalProcess(Process process, int edgePort) {
    this.process = process;
    this.edgePort = edgePort;
  }

  /** Starts {@code kindling local --data dir} with {@code settings} on {@code edgePort}. */
  static LocalProcess start(Path data, int edgePort, Map<String, String> settings, Path console)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx768m");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Kindling.class.getName());
    cmd.add("local");
    cmd.add("--data");
    cmd.add(data.toString());
    cmd.add("--set");
    cmd.add("edge.port=" + edgePort);
    for (Map.Entry<String, String> e : settings.entrySet()) {
      cmd.add("--set");
      cmd.add(e.getKey() + "=" + e.getValue());
    }
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(console.toFile()))
            .start();
    return new LocalProcess(p, edgePort);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  URI edge() {
    return URI.create("http://127.0.0.1:" + edgePort);
  }

  /**
   * Waits until the edge takes a submission (answers 200 to a Glow download), and returns how long
   * that took since the process started.
   */
  Duration awaitAccepting(Duration timeout) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("kindling local exited with " + process.exitValue());
      }
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(
                        edge().resolve("/submit/glow/download/1/" + UUID.randomUUID()))
                    .timeout(Duration.ofSeconds(2))
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"product\":\"firefox\",\"version\":\"145.0\",\"os\":\"linux64\","
                                + "\"locale\":\"en-US\"}"))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return Duration.ofNanos(System.nanoTime() - startedNanos);
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the edge did not accept a submission within " + timeout);
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGTERM: the graceful stop (SIGKILL after a minute). */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }
}
