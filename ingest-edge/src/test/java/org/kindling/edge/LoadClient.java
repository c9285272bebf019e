package org.kindling.edge;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;

/** Sends submissions to an edge with bounded concurrency and records what was answered. */
final class LoadClient {
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final String base;
  private final Semaphore permits;

  /** Bodies of submissions answered 200, by document id. */
  final Map<String, String> accepted = new ConcurrentHashMap<>();

  /** Status codes (or -1 for I/O errors) of everything else. */
  final List<Integer> refused = new CopyOnWriteArrayList<>();

  LoadClient(int port, int concurrency) {
    this.base = "http://127.0.0.1:" + port;
    this.permits = new Semaphore(concurrency);
  }

  static String body(String id, int i) {
    return "{\"document_id\":\""
        + id
        + "\",\"n\":"
        + i
        + ",\"text\":\"gr\u00fc\u00dfe \u2603\",\"client_id\":\""
        + UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8))
        + "\"}";
  }

  /** Sends one submission (blocks while {@code concurrency} are in flight). */
  CompletableFuture<Integer> submit(int i) throws InterruptedException {
    String id = UUID.randomUUID().toString();
    String body = body(id, i);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + "/submit/glow/download/1/" + id + "?n=" + i))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .header("User-Agent", "LoadClient/1.0")
            .header("X-Debug-ID", "it-" + i)
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build();
    permits.acquire();
    return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .handle(
            (r, e) -> {
              permits.release();
              int status = e == null ? r.statusCode() : -1;
              if (status == 200) {
                accepted.put(id, body);
              } else {
                refused.add(status);
              }
              return status;
            });
  }

  /** Sends {@code n} submissions and waits for every answer. */
  void run(int from, int n) throws InterruptedException {
    CompletableFuture<?>[] all = new CompletableFuture<?>[n];
    for (int i = 0; i < n; i++) {
      all[i] = submit(from + i);
    }
    CompletableFuture.allOf(all).join();
  }
}
