package org.kindling.bench.edge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code wrk} (closed loop: each connection sends its next request when the previous one is
 * answered) with a Lua script that POSTs the same 2 KiB JSON body to {@code
 * /submit/glow/download/1/<uuid>}, a fresh UUID per request so the records spread over all of
 * ingest.raw's partitions as real traffic does.
 */
final class Wrk {
  /** One run's figures; latencies in milliseconds. */
  record Result(
      double requestsPerSecond,
      double p50,
      double p99,
      long requests,
      long non2xx,
      long socketErrors,
      String raw) {}

  private final Path script;
  private final int threads;
  private final int connections;

  Wrk(Path dir, byte[] body, int threads, int connections) throws IOException {
    this.threads = threads;
    this.connections = connections;
    this.script = dir.resolve("submit.lua");
    String json = new String(body, StandardCharsets.UTF_8);
    if (json.contains("]==]")) {
      throw new IllegalArgumentException("body cannot be quoted as a Lua long string");
    }
    String lua =
        String.join(
            "\n",
            "wrk.method = \"POST\"",
            "wrk.headers[\"Content-Type\"] = \"application/json\"",
            "wrk.headers[\"User-Agent\"] = \"kindling-bench\"",
            "wrk.body = [==[" + json + "]==]",
            "local next_id = 0",
            "function setup(thread)",
            "  next_id = next_id + 1",
            "  thread:set(\"tid\", next_id)",
            "end",
            "local counter = 0",
            "local salt = 0",
            "function init(args)",
            "  salt = math.random(0, 65535)",
            "end",
            "function request()",
            "  counter = counter + 1",
            "  local path = string.format(\"/submit/glow/download/1/%08x-%04x-4000-8000-%012x\","
                + " tid, salt, counter)",
            "  return wrk.format(nil, path)",
            "end",
            "");
    Files.writeString(script, lua);
  }

  Result run(int port, int seconds) throws IOException, InterruptedException {
    List<String> cmd =
        List.of(
            "wrk",
            "-t" + threads,
            "-c" + connections,
            "-d" + seconds + "s",
            "--timeout",
            "10s",
            "--latency",
            "-s",
            script.toString(),
            "http://127.0.0.1:" + port);
    Process p = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int rc = p.waitFor();
    if (rc != 0) {
      throw new IOException("wrk exited with " + rc + ":\n" + out);
    }
    return parse(out);
  }

  static Result parse(String out) {
    double rps = number(out, "Requests/sec:\\s+([0-9.]+)");
    double p50 = latency(out, "50%");
    double p99 = latency(out, "99%");
    long requests = (long) number(out, "(\\d+) requests in");
    Matcher non = Pattern.compile("Non-2xx or 3xx responses: (\\d+)").matcher(out);
    long non2xx = non.find() ? Long.parseLong(non.group(1)) : 0;
    long socketErrors = 0;
    Matcher se =
        Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)")
            .matcher(out);
    if (se.find()) {
      for (int i = 1; i <= 4; i++) {
        socketErrors += Long.parseLong(se.group(i));
      }
    }
    return new Result(rps, p50, p99, requests, non2xx, socketErrors, out);
  }

  private static double number(String out, String regex) {
    Matcher m = Pattern.compile(regex).matcher(out);
    if (!m.find()) {
      throw new IllegalStateException("unexpected wrk output:\n" + out);
    }
    return Double.parseDouble(m.group(1));
  }

  /** A line of the latency distribution, e.g. {@code 99% 12.34ms}, in milliseconds. */
  private static double latency(String out, String percentile) {
    Matcher m =
        Pattern.compile("\\s" + Pattern.quote(percentile) + "\\s+([0-9.]+)(us|ms|s|m)\\b")
            .matcher(out);
    if (!m.find()) {
      throw new IllegalStateException("no " + percentile + " latency in wrk output:\n" + out);
    }
    double v = Double.parseDouble(m.group(1));
    return switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "us" -> v / 1000;
      case "ms" -> v;
      case "s" -> v * 1000;
      default -> v * 60_000;
    };
  }
}
