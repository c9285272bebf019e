package org.kindling.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.kindling.core.Json;
import org.kindling.export.webhook.Signature;

/**
 * A webhook receiver on the JDK's HTTP server, as a team would run one: it checks the signature of
 * every request and answers as the test's behaviour says (2xx, an error status, a stall, a dropped
 * connection). It records which document ids arrived and which were acknowledged (answered 2xx).
 */
final class WebhookReceiver implements AutoCloseable {
  /** What to do with a request. */
  sealed interface Action {}

  /** Answer with this status (and Retry-After when not null). */
  record Answer(int status, String body, String retryAfter) implements Action {}

  /** Wait, then answer 500: the client has given up by then, so nothing counts as acknowledged. */
  record Stall(Duration duration) implements Action {}

  /** Close the connection without answering. */
  record Drop() implements Action {}

  static final Action OK = new Answer(200, "{\"ok\":true}", null);

  /** A request as received. */
  record Request(
      List<String> documentIds,
      List<JsonNode> documents,
      List<JsonNode> errors,
      Map<String, List<String>> headers,
      byte[] body,
      long atNanos) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Signature signature;
  volatile Function<Request, Action> behaviour = r -> OK;
  final Set<String> seen = ConcurrentHashMap.newKeySet();
  final Map<String, AtomicInteger> acknowledged = new ConcurrentHashMap<>();
  final Map<String, Long> firstAcknowledgedAt = new ConcurrentHashMap<>();
  final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
  final AtomicInteger badSignatures = new AtomicInteger();

  WebhookReceiver(String secret) throws IOException {
    this.signature = new Signature(secret);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/hook", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  private void handle(HttpExchange ex) throws IOException {
    byte[] body;
    try (InputStream in = ex.getRequestBody()) {
      body = in.readAllBytes();
    }
    if (!signature.verify(body, ex.getRequestHeaders().getFirst(Signature.HEADER))) {
      badSignatures.incrementAndGet();
      respond(ex, 401, "bad signature", null);
      return;
    }
    JsonNode n = Json.mapper().readTree(body);
    List<String> ids = new ArrayList<>();
    List<JsonNode> docs = new ArrayList<>();
    List<JsonNode> errors = new ArrayList<>();
    n.path("documents")
        .forEach(
            d -> {
              docs.add(d);
              ids.add(d.path("document_id").asText());
            });
    n.path("errors").forEach(errors::add);
    Request r =
        new Request(ids, docs, errors, Map.copyOf(ex.getRequestHeaders()), body, System.nanoTime());
    requests.add(r);
    seen.addAll(ids);
    Action a = behaviour.apply(r);
    if (a instanceof Drop) {
      ex.close();
      return;
    }
    if (a instanceof Stall s) {
      try {
        Thread.sleep(s.duration().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      respond(ex, 500, "stalled", null);
      return;
    }
    Answer answer = (Answer) a;
    if (answer.status() / 100 == 2) {
      long now = System.nanoTime();
      for (String id : ids) {
        acknowledged.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        firstAcknowledgedAt.putIfAbsent(id, now);
      }
    }
    respond(ex, answer.status(), answer.body(), answer.retryAfter());
  }

  private static void respond(HttpExchange ex, int status, String body, String retryAfter)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    if (retryAfter != null) {
      ex.getResponseHeaders().set("Retry-After", retryAfter);
    }
    ex.getResponseHeaders().set("Content-Type", "application/json");
    try {
      ex.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    } catch (IOException e) {
      // the client gave up (timeout): nothing to answer
    } finally {
      ex.close();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
