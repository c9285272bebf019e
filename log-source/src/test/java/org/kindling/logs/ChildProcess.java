package org.kindling.logs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/** A {@link LogSourceProcess} started with the test class path, which the test can SIGKILL. */
final class ChildProcess implements AutoCloseable {
  private final Process process;
  private final int opsPort;

  private ChildProcess(Process process, int opsPort) {
    this.process = process;
    this.opsPort = opsPort;
  }

  static ChildProcess start(Path propertiesFile, Map<String, String> settings) throws IOException {
    Properties p = new Properties();
    p.putAll(settings);
    try (Writer w = Files.newBufferedWriter(propertiesFile, StandardCharsets.UTF_8)) {
      p.store(w, "log source under test");
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("-Xmx256m");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(LogSourceProcess.class.getName());
    cmd.add(propertiesFile.toString());
    Process proc = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith("ops=")) {
        return new ChildProcess(proc, Integer.parseInt(line.substring(4)));
      }
    }
    proc.destroyForcibly();
    throw new IOException("the log source process did not start");
  }

  /** The sum of a counter over its tags, scraped from /metrics. */
  double counter(String name) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + opsPort + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    double sum = 0;
    for (String l : r.body().split("\n")) {
      if (l.startsWith(name + "{") || l.startsWith(name + " ")) {
        sum += Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  /** SIGKILL: no shutdown hook, no last checkpoint, the producer's buffer lost. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy(); // SIGTERM: the graceful stop
      try {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
