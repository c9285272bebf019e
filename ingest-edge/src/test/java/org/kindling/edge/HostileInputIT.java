package org.kindling.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.kindling.core.Topics;
import org.kindling.testkit.KafkaClusterExtension;
import org.kindling.testkit.Waits;

/**
 * Hostile and malformed HTTP sent over raw sockets to a running edge (real broker). Each case of
 * the table states what the client gets back (status and plain-text reason, or a closed
 * connection), whether the connection stays open, and exactly which records reach ingest.raw; after
 * each case a valid submission on another connection must still get 200 and land. The same table is
 * rendered into the security section of the project's README.md, which must match it.
 */
class HostileInputIT {
  @RegisterExtension
  static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();

  static final int LIMIT = 1024 * 1024; // edge.max.payload.bytes default
  static final String TOO_LARGE = "payload larger than " + LIMIT + " bytes";
  // edge.request.timeout: the whole request (headers and body) must arrive within it.
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
  static final String HOST = "edge.test";

  static Path spoolDir;
  static EdgeService edge;
  static PrometheusMeterRegistry registry;
  static Collector raw;

  @BeforeAll
  static void start() throws Exception {
    KAFKA.ensureTopics();
    spoolDir = Files.createTempDirectory("hostile-spool");
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    edge = startEdge(spoolDir, Map.of(), registry);
    raw = new Collector();
  }

  @AfterAll
  static void stop() throws Exception {
    if (raw != null) {
      raw.close();
    }
    if (edge != null) {
      edge.close();
    }
  }

  static EdgeService startEdge(Path spool, Map<String, String> overrides) throws Exception {
    return startEdge(spool, overrides, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  static EdgeService startEdge(
      Path spool, Map<String, String> overrides, PrometheusMeterRegistry meters) throws Exception {
    Map<String, String> settings = new HashMap<>();
    settings.put(EdgeConfig.PORT, "0");
    settings.put(EdgeConfig.HOST, "127.0.0.1");
    settings.put(EdgeConfig.SPOOL_DIR, spool.toString());
    settings.put(EdgeConfig.REQUEST_TIMEOUT, REQUEST_TIMEOUT.toSeconds() + "s");
    // Proxies are configured, but the test client (127.0.0.1) is not one of them.
    settings.put(EdgeConfig.TRUSTED_PROXIES, "10.0.0.0/8");
    // Generous: on a busy machine nothing should take the spool path.
    settings.put(EdgeConfig.PRODUCE_TIMEOUT, "10s");
    settings.put(EdgeConfig.SHUTDOWN_TIMEOUT, "5s");
    settings.putAll(overrides);
    EdgeService e = new EdgeService(KAFKA.config(settings), meters);
    e.start();
    return e;
  }

  // ------------------------------------------------------------------------------- the table

  /** What the client gets back: a status and the plain-text reason ("" for none). */
  record Answer(int status, String reason) {
    @Override
    public String toString() {
      return reason.isEmpty() ? "`" + status + "`" : "`" + status + " " + reason + "`";
    }
  }

  /** What becomes of the connection after the answers. */
  enum After {
    CLOSED("connection closed by the edge"),
    OPEN("connection kept open"),
    CLIENT_GONE("client hung up");

    final String text;

    After(String text) {
      this.text = text;
    }
  }

  /** What the client saw. */
  record Observed(List<Answer> answers, After after) {}

  /** One exchange with the edge. */
  interface Attack {
    Observed run(int port) throws Exception;
  }

  /**
   * A record expected in ingest.raw: its key (document id), the exact body, and header values (null
   * = header absent).
   */
  record Stored(String id, byte[] body, Map<String, String> headers) {
    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder("record, body byte-for-byte (" + body.length + " B)");
      headers.forEach(
          (k, v) -> sb.append(v == null ? ", no `" + k + "`" : ", `" + k + "` = `" + v + "`"));
      return sb.toString().replace(id, "<uuid>");
    }
  }

  record Case(
      String name,
      String sent,
      Attack attack,
      List<Answer> answers,
      After after,
      List<Stored> stored) {
    @Override
    public String toString() {
      return name;
    }

    String row() {
      String got =
          answers.isEmpty()
              ? "no response; " + after.text
              : answers.stream().map(Answer::toString).collect(Collectors.joining(", then "))
                  + "; "
                  + after.text;
      String kept =
          stored.isEmpty()
              ? "nothing"
              : stored.stream().map(Stored::toString).collect(Collectors.joining("; "));
      return "| " + name + " | " + sent + " | " + got + " | " + kept + " |";
    }
  }

  static Answer ok() {
    return new Answer(200, "");
  }

  static Answer a(int status, String reason) {
    return new Answer(status, reason);
  }

  static Case c(
      String name, String sent, Attack attack, List<Answer> answers, After after, Stored... s) {
    return new Case(name, sent, attack, answers, after, List.of(s));
  }

  static String id() {
    return UUID.randomUUID().toString();
  }

  static String uri(String id) {
    return "/submit/glow/download/1/" + id;
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      b.writeBytes(p);
    }
    return b.toByteArray();
  }

  /** A POST with Host and a correct Content-Length, plus {@code headers} (CRLF-terminated). */
  static byte[] post(String target, String headers, byte[] body) {
    return concat(
        ascii(
            "POST "
                + target
                + " HTTP/1.1\r\nHost: "
                + HOST
                + "\r\nContent-Length: "
                + body.length
                + "\r\n"
                + headers
                + "\r\n"),
        body);
  }

  static byte[] post(String target, byte[] body) {
    return post(target, "", body);
  }

  static Stored stored(String id, byte[] body) {
    return new Stored(id, body, Map.of());
  }

  static Stored stored(String id, byte[] body, String... headerPairs) {
    Map<String, String> h = new LinkedHashMap<>();
    for (int i = 0; i < headerPairs.length; i += 2) {
      h.put(headerPairs[i], headerPairs[i + 1]);
    }
    return new Stored(id, body, h);
  }

  static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  static byte[] gzip(byte[] data, int times) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      for (int i = 0; i < times; i++) {
        z.write(data);
      }
    }
    return out.toByteArray();
  }

  static final byte[] BODY = ascii("{}");

  static List<Case> table() throws IOException {
    List<Case> t = new ArrayList<>();
    String id;

    // ---- body size
    id = id();
    t.add(
        c(
            "oversized body",
            "`Content-Length: 1048577` (limit + 1), headers only",
            send(
                ascii(
                    "POST " + uri(id) + " HTTP/1.1\r\nHost: x\r\nContent-Length: 1048577\r\n\r\n")),
            List.of(a(413, TOO_LARGE)),
            After.CLOSED));
    id = id();
    byte[] max = random(LIMIT);
    t.add(
        c(
            "body exactly at the limit",
            "1 MiB of random (incompressible) bytes, `Content-Length: 1048576`",
            send(post(uri(id), max)),
            List.of(ok()),
            After.OPEN,
            stored(id, max, "content_length", "1048576")));
    id = id();
    String id2;
    t.add(
        c(
            "lying Content-Length (short)",
            "`Content-Length: 5`, 12 body bytes `helloWORLD\\r\\n`",
            send(
                ascii(
                    "POST "
                        + uri(id)
                        + " HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhelloWORLD\r\n")),
            List.of(ok(), a(400, "malformed request")),
            After.CLOSED,
            stored(id, ascii("hello"))));
    id = id();
    t.add(
        c(
            "lying Content-Length (long)",
            "`Content-Length: 100`, 10 body bytes, then silence",
            send(
                ascii(
                    "POST "
                        + uri(id)
                        + " HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789")),
            List.of(a(408, "request not received in time")),
            After.CLOSED));
    id = id();
    t.add(
        c(
            "chunked body over the limit",
            "`Transfer-Encoding: chunked`, 64 KiB chunks up to 2 MiB",
            send(chunked(uri(id), 32, 64 * 1024)),
            List.of(a(413, TOO_LARGE)),
            After.CLOSED));
    id = id();
    t.add(
        c(
            "chunked body within the limit",
            "`Transfer-Encoding: chunked`, two chunks of 64 KiB",
            send(chunked(uri(id), 2, 64 * 1024)),
            List.of(ok()),
            After.OPEN,
            stored(id, chunkedBodyOf(2, 64 * 1024), "content_length", null)));
    id = id();
    t.add(
        c(
            "invalid chunk size",
            "`Transfer-Encoding: chunked`, chunk size line `zz`",
            send(
                ascii(
                    "POST "
                        + uri(id)
                        + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "zz\r\nhello\r\n0\r\n\r\n")),
            List.of(a(400, "malformed request body")),
            After.CLOSED));
    id = id();
    t.add(
        c(
            "unknown Transfer-Encoding",
            "`Transfer-Encoding: identity`, no Content-Length",
            send(
                ascii(
                    "POST "
                        + uri(id)
                        + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity\r\n\r\n{}")),
            List.of(a(400, "malformed request")),
            After.CLOSED));
    id = id();
    t.add(
        c(
            "Expect: 100-continue over the limit",
            "`Content-Length: 2097152`, `Expect: 100-continue`, no body",
            send(
                ascii(
                    "POST "
                        + uri(id)
                        + " HTTP/1.1\r\nHost: x\r\nContent-Length: 2097152\r\n"
                        + "Expect: 100-continue\r\n\r\n")),
            List.of(a(413, TOO_LARGE)),
            After.CLOSED));
    id = id();
    t.add(
        c(
            "Expect: 100-continue within the limit",
            "`Content-Length: 2`, `Expect: 100-continue`; body sent after the 100",
            expectContinue(uri(id)),
            List.of(a(100, ""), ok()),
            After.OPEN,
            stored(id, BODY)));
    id = id();
    byte[] bomb = gzip(new byte[1024 * 1024], 64);
    t.add(
        c(
            "gzip bomb",
            "`Content-Encoding: gzip`, ~"
                + bomb.length / 1024
                + " KiB inflating to 64 MiB of zeros",
            send(post(uri(id), "Content-Encoding: gzip\r\n", bomb)),
            List.of(ok()),
            After.OPEN,
            stored(id, bomb, "content_encoding", "gzip")));
    id = id();
    t.add(
        c(
            "empty body",
            "`Content-Length: 0`",
            send(post(uri(id), new byte[0])),
            List.of(ok()),
            After.OPEN,
            stored(id, new byte[0])));
    id = id();
    t.add(
        c(
            "no Content-Length",
            "POST without Content-Length or Transfer-Encoding",
            send(ascii("POST " + uri(id) + " HTTP/1.1\r\nHost: x\r\n\r\n")),
            List.of(a(411, "Content-Length required")),
            After.CLOSED));
    id = id();
    t.add(
        c(
            "non-numeric Content-Length",
            "`Content-Length: abc`",
            send(
                ascii("POST " + uri(id) + " HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}")),
            List.of(a(400, "malformed request")),
            After.CLOSED));
    id = id();
    t.add(
        c(
            "Content-Length beyond 64 bits",
            "`Content-Length: 99999999999999999999`",
            send(
                ascii(
                    "POST "
                        + uri(id)
                        + " HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n{}")),
            List.of(a(400, "malformed request")),
            After.CLOSED));
    id = id();
    t.add(
        c(
            "negative Content-Length",
            "`Content-Length: -1`",
            send(ascii("POST " + uri(id) + " HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n{}")),
            List.of(a(400, "malformed request")),
            After.CLOSED));
    id = id();
    t.add(
        c(
            "two different Content-Lengths",
            "`Content-Length: 2` and `Content-Length: 40`",
            send(
                ascii(
                    "POST "
                        + uri(id)
                        + " HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 40\r\n\r\n{}")),
            List.of(a(400, "malformed request")),
            After.CLOSED));
    id = id();
    id2 = id();
    t.add(
        c(
            "request smuggling (CL + TE)",
            "`Content-Length: 4` and `Transfer-Encoding: chunked`, chunked body, a second POST"
                + " hidden behind it",
            send(
                concat(
                    ascii(
                        "POST "
                            + uri(id)
                            + " HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
                            + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
                    post(uri(id2), BODY))),
            List.of(a(400, "malformed request")),
            After.CLOSED));

    // ---- body content (never parsed by the edge)
    id = id();
    byte[] invalid = {'{', (byte) 0xc3, 0x28, (byte) 0xa0, (byte) 0xa1, 0, (byte) 0xff, '}'};
    t.add(
        c(
            "invalid UTF-8 and NUL in the body",
            "bytes `7b c3 28 a0 a1 00 ff 7d`",
            send(post(uri(id), invalid)),
            List.of(ok()),
            After.OPEN,
            stored(id, invalid)));
    id = id();
    byte[] nested = ascii("[".repeat(100_000) + "]".repeat(100_000));
    t.add(
        c(
            "deeply nested JSON",
            "`[` x 100000 then `]` x 100000",
            send(post(uri(id), nested)),
            List.of(ok()),
            After.OPEN,
            stored(id, nested)));

    // ---- URI
    id = id();
    t.add(
        c(
            "100 KB URI",
            "valid path with a 100 KB query string",
            send(post(uri(id) + "?q=" + "a".repeat(100 * 1024), BODY)),
            List.of(a(414, "URI too long")),
            After.CLOSED));
    id = id();
    t.add(
        c(
            "`..` segments",
            "`/submit/glow/../../download/1/<uuid>`",
            send(post("/submit/glow/../../download/1/" + id, BODY)),
            List.of(a(404, SHAPE)),
            After.CLOSED));
    id = id();
    t.add(
        c(
            "`..` as namespace",
            "`/submit/../download/1/<uuid>`",
            send(post("/submit/../download/1/" + id, BODY)),
            List.of(a(400, "namespace must match [a-zA-Z0-9_-]+")),
            After.CLOSED));
    id = id();
    t.add(
        c(
            "`%2e%2e` segment",
            "`/submit/%2e%2e/download/1/<uuid>`",
            send(post("/submit/%2e%2e/download/1/" + id, BODY)),
            List.of(a(400, "namespace must match [a-zA-Z0-9_-]+")),
            After.CLOSED));
    t.add(
        c(
            "`%2e%2e%2f` as document id",
            "`/submit/glow/download/1/%2e%2e%2f%2e%2e%2fetc%2fpasswd`",
            send(post("/submit/glow/download/1/%2e%2e%2f%2e%2e%2fetc%2fpasswd", BODY)),
            List.of(a(400, "document_id must be a UUID")),
            After.CLOSED));
    id = id();
    t.add(
        c(
            "raw NUL in the path",
            "`/submit/glow/down\\0load/1/<uuid>` (a 0x00 byte)",
            send(post("/submit/glow/down\0load/1/" + id, BODY)),
            List.of(a(400, "malformed request")),
            After.CLOSED));
    id = id();
    t.add(
        c(
            "`%00` in the path",
            "`/submit/glow/download%00/1/<uuid>`",
            send(post("/submit/glow/download%00/1/" + id, BODY)),
            List.of(a(400, "document_type must match [a-zA-Z0-9_-]+")),
            After.CLOSED));
    t.add(
        c(
            "non-UUID document id",
            "`/submit/glow/download/1/not-a-uuid`",
            send(post("/submit/glow/download/1/not-a-uuid", BODY)),
            List.of(a(400, "document_id must be a UUID")),
            After.CLOSED));
    id = id();
    t.add(
        c(
            "bad version segment",
            "`/submit/glow/download/v1/<uuid>`",
            send(post("/submit/glow/download/v1/" + id, BODY)),
            List.of(a(400, "document_version must be a number")),
            After.CLOSED));
    id = id();
    t.add(
        c(
            "unknown namespace",
            "`/submit/no-such-namespace/download/1/<uuid>` (the validator decides)",
            send(post("/submit/no-such-namespace/download/1/" + id, BODY)),
            List.of(ok()),
            After.OPEN,
            stored(id, BODY, "uri", "/submit/no-such-namespace/download/1/" + id)));
    id = id();
    t.add(
        c(
            "absolute-form URI",
            "`POST http://evil.example/submit/glow/download/1/<uuid>`",
            send(post("http://evil.example" + uri(id), BODY)),
            List.of(ok()),
            After.OPEN,
            stored(id, BODY, "uri", uri(id), "host", HOST)));

    // ---- methods
    id = id();
    t.add(
        c(
            "wrong method on /submit",
            "`GET /submit/glow/download/1/<uuid>`",
            send(ascii("GET " + uri(id) + " HTTP/1.1\r\nHost: x\r\n\r\n")),
            List.of(a(405, "method not allowed, use POST or PUT")),
            After.OPEN));
    id = id();
    t.add(
        c(
            "TRACE on /submit",
            "`TRACE /submit/glow/download/1/<uuid>`",
            send(ascii("TRACE " + uri(id) + " HTTP/1.1\r\nHost: x\r\n\r\n")),
            List.of(a(405, "method not allowed, use POST or PUT")),
            After.OPEN));
    t.add(
        c(
            "TRACE elsewhere",
            "`TRACE / HTTP/1.1`",
            send(ascii("TRACE / HTTP/1.1\r\nHost: x\r\n\r\n")),
            List.of(a(404, "not found")),
            After.OPEN));
    t.add(
        c(
            "metrics on the public port",
            "`GET /metrics` (the counters are on `ops.port`)",
            send(ascii("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")),
            List.of(a(404, "not found")),
            After.OPEN));
    t.add(
        c(
            "CONNECT",
            "`CONNECT evil.example:443 HTTP/1.1`",
            send(ascii("CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\n\r\n")),
            List.of(a(404, "not found")),
            After.OPEN));

    // ---- headers
    id = id();
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 10_000; i++) {
      many.append("X-H").append(i).append(": v\r\n");
    }
    t.add(
        c(
            "10,000 headers",
            "10000 lines `X-Hn: v`",
            send(post(uri(id), many.toString(), BODY)),
            List.of(a(431, "request headers too large")),
            After.CLOSED));
    id = id();
    t.add(
        c(
            "huge single header",
            "one 1 MiB `Cookie` header",
            send(post(uri(id), "Cookie: " + "c".repeat(LIMIT) + "\r\n", BODY)),
            List.of(a(431, "request headers too large")),
            After.CLOSED));
    id = id();
    t.add(
        c(
            "NUL in a header value",
            "`User-Agent: a\\0b`",
            send(post(uri(id), "User-Agent: a\0b\r\n", BODY)),
            List.of(a(400, "malformed request")),
            After.CLOSED));
    id = id();
    t.add(
        c(
            "header with obs-fold",
            "`User-Agent: glow` continued on a line starting with a space",
            send(post(uri(id), "User-Agent: glow\r\n  folded/1.0\r\n", BODY)),
            List.of(ok()),
            After.OPEN,
            stored(id, BODY, "user_agent", "glow folded/1.0")));
    id = id();
    t.add(
        c(
            "spoofed X-Forwarded-For",
            "`X-Forwarded-For: 203.0.113.9, 10.1.2.3` from 127.0.0.1 (not a trusted proxy)",
            send(post(uri(id), "X-Forwarded-For: 203.0.113.9, 10.1.2.3\r\n", BODY)),
            List.of(ok()),
            After.OPEN,
            stored(
                id, BODY, "remote_addr", "127.0.0.1", "x_forwarded_for", "203.0.113.9, 10.1.2.3")));
    id = id();
    t.add(
        c(
            "HTTP/1.0 without Host",
            "`POST ... HTTP/1.0`, no Host",
            send(ascii("POST " + uri(id) + " HTTP/1.0\r\nContent-Length: 2\r\n\r\n{}")),
            List.of(ok()),
            After.CLOSED,
            stored(id, BODY, "protocol", "HTTP/1.0", "host", null)));
    id = id();
    t.add(
        c(
            "HTTP/1.1 without Host",
            "`POST ... HTTP/1.1`, no Host",
            send(ascii("POST " + uri(id) + " HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}")),
            List.of(a(400, "exactly one Host header required")),
            After.CLOSED));
    id = id();
    t.add(
        c(
            "unsupported HTTP version",
            "`POST ... HTTP/9.9`",
            send(ascii("POST " + uri(id) + " HTTP/9.9\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")),
            List.of(a(505, "HTTP version not supported")),
            After.CLOSED));
    id = id();
    t.add(
        c(
            "not HTTP at all",
            "`POST ... FTP/1.1`",
            send(ascii("POST " + uri(id) + " FTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")),
            List.of(a(400, "malformed request")),
            After.CLOSED));
    id = id();
    t.add(
        c(
            "two Host headers",
            "`Host: a` and `Host: b`",
            send(post(uri(id), "Host: b\r\n", BODY)),
            List.of(a(400, "exactly one Host header required")),
            After.CLOSED));

    // ---- connection behaviour
    id = id();
    id2 = id();
    String id3 = id();
    byte[] b2 = ascii("{\"n\":2}");
    byte[] b3 = ascii("{\"n\":3}");
    t.add(
        c(
            "three pipelined requests",
            "three POSTs in one write",
            send(concat(post(uri(id), BODY), post(uri(id2), b2), post(uri(id3), b3))),
            List.of(ok(), ok(), ok()),
            After.OPEN,
            stored(id, BODY),
            stored(id2, b2),
            stored(id3, b3)));
    id = id();
    id2 = id();
    t.add(
        c(
            "pipelined with a rejected request in the middle",
            "POST, POST with a bad document id, POST in one write",
            send(
                concat(
                    post(uri(id), BODY),
                    post("/submit/glow/download/1/nope", BODY),
                    post(uri(id2), BODY))),
            List.of(ok(), a(400, "document_id must be a UUID")),
            After.CLOSED,
            stored(id, BODY)));
    id = id();
    t.add(
        c(
            "slowloris",
            "a valid request's head, one byte per second",
            slowloris(uri(id)),
            List.of(),
            After.CLOSED));
    id = id();
    t.add(
        c(
            "disconnect mid-body",
            "`Content-Length: 1000`, 500 bytes, then the client closes",
            hangUp(uri(id)),
            List.of(),
            After.CLIENT_GONE));
    return t;
  }

  static final String SHAPE =
      "submission URI must be /submit/<namespace>/<document_type>/<document_version>"
          + "/<document_id>";

  static Stream<Case> cases() throws IOException {
    return table().stream();
  }

  // ------------------------------------------------------------------------------- attacks

  /**
   * Writes {@code bytes} (from another thread, so that an early answer can be read while a large
   * request is still going out) and reads every answer until the edge closes or goes quiet.
   */
  static Attack send(byte[] bytes) {
    return port -> {
      try (RawConnection conn = new RawConnection(port)) {
        Thread writer =
            new Thread(
                () -> {
                  try {
                    conn.write(bytes);
                  } catch (IOException e) {
                    // the edge answered and closed before reading everything: expected
                  }
                });
        writer.start();
        Observed o = readAll(conn, new ArrayList<>());
        writer.join(10_000);
        return o;
      }
    };
  }

  static Observed readAll(RawConnection conn, List<Answer> answers) throws IOException {
    // The first answer may take the request timeout (408); later ones follow at once.
    Duration wait = REQUEST_TIMEOUT.plusSeconds(3);
    while (true) {
      RawConnection.Response r;
      try {
        r = conn.read(wait);
      } catch (SocketTimeoutException e) {
        return new Observed(answers, After.OPEN);
      }
      if (r == null) {
        return new Observed(answers, After.CLOSED);
      }
      answers.add(new Answer(r.status(), r.body().strip()));
      if (r.status() != 100) {
        wait = Duration.ofMillis(400);
      }
    }
  }

  static byte[] chunkedBodyOf(int chunks, int size) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int i = 0; i < chunks; i++) {
      b.writeBytes(random(size + i));
    }
    return b.toByteArray();
  }

  static byte[] chunked(String target, int chunks, int size) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(
        ascii(
            "POST "
                + target
                + " HTTP/1.1\r\nHost: "
                + HOST
                + "\r\nTransfer-Encoding: chunked\r\n\r\n"));
    for (int i = 0; i < chunks; i++) {
      byte[] c = random(size + i);
      b.writeBytes(ascii(Integer.toHexString(c.length) + "\r\n"));
      b.writeBytes(c);
      b.writeBytes(ascii("\r\n"));
    }
    b.writeBytes(ascii("0\r\n\r\n"));
    return b.toByteArray();
  }

  static Attack expectContinue(String target) {
    return port -> {
      try (RawConnection conn = new RawConnection(port)) {
        conn.write(
            "POST "
                + target
                + " HTTP/1.1\r\nHost: "
                + HOST
                + "\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n");
        RawConnection.Response first = conn.read(Duration.ofSeconds(5));
        List<Answer> answers = new ArrayList<>();
        if (first == null) {
          return new Observed(answers, After.CLOSED);
        }
        answers.add(new Answer(first.status(), first.body().strip()));
        conn.write(BODY);
        return readAll(conn, answers);
      }
    };
  }

  static Attack slowloris(String target) {
    byte[] head =
        ascii("POST " + target + " HTTP/1.1\r\nHost: " + HOST + "\r\nContent-Length: 2\r\n\r\n{}");
    return port -> {
      try (RawConnection conn = new RawConnection(port)) {
        long start = System.nanoTime();
        for (int i = 0; i < head.length; i++) {
          try {
            conn.write(new byte[] {head[i]});
          } catch (IOException e) {
            break; // closed by the edge
          }
          if (conn.closedWithin(Duration.ofSeconds(1))) {
            break;
          }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        // Closed by the request timeout, long before the head was complete.
        assertThat(took)
            .isBetween(REQUEST_TIMEOUT.minusMillis(200), REQUEST_TIMEOUT.plusSeconds(2));
        return new Observed(
            List.of(), conn.closedWithin(Duration.ofSeconds(1)) ? After.CLOSED : After.OPEN);
      }
    };
  }

  static Attack hangUp(String target) {
    return port -> {
      try (RawConnection conn = new RawConnection(port)) {
        conn.write(
            concat(
                ascii(
                    "POST "
                        + target
                        + " HTTP/1.1\r\nHost: "
                        + HOST
                        + "\r\nContent-Length: 1000\r\n\r\n"),
                random(500)));
        Thread.sleep(100);
      }
      return new Observed(List.of(), After.CLIENT_GONE);
    };
  }

  // ------------------------------------------------------------------------------- the runs

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shouldAnswerHostileInputAndStayHealthy(Case c) throws Exception {
    int before = raw.size();
    Observed o = c.attack().run(edge.port());
    assertThat(o.answers()).as("answers to %s", c.name()).isEqualTo(c.answers());
    assertThat(o.after()).as("connection after %s", c.name()).isEqualTo(c.after());

    String probe = probe(edge.port());
    Map<String, ConsumerRecord<byte[], byte[]>> added = raw.since(before);
    added.remove(probe);
    assertThat(added.keySet())
        .as("records of %s in ingest.raw", c.name())
        .containsExactlyInAnyOrderElementsOf(c.stored().stream().map(Stored::id).toList());
    for (Stored s : c.stored()) {
      ConsumerRecord<byte[], byte[]> r = added.get(s.id());
      assertThat(r.value()).as("body of %s", c.name()).isEqualTo(s.body());
      assertThat(KafkaClusterExtension.header(r, "remote_addr")).isEqualTo("127.0.0.1");
      s.headers()
          .forEach(
              (k, v) ->
                  assertThat(KafkaClusterExtension.header(r, k)).as("header %s", k).isEqualTo(v));
    }
    assertThat(edge.spool().records()).as("spooled").isZero();
  }

  /** A valid submission on a new connection: 200, and its record reaches ingest.raw. */
  static String probe(int port) throws Exception {
    String id = id();
    byte[] body = ascii("{\"probe\":\"" + id + "\"}");
    try (RawConnection conn = new RawConnection(port)) {
      conn.write(post(uri(id), body));
      RawConnection.Response r = conn.read(Duration.ofSeconds(15));
      assertThat(r).as("answer to the probe").isNotNull();
      assertThat(r.status()).as("status of the probe").isEqualTo(200);
    }
    ConsumerRecord<byte[], byte[]> r = raw.await(id, Duration.ofSeconds(15));
    assertThat(r.value()).isEqualTo(body);
    return id;
  }

  @Test
  void shouldServeValidTrafficWhileUnderAttack() throws Exception {
    int port = edge.port();
    AtomicBoolean attacking = new AtomicBoolean(true);
    AtomicLong streamed = new AtomicLong();
    List<String> attackFailures = new CopyOnWriteArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(12);
    List<Future<?>> attackers = new ArrayList<>();
    // Slowloris: ten connections dribbling a request head.
    for (int i = 0; i < 10; i++) {
      attackers.add(
          pool.submit(
              () -> {
                while (attacking.get()) {
                  try {
                    Observed o = slowloris(uri(id())).run(port);
                    if (o.after() != After.CLOSED || !o.answers().isEmpty()) {
                      attackFailures.add("slowloris " + o);
                    }
                  } catch (Exception | AssertionError e) {
                    attackFailures.add("slowloris " + e);
                  }
                }
                return null;
              }));
    }
    // A client streaming an endless chunked body as fast as it can (the ~1 GB upload that is cut
    // off at the limit), reconnecting each time.
    attackers.add(
        pool.submit(
            () -> {
              byte[] chunk = random(64 * 1024);
              byte[] head = ascii(Integer.toHexString(chunk.length) + "\r\n");
              while (attacking.get()) {
                try (RawConnection conn = new RawConnection(port)) {
                  conn.write(
                      "POST "
                          + uri(id())
                          + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
                  try {
                    for (long sent = 0;
                        sent < (1L << 30) && attacking.get();
                        sent += chunk.length) {
                      conn.write(concat(head, chunk, ascii("\r\n")));
                      streamed.addAndGet(chunk.length);
                    }
                  } catch (IOException e) {
                    // cut off by the edge
                  }
                  RawConnection.Response r = conn.read(Duration.ofSeconds(5));
                  if (r != null && r.status() != 413) {
                    attackFailures.add("streaming got " + r);
                  }
                } catch (IOException e) {
                  // reset before the 413 could be read: still cut off
                }
              }
              return null;
            }));

    // The valid traffic starts once the streaming client is past the limit.
    Waits.until(
        Duration.ofSeconds(10), () -> streamed.get() > LIMIT, () -> "streamed " + streamed.get());
    int before = raw.size();
    Map<String, byte[]> accepted = new ConcurrentHashMap<>();
    List<String> refused = Collections.synchronizedList(new ArrayList<>());
    List<Thread> valid = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread th =
          new Thread(
              () -> {
                try (RawConnection conn = new RawConnection(port)) {
                  for (int i = 0; i < 50; i++) {
                    String id = id();
                    byte[] body = ascii("{\"valid\":\"" + id + "\"}");
                    conn.write(post(uri(id), body));
                    RawConnection.Response r = conn.read(Duration.ofSeconds(15));
                    if (r != null && r.status() == 200) {
                      accepted.put(id, body);
                    } else {
                      refused.add(String.valueOf(r));
                    }
                  }
                } catch (IOException e) {
                  refused.add(e.toString());
                }
              });
      th.start();
      valid.add(th);
    }
    for (Thread th : valid) {
      th.join(30_000);
    }
    attacking.set(false);
    for (Future<?> f : attackers) {
      f.get(20, TimeUnit.SECONDS);
    }
    pool.shutdown();

    assertThat(refused).isEmpty();
    assertThat(accepted).hasSize(200);
    assertThat(attackFailures).isEmpty();
    assertThat(streamed.get()).isGreaterThan(LIMIT);
    for (Map.Entry<String, byte[]> e : accepted.entrySet()) {
      assertThat(raw.await(e.getKey(), Duration.ofSeconds(15)).value()).isEqualTo(e.getValue());
    }
    Map<String, ConsumerRecord<byte[], byte[]>> added = raw.since(before);
    assertThat(added.keySet()).containsExactlyInAnyOrderElementsOf(accepted.keySet());
    // Every cut-off, timed-out and abandoned request gave back what it held.
    Waits.until(
        Duration.ofSeconds(10),
        () -> gauge("edge_inflight_requests") == 0 && gauge("edge_inflight_bytes") == 0,
        () -> "in-flight requests/bytes not released");
    assertThat(edge.spool().records()).isZero();
  }

  /**
   * A gauge of the edge's metrics, as its operations endpoint (ops.port) serves them; the edge port
   * does not serve /metrics (a case of the table).
   */
  static double gauge(String name) {
    return registry
        .scrape()
        .lines()
        .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " in the edge's metrics"));
  }

  @Test
  void shouldRefuseWhatKafkaCannotStoreInsteadOfSpoolingIt() throws Exception {
    // A body limit above what the producer sends (an operator's kafka.producer.max.request.size
    // below the body limit): the record is refused before it is sent.
    Path spool = Files.createTempDirectory("hostile-spool-large");
    try (EdgeService big =
        startEdge(
            spool,
            Map.of(
                EdgeConfig.MAX_PAYLOAD_BYTES,
                "4MiB",
                "kafka.producer.max.request.size",
                Integer.toString(2 * 1024 * 1024)))) {
      int before = raw.size();
      String id = id();
      Observed o = send(post(uri(id), random(3 * LIMIT))).run(big.port());
      assertThat(o.answers()).containsExactly(a(413, "payload too large for a Kafka record"));
      assertThat(big.spool().records()).isZero();
      String probe = probe(big.port());
      Map<String, ConsumerRecord<byte[], byte[]>> added = raw.since(before);
      assertThat(added.keySet()).containsExactly(probe);
      assertThat(big.spool().records()).isZero();
    }
  }

  /** The README's security section holds the table exactly as asserted here. */
  @Test
  void shouldDocumentEveryCase() throws IOException {
    StringBuilder sb = new StringBuilder();
    sb.append(
        "| case | what is sent | status + message the client gets | what reaches ingest.raw |\n");
    sb.append("| --- | --- | --- | --- |\n");
    for (Case c : table()) {
      sb.append(c.row()).append('\n');
    }
    String table = sb.toString();
    Path generated = Path.of("target", "HOSTILE.table.md");
    Files.createDirectories(generated.getParent());
    Files.writeString(generated, table);
    String doc = Files.readString(Path.of("..", "README.md"));
    assertThat(doc).as("README.md must contain %s", generated.toAbsolutePath()).contains(table);
    assertThat(table.lines().count() - 2).isGreaterThanOrEqualTo(30);
  }

  // ------------------------------------------------------------------------------- ingest.raw

  /** Reads ingest.raw from the beginning in the background and keeps every record by key. */
  static final class Collector {
    private final List<ConsumerRecord<byte[], byte[]>> records = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    Collector() {
      Map<String, Object> p = new HashMap<>();
      p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
      p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      KafkaConsumer<byte[], byte[]> consumer =
          new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
      List<TopicPartition> parts =
          consumer.partitionsFor(Topics.RAW.name(), Duration.ofSeconds(30)).stream()
              .map(i -> new TopicPartition(i.topic(), i.partition()))
              .toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      thread =
          new Thread(
              () -> {
                try (consumer) {
                  while (running.get()) {
                    consumer.poll(Duration.ofMillis(50)).forEach(records::add);
                  }
                }
              },
              "ingest-raw-collector");
      thread.setDaemon(true);
      thread.start();
    }

    int size() {
      return records.size();
    }

    /** Records read after the first {@code n}, by key; fails on a duplicate key. */
    Map<String, ConsumerRecord<byte[], byte[]>> since(int n) {
      Map<String, ConsumerRecord<byte[], byte[]>> out = new LinkedHashMap<>();
      for (ConsumerRecord<byte[], byte[]> r : records.subList(n, records.size())) {
        String key = r.key() == null ? "(null)" : new String(r.key(), StandardCharsets.UTF_8);
        assertThat(out.put(key, r)).as("duplicate record %s", key).isNull();
      }
      return out;
    }

    ConsumerRecord<byte[], byte[]> await(String id, Duration timeout) {
      byte[] key = id.getBytes(StandardCharsets.UTF_8);
      AtomicReference<ConsumerRecord<byte[], byte[]>> found = new AtomicReference<>();
      Waits.until(
          timeout,
          () -> {
            for (ConsumerRecord<byte[], byte[]> r : records) {
              if (Arrays.equals(r.key(), key)) {
                found.set(r);
                return true;
              }
            }
            return false;
          },
          () -> "record " + id + " not in ingest.raw");
      return found.get();
    }

    void close() throws InterruptedException {
      running.set(false);
      thread.join(5_000);
    }
  }
}
