package org.kindling.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kindling.edge.EdgeHarness.awaitOutput;
import static org.kindling.edge.EdgeHarness.output;
import static org.kindling.edge.EdgeHarness.parse;
import static org.kindling.edge.EdgeHarness.single;
import static org.kindling.edge.EdgeHarness.write;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kindling.core.AttributeHeaders;
import org.kindling.core.Json;
import org.kindling.core.config.CoreConfig;
import org.kindling.edge.EdgeHarness.Response;

class SubmitHandlerTest {
  static final String ID = "6c49ec73-4350-45a0-9c8a-6c8f5aff0f4a";
  static final String GENERIC = "/submit/glow/download/1/" + ID;
  static final String TELEMETRY =
      "/submit/telemetry/" + ID + "/main/Firefox/121.0a1/nightly/20231120093722";

  @TempDir Path dir;
  EdgeHarness edge;

  EdgeHarness edge(boolean autoComplete, Map<String, String> overrides) throws Exception {
    edge = new EdgeHarness(dir, autoComplete, overrides);
    return edge;
  }

  @AfterEach
  void close() {
    if (edge != null) {
      edge.close();
    }
  }

  static String post(String uri, String body, String... headers) {
    StringBuilder sb = new StringBuilder("POST " + uri + " HTTP/1.1\r\nHost: edge.example\r\n");
    sb.append("Content-Length: ")
        .append(body.getBytes(StandardCharsets.ISO_8859_1).length)
        .append("\r\n");
    for (String h : headers) {
      sb.append(h).append("\r\n");
    }
    return sb.append("\r\n").append(body).toString();
  }

  static String request(String method, String uri, String... headers) {
    StringBuilder sb = new StringBuilder(method + " " + uri + " HTTP/1.1\r\nHost: edge\r\n");
    for (String h : headers) {
      sb.append(h).append("\r\n");
    }
    return sb.append("\r\n").toString();
  }

  @Test
  void shouldProduceBodyAndAttributesAndAnswer200() throws Exception {
    edge(true, Map.of());
    EmbeddedChannel ch = edge.channel();
    String body = "{\"x\":1}";
    write(
        ch,
        post(
            GENERIC + "?v=2&debug",
            body,
            "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
            "Content-Encoding: gzip",
            "Date: Tue, 24 Nov 2026 18:05:00 GMT",
            "DNT: 1",
            "X-PingSender-Version: 1.0",
            "X-Debug-ID: my-debug",
            "X-Source-Tags: automation",
            "X-Telemetry-Agent: glean",
            "X-Forwarded-For: 198.51.100.1",
            "Cookie: secret=1"));
    Response r = single(output(ch));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEmpty();
    List<ProducerRecord<String, byte[]>> sent = edge.producer.history();
    assertThat(sent).hasSize(1);
    ProducerRecord<String, byte[]> rec = sent.get(0);
    assertThat(rec.topic()).isEqualTo("ingest.raw");
    assertThat(rec.key()).isEqualTo(ID);
    assertThat(new String(rec.value(), StandardCharsets.UTF_8)).isEqualTo(body);
    Map<String, String> a = AttributeHeaders.toMap(rec.headers());
    assertThat(a)
        .containsEntry("submission_timestamp", "2026-11-24T18:05:00.123456Z")
        .containsEntry("uri", GENERIC)
        .containsEntry("args", "v=2&debug")
        .containsEntry("method", "POST")
        .containsEntry("protocol", "HTTP/1.1")
        .containsEntry("remote_addr", "203.0.113.7")
        .containsEntry("x_forwarded_for", "198.51.100.1")
        .containsEntry(
            "user_agent", "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0")
        .containsEntry("content_length", "7")
        .containsEntry("content_encoding", "gzip")
        .containsEntry("date", "Tue, 24 Nov 2026 18:05:00 GMT")
        .containsEntry("dnt", "1")
        .containsEntry("x_pingsender_version", "1.0")
        .containsEntry("x_debug_id", "my-debug")
        .containsEntry("x_source_tags", "automation")
        .containsEntry("x_telemetry_agent", "glean")
        .containsEntry("host", "edge.example")
        .containsEntry("edge_host", "edge-1")
        .doesNotContainKey("cookie");
    assertThat(ch.isOpen()).isTrue(); // keep-alive
  }

  @Test
  void shouldOmitAbsentAttributes() throws Exception {
    edge(true, Map.of());
    EmbeddedChannel ch = edge.channel();
    write(ch, post(GENERIC, "{}"));
    assertThat(single(output(ch)).status()).isEqualTo(200);
    Map<String, String> a = AttributeHeaders.toMap(edge.producer.history().get(0).headers());
    assertThat(a)
        .doesNotContainKeys(
            "args", "x_forwarded_for", "user_agent", "content_encoding", "dnt", "x_debug_id");
  }

  @Test
  void shouldAcceptTelemetryFormAndPut() throws Exception {
    edge(true, Map.of());
    EmbeddedChannel ch = edge.channel();
    write(ch, post(TELEMETRY, "abc").replaceFirst("POST", "PUT"));
    assertThat(single(output(ch)).status()).isEqualTo(200);
    ProducerRecord<String, byte[]> rec = edge.producer.history().get(0);
    assertThat(rec.key()).isEqualTo(ID);
    assertThat(AttributeHeaders.get(rec.headers(), "method")).isEqualTo("PUT");
    assertThat(AttributeHeaders.get(rec.headers(), "uri")).isEqualTo(TELEMETRY);
  }

  @Test
  void shouldKeepBinaryBodyByteForByte() throws Exception {
    edge(true, Map.of());
    EmbeddedChannel ch = edge.channel();
    byte[] body = new byte[70_000]; // more than one codec chunk
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) (i * 31 + 7);
    }
    write(
        ch,
        post(GENERIC, "", "Content-Type: application/octet-stream")
            .replace("Content-Length: 0", "Content-Length: " + body.length));
    write(ch, body);
    assertThat(single(output(ch)).status()).isEqualTo(200);
    assertThat(edge.producer.history().get(0).value()).isEqualTo(body);
  }

  @Test
  void shouldAcceptChunkedBodyUnderTheLimit() throws Exception {
    edge(true, Map.of());
    EmbeddedChannel ch = edge.channel();
    write(
        ch,
        "POST "
            + GENERIC
            + " HTTP/1.1\r\nHost: e\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
    assertThat(single(output(ch)).status()).isEqualTo(200);
    assertThat(new String(edge.producer.history().get(0).value(), StandardCharsets.UTF_8))
        .isEqualTo("hello world");
  }

  @Test
  void shouldServeTwoRequestsOnOneConnection() throws Exception {
    edge(true, Map.of());
    EmbeddedChannel ch = edge.channel();
    write(ch, post(GENERIC, "a"));
    write(ch, post(GENERIC, "bb"));
    List<Response> rs = parse(output(ch));
    assertThat(rs).extracting(Response::status).containsExactly(200, 200);
    assertThat(edge.producer.history()).hasSize(2);
  }

  @Test
  void shouldAnswerPipelinedRequestsInOrder() throws Exception {
    edge(false, Map.of(EdgeConfig.PRODUCE_TIMEOUT, "1m"));
    EmbeddedChannel ch = edge.channel();
    write(ch, post(GENERIC, "a") + post(GENERIC, "bb"));
    assertThat(output(ch)).isEmpty();
    edge.producer.completeNext();
    ch.runPendingTasks();
    assertThat(single(output(ch)).status()).isEqualTo(200);
    edge.producer.completeNext();
    ch.runPendingTasks();
    assertThat(single(output(ch)).status()).isEqualTo(200);
    assertThat(edge.producer.history()).extracting(r -> r.value().length).containsExactly(1, 2);
  }

  @ParameterizedTest
  @CsvSource({
    "/,404",
    "/index.html,404",
    "/submit,404",
    "/submit/,404",
    "/submit/glow/download/1,404",
    "/submit/glow/download/1/" + ID + "/x,404",
    "/submit/telemetry/" + ID + "/main/Firefox/121.0,404",
    "/submit/glow/download/1/not-a-uuid,400",
    "/submit/gl$ow/download/1/" + ID + ",400",
    "/submit/glow/download/one/" + ID + ",400",
    "/submit/telemetry/xyz/main/Firefox/121.0/release/2023,400"
  })
  void shouldRefuseBadUris(String uri, int status) throws Exception {
    edge(true, Map.of());
    EmbeddedChannel ch = edge.channel();
    write(ch, post(uri, "{}"));
    Response r = single(output(ch));
    assertThat(r.status()).isEqualTo(status);
    assertThat(r.body()).isNotBlank();
    assertThat(r.header("Content-Type")).startsWith("text/plain");
    assertThat(edge.producer.history()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"GET", "DELETE", "PATCH", "HEAD"})
  void shouldAnswer405ForOtherMethodsOnSubmit(String method) throws Exception {
    edge(true, Map.of());
    EmbeddedChannel ch = edge.channel();
    write(ch, request(method, GENERIC));
    Response r = parse(output(ch)).get(0);
    assertThat(r.status()).isEqualTo(405);
    assertThat(r.header("Allow")).isEqualTo("POST, PUT, OPTIONS");
  }

  @Test
  void shouldAnswer405ForPostOnOpsEndpoints() throws Exception {
    edge(true, Map.of());
    EmbeddedChannel ch = edge.channel();
    write(ch, post("/__heartbeat__", ""));
    Response r = single(output(ch));
    assertThat(r.status()).isEqualTo(405);
    assertThat(r.header("Allow")).isEqualTo("GET, HEAD");
  }

  @Test
  void shouldAnswer411WithoutLength() throws Exception {
    edge(true, Map.of());
    EmbeddedChannel ch = edge.channel();
    write(ch, request("POST", GENERIC));
    Response r = single(output(ch));
    assertThat(r.status()).isEqualTo(411);
    assertThat(ch.isOpen()).isFalse();
  }

  @Test
  void shouldAnswer413ForDeclaredLengthOverLimitWithoutReadingIt() throws Exception {
    edge(true, Map.of(EdgeConfig.MAX_PAYLOAD_BYTES, "1KiB"));
    EmbeddedChannel ch = edge.channel();
    write(ch, request("POST", GENERIC, "Content-Length: 1073741824"));
    Response r = single(output(ch));
    assertThat(r.status()).isEqualTo(413);
    assertThat(r.header("Connection")).isEqualTo("close");
    assertThat(ch.isOpen()).isFalse();
    assertThat(edge.context.metrics.inflightBytes.get()).isZero();
  }

  @Test
  void shouldAnswer413ForChunkedBodyOverLimit() throws Exception {
    edge(true, Map.of(EdgeConfig.MAX_PAYLOAD_BYTES, "10"));
    EmbeddedChannel ch = edge.channel();
    write(
        ch,
        "POST "
            + GENERIC
            + " HTTP/1.1\r\nHost: e\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "6\r\nhello \r\n");
    assertThat(output(ch)).isEmpty();
    write(ch, "6\r\nworld!\r\n");
    Response r = single(output(ch));
    assertThat(r.status()).isEqualTo(413);
    assertThat(ch.isOpen()).isFalse();
    assertThat(edge.producer.history()).isEmpty();
    assertThat(edge.context.metrics.inflightBytes.get()).isZero();
    assertThat(edge.context.metrics.inflightRequests.get()).isZero();
  }

  @Test
  void shouldAcceptBodyOfExactlyTheLimit() throws Exception {
    edge(true, Map.of(EdgeConfig.MAX_PAYLOAD_BYTES, "10"));
    EmbeddedChannel ch = edge.channel();
    write(ch, post(GENERIC, "0123456789"));
    assertThat(single(output(ch)).status()).isEqualTo(200);
  }

  @Test
  void shouldAnswer414ForLongUri() throws Exception {
    edge(true, Map.of(EdgeConfig.MAX_URI_LENGTH, "256"));
    EmbeddedChannel ch = edge.channel();
    write(ch, post(GENERIC + "?" + "a".repeat(300), "{}"));
    Response r = single(output(ch));
    assertThat(r.status()).isEqualTo(414);
    assertThat(ch.isOpen()).isFalse();
  }

  @Test
  void shouldAnswer414ForUriFarOverTheLimit() throws Exception {
    edge(true, Map.of(EdgeConfig.MAX_URI_LENGTH, "256"));
    EmbeddedChannel ch = edge.channel();
    write(ch, post(GENERIC + "?" + "a".repeat(10_000), "{}"));
    assertThat(parse(output(ch)).get(0).status()).isEqualTo(414);
  }

  @Test
  void shouldAnswer431ForTooManyHeaders() throws Exception {
    edge(true, Map.of());
    EmbeddedChannel ch = edge.channel();
    String[] headers = new String[10_000];
    for (int i = 0; i < headers.length; i++) {
      headers[i] = "X-H" + i + ": v";
    }
    write(ch, post(GENERIC, "{}", headers));
    Response r = parse(output(ch)).get(0);
    assertThat(r.status()).isEqualTo(431);
    assertThat(ch.isOpen()).isFalse();
    assertThat(edge.producer.history()).isEmpty();
  }

  @Test
  void shouldAnswer400ForMalformedRequest() throws Exception {
    edge(true, Map.of());
    EmbeddedChannel ch = edge.channel();
    write(ch, "POST " + GENERIC + " HTTP/1.1\r\nContent-Length: abc\r\n\r\n{}");
    assertThat(parse(output(ch)).get(0).status()).isEqualTo(400);
    assertThat(ch.isOpen()).isFalse();
  }

  @Test
  void shouldAnswer400ForGarbage() throws Exception {
    edge(true, Map.of());
    EmbeddedChannel ch = edge.channel();
    write(ch, "\u0001\u0002 NOT HTTP\r\n\r\n");
    assertThat(parse(output(ch)).get(0).status()).isEqualTo(400);
  }

  @Test
  void shouldAnswer503WhenTooManyRequestsInFlight() throws Exception {
    edge(false, Map.of(EdgeConfig.MAX_INFLIGHT_REQUESTS, "1", EdgeConfig.PRODUCE_TIMEOUT, "1m"));
    EmbeddedChannel first = edge.channel();
    write(first, post(GENERIC, "{}")); // waits for an ack that does not come
    assertThat(output(first)).isEmpty();
    EmbeddedChannel second = edge.channel();
    write(second, post(GENERIC, "{}"));
    Response r = single(output(second));
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.header("Retry-After")).isEqualTo("5");
    assertThat(second.isOpen()).isFalse();
    edge.producer.completeNext();
    first.runPendingTasks();
    assertThat(single(output(first)).status()).isEqualTo(200);
    assertThat(edge.context.metrics.inflightRequests.get()).isZero();
  }

  @Test
  void shouldGiveOneClientAShareOfTheBytesInFlightOnly() throws Exception {
    edge(
        false,
        Map.of(
            EdgeConfig.MAX_INFLIGHT_BYTES, "1000",
            EdgeConfig.CLIENT_MAX_SHARE, "0.1",
            EdgeConfig.PRODUCE_TIMEOUT, "1m"));
    EmbeddedChannel first = edge.channel("203.0.113.1");
    write(first, post(GENERIC, "x".repeat(80)));
    EmbeddedChannel second = edge.channel("203.0.113.1");
    write(second, post(GENERIC, "x".repeat(30)));
    // the same client is over its 100 bytes; another one is served
    assertThat(single(output(second)).status()).isEqualTo(503);
    EmbeddedChannel other = edge.channel("198.51.100.2");
    write(other, post(GENERIC, "x".repeat(80)));
    edge.producer.completeNext();
    edge.producer.completeNext();
    assertThat(single(output(first)).status()).isEqualTo(200);
    assertThat(single(output(other)).status()).isEqualTo(200);
    assertThat(edge.context.metrics.clientShareRefusals.count()).isEqualTo(1);
    assertThat(edge.context.inflightShares.clients()).isZero();
  }

  @Test
  void shouldAnswer503WhenTooManyBytesInFlight() throws Exception {
    edge(false, Map.of(EdgeConfig.MAX_INFLIGHT_BYTES, "100", EdgeConfig.PRODUCE_TIMEOUT, "1m"));
    EmbeddedChannel first = edge.channel();
    write(first, post(GENERIC, "x".repeat(80)));
    EmbeddedChannel second = edge.channel();
    write(second, post(GENERIC, "x".repeat(30)));
    assertThat(single(output(second)).status()).isEqualTo(503);
    edge.producer.completeNext();
    assertThat(single(output(first)).status()).isEqualTo(200);
    assertThat(edge.context.metrics.inflightBytes.get()).isZero();
  }

  @Test
  void shouldSpoolAndAnswer200WhenKafkaFails() throws Exception {
    edge(false, Map.of());
    EmbeddedChannel ch = edge.channel();
    write(ch, post(GENERIC, "{\"spooled\":true}"));
    edge.producer.errorNext(new NotEnoughReplicasException("down"));
    Response r = single(awaitOutput(ch, edge.spool, 1));
    assertThat(r.status()).isEqualTo(200);
    assertThat(edge.spool.records()).isEqualTo(1);
    assertThat(edge.dispatcher.kafkaAvailable()).isFalse();
    Spool.Batch b = edge.spool.read(10, 1 << 20);
    assertThat(b.submissions().get(0).key()).isEqualTo(ID);
    assertThat(new String(b.submissions().get(0).body(), StandardCharsets.UTF_8))
        .isEqualTo("{\"spooled\":true}");
  }

  @Test
  void shouldSpoolWhenKafkaDoesNotAckInTime() throws Exception {
    edge(false, Map.of(EdgeConfig.PRODUCE_TIMEOUT, "100ms"));
    EmbeddedChannel ch = edge.channel();
    write(ch, post(GENERIC, "{}"));
    assertThat(output(ch)).isEmpty();
    Response r = single(awaitOutput(ch, edge.spool, 1));
    assertThat(r.status()).isEqualTo(200);
    assertThat(edge.spool.records()).isEqualTo(1);
    // while Kafka counts as down, the next submission goes straight to the spool
    write(ch, post(GENERIC, "{}"));
    assertThat(single(awaitOutput(ch, edge.spool, 2)).status()).isEqualTo(200);
    assertThat(edge.producer.history()).hasSize(1);
  }

  @Test
  void shouldDrainSpoolInOrderWhenKafkaIsBack() throws Exception {
    edge(false, Map.of(EdgeConfig.PRODUCE_TIMEOUT, "100ms"));
    EmbeddedChannel ch = edge.channel();
    for (int i = 0; i < 5; i++) {
      write(ch, post(GENERIC, "{\"n\":" + i + "}"));
      assertThat(single(awaitOutput(ch, edge.spool, i + 1)).status()).isEqualTo(200);
    }
    assertThat(edge.spool.records()).isEqualTo(5);
    expireTimedOutSend();
    Thread drain = new Thread(edge.dispatcher::drain);
    drain.start();
    // the probe (first record) and then the rest
    while (drain.isAlive()) {
      edge.producer.completeNext();
      Thread.sleep(5);
    }
    List<ProducerRecord<String, byte[]>> sent = edge.producer.history();
    assertThat(sent)
        .extracting(rec -> new String(rec.value(), StandardCharsets.UTF_8))
        .containsExactly("{\"n\":0}", "{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":4}");
    assertThat(edge.spool.records()).isZero();
    assertThat(edge.dispatcher.kafkaAvailable()).isTrue();
  }

  /**
   * Sends {@code n} documents {"n":i} with distinct ids (the harness clock gives every submission
   * the same timestamp); with a short produce timeout and nothing acked, all of them are spooled.
   */
  private void spoolDistinct(EmbeddedChannel ch, int n) throws Exception {
    for (int i = 0; i < n; i++) {
      write(ch, post("/submit/glow/download/1/" + UUID.randomUUID(), "{\"n\":" + i + "}"));
      assertThat(single(awaitOutput(ch, edge.spool, i + 1)).status()).isEqualTo(200);
    }
  }

  /** The producer gives the timed-out send its final answer (not delivered) and forgets it. */
  private void expireTimedOutSend() {
    edge.producer.errorNext(new org.apache.kafka.common.errors.TimeoutException("expired"));
    edge.producer.clear();
  }

  /**
   * A send that times out while the spool is full: the client is not told 507 while Kafka may still
   * take the record; it gets what Kafka finally says (200 here, as the record is in Kafka).
   */
  @Test
  void shouldAnswerWhatKafkaFinallySaysWhenTheSpoolIsFullAfterATimeout() throws Exception {
    edge(false, Map.of(EdgeConfig.SPOOL_MAX_BYTES, "1KiB", EdgeConfig.PRODUCE_TIMEOUT, "50ms"));
    EmbeddedChannel late = edge.channel();
    write(late, post(GENERIC, "x".repeat(900)));
    Thread.sleep(300); // timed out; no room in the spool for it
    assertThat(output(late)).as("no answer before Kafka's final one").isEmpty();
    edge.producer.completeNext(); // delivered after all
    late.runPendingTasks();
    Thread.sleep(50);
    late.runPendingTasks();
    assertThat(single(output(late)).status()).isEqualTo(200);

    EmbeddedChannel failed = edge.channel();
    write(failed, post("/submit/glow/download/1/" + UUID.randomUUID(), "x".repeat(900)));
    Thread.sleep(300);
    edge.producer.errorNext(new org.apache.kafka.common.errors.TimeoutException("expired"));
    failed.runPendingTasks();
    Thread.sleep(50);
    failed.runPendingTasks();
    assertThat(single(output(failed)).status()).isEqualTo(507);
  }

  @Test
  void shouldGiveOneClientAShareOfTheSpoolOnly() throws Exception {
    edge(
        false,
        Map.of(
            EdgeConfig.SPOOL_MAX_BYTES, "10KiB",
            EdgeConfig.CLIENT_MAX_SHARE, "0.3",
            EdgeConfig.PRODUCE_TIMEOUT, "50ms"));
    EmbeddedChannel busy = edge.channel("203.0.113.1");
    int accepted = 0;
    for (int i = 0; i < 10; i++) {
      write(busy, post("/submit/glow/download/1/" + UUID.randomUUID(), "x".repeat(600)));
      Thread.sleep(100);
      busy.runPendingTasks();
      Response r = single(output(busy));
      if (r.status() == 200) {
        accepted++;
      } else {
        assertThat(r.status()).isEqualTo(507);
        break;
      }
    }
    // 30 % of 10 KiB: three or four of its 600-byte bodies, not the whole spool
    assertThat(accepted).isBetween(2, 4);
    EmbeddedChannel other = edge.channel("198.51.100.2");
    write(other, post("/submit/glow/download/1/" + UUID.randomUUID(), "x".repeat(600)));
    assertThat(single(awaitOutput(other, edge.spool, accepted + 1)).status()).isEqualTo(200);
    assertThat(edge.context.metrics.clientShareRefusals.count()).isEqualTo(1);
  }

  @Test
  void shouldNotSendTheSpooledCopyOfASubmissionThatWasAckedLate() throws Exception {
    edge(false, Map.of(EdgeConfig.PRODUCE_TIMEOUT, "100ms"));
    EmbeddedChannel ch = edge.channel();
    spoolDistinct(ch, 2);
    assertThat(edge.spool.records()).isEqualTo(2);
    // the first send is still unresolved: the drain waits for its final answer
    edge.dispatcher.drain();
    assertThat(edge.spool.records()).isEqualTo(2);
    assertThat(edge.producer.history()).hasSize(1);
    // the broker acks it after all; its spooled copy must not be sent again
    edge.producer.completeNext();
    edge.producer.clear();
    Thread drain = new Thread(edge.dispatcher::drain);
    drain.start();
    while (drain.isAlive()) {
      edge.producer.completeNext();
      Thread.sleep(5);
    }
    assertThat(edge.producer.history())
        .extracting(rec -> new String(rec.value(), StandardCharsets.UTF_8))
        .containsExactly("{\"n\":1}");
    assertThat(edge.spool.records()).isZero();
    assertThat(edge.registry.counter("edge_produce_late_acks").count()).isEqualTo(1.0);
  }

  @Test
  void shouldAnswer413AndNotSpoolWhenKafkaRefusesTheRecordSize() throws Exception {
    edge(false, Map.of());
    EmbeddedChannel ch = edge.channel();
    write(ch, post(GENERIC, "{}"));
    edge.producer.errorNext(new RecordTooLargeException("larger than max.message.bytes"));
    Response r = single(output(ch));
    assertThat(r.status()).isEqualTo(413);
    assertThat(r.body()).isEqualTo("payload too large for a Kafka record\n");
    assertThat(ch.isOpen()).isTrue();
    assertThat(edge.spool.records()).isZero();
    assertThat(edge.dispatcher.kafkaAvailable()).isTrue();
    assertThat(edge.context.metrics.tooLarge.count()).isEqualTo(1);
    assertThat(edge.context.metrics.inflightRequests.get()).isZero();
  }

  @Test
  void shouldAnswer413BeforeSendingOrSpoolingARecordOverMaxRequestSize() throws Exception {
    // The body limit is above what a record can hold (max.request.size, 2 MiB here).
    edge(
        true,
        Map.of(EdgeConfig.MAX_PAYLOAD_BYTES, "4MiB", CoreConfig.TOPICS_MAX_MESSAGE_BYTES, "2MiB"));
    EmbeddedChannel ch = edge.channel();
    write(ch, post(GENERIC, "x".repeat(2 * 1024 * 1024)));
    Response r = single(output(ch));
    assertThat(r.status()).isEqualTo(413);
    assertThat(r.body()).isEqualTo("payload too large for a Kafka record\n");
    assertThat(edge.producer.history()).isEmpty();
    assertThat(edge.spool.records()).isZero();
    write(ch, post(GENERIC, "x".repeat(2 * 1024 * 1024 - 1024)));
    assertThat(single(output(ch)).status()).isEqualTo(200);
  }

  @Test
  void shouldKeepASpooledRecordThatKafkaRefusesAsTooLargeAndDrainTheRest() throws Exception {
    edge(false, Map.of(EdgeConfig.PRODUCE_TIMEOUT, "100ms"));
    EmbeddedChannel ch = edge.channel();
    spoolDistinct(ch, 3);
    expireTimedOutSend();
    Thread drain = new Thread(edge.dispatcher::drain);
    drain.start();
    // The first record (the probe while Kafka counts as down) is refused for its size.
    boolean refused = false;
    while (drain.isAlive()) {
      if (refused) {
        edge.producer.completeNext();
      } else {
        refused = edge.producer.errorNext(new RecordTooLargeException("too large"));
      }
      Thread.sleep(5);
    }
    assertThat(edge.producer.history())
        .extracting(rec -> new String(rec.value(), StandardCharsets.UTF_8))
        .containsExactly("{\"n\":0}", "{\"n\":1}", "{\"n\":2}");
    assertThat(edge.spool.records()).isZero();
    assertThat(edge.dispatcher.kafkaAvailable()).isTrue();
    assertThat(edge.context.metrics.tooLarge.count()).isEqualTo(1);
    assertThat(edge.context.metrics.drained.count()).isEqualTo(2);
    // answered 200, so not dropped: kept on disk, also across a restart of the edge
    assertThat(edge.dispatcher.refused()).isEqualTo(1);
    List<Submission> kept = new RefusedRecords(edge.spool.dir()).read();
    assertThat(kept).hasSize(1);
    assertThat(new String(kept.get(0).body(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":0}");
  }

  @Test
  void shouldNotStallTheDrainOnARecordErrorThatNoRetryCures() throws Exception {
    edge(false, Map.of(EdgeConfig.PRODUCE_TIMEOUT, "100ms"));
    EmbeddedChannel ch = edge.channel();
    spoolDistinct(ch, 3);
    expireTimedOutSend();
    Thread drain = new Thread(edge.dispatcher::drain);
    drain.start();
    boolean failed = false;
    while (drain.isAlive()) {
      if (failed) {
        edge.producer.completeNext();
      } else {
        failed =
            edge.producer.errorNext(
                new org.apache.kafka.common.InvalidRecordException("broker finds it invalid"));
      }
      Thread.sleep(5);
    }
    assertThat(edge.spool.records()).isZero();
    assertThat(edge.dispatcher.refused()).isEqualTo(1);
    assertThat(edge.context.metrics.drained.count()).isEqualTo(2);
  }

  @ParameterizedTest
  @CsvSource({
    "'HTTP/1.1\r\nHost: edge', 200",
    "'HTTP/1.0', 200",
    "'HTTP/1.1', 400",
    "'HTTP/1.1\r\nHost: a\r\nHost: b', 400",
    "'HTTP/1.0\r\nHost: a\r\nHost: b', 400",
    "'HTTP/1.2\r\nHost: edge', 505",
    "'HTTP/2.0\r\nHost: edge', 505",
    "'HTTP/0.9\r\nHost: edge', 505"
  })
  void shouldRequireHttp1AndExactlyOneHostHeader(String versionAndHost, int status)
      throws Exception {
    edge(true, Map.of());
    EmbeddedChannel ch = edge.channel();
    String head = "POST " + GENERIC + " " + versionAndHost.replace("\\r\\n", "\r\n");
    write(ch, head + "\r\nContent-Length: 2\r\n\r\n{}");
    Response r = single(output(ch));
    assertThat(r.status()).isEqualTo(status);
    assertThat(edge.producer.history()).hasSize(status == 200 ? 1 : 0);
    if (status != 200) {
      assertThat(ch.isOpen()).isFalse();
    }
  }

  @Test
  void shouldNotResendWhatAHalfFailedDrainPassDelivered() throws Exception {
    edge(false, Map.of(EdgeConfig.PRODUCE_TIMEOUT, "100ms"));
    EmbeddedChannel ch = edge.channel();
    spoolDistinct(ch, 3);
    expireTimedOutSend();
    // pass 1: the probe n:0 is acked, then the batch n:1 (acked), n:2 (fails)
    Thread drain = new Thread(edge.dispatcher::drain);
    drain.start();
    int answered = 0;
    while (drain.isAlive()) {
      boolean done =
          answered == 2
              ? edge.producer.errorNext(new org.apache.kafka.common.errors.NetworkException("down"))
              : edge.producer.completeNext();
      if (done) {
        answered++;
      }
      Thread.sleep(5);
    }
    assertThat(answered).isEqualTo(3);
    assertThat(edge.spool.records()).isEqualTo(2);
    edge.producer.clear();
    // pass 2: n:1 is in Kafka already; only n:2 is sent again
    drain = new Thread(edge.dispatcher::drain);
    drain.start();
    while (drain.isAlive()) {
      edge.producer.completeNext();
      Thread.sleep(5);
    }
    assertThat(edge.producer.history())
        .extracting(rec -> new String(rec.value(), StandardCharsets.UTF_8))
        .containsExactly("{\"n\":2}");
    assertThat(edge.spool.records()).isZero();
  }

  @Test
  void shouldAnswer507WhenKafkaFailsAndSpoolIsFull() throws Exception {
    edge(false, Map.of(EdgeConfig.SPOOL_MAX_BYTES, "1KiB", EdgeConfig.PRODUCE_TIMEOUT, "50ms"));
    EmbeddedChannel ch = edge.channel();
    write(ch, post(GENERIC, "x".repeat(600)));
    assertThat(single(awaitOutput(ch, edge.spool, 1)).status()).isEqualTo(200);
    write(ch, post(GENERIC, "x".repeat(600)));
    Thread.sleep(50);
    Response r = single(output(ch));
    assertThat(r.status()).isEqualTo(507);
    assertThat(r.header("Retry-After")).isEqualTo("5");
    write(ch, request("GET", "/__heartbeat__"));
    Response hb = single(output(ch));
    assertThat(hb.status()).isEqualTo(507);
  }

  @Test
  void shouldAnswer408ToSlowClientsAndCloseIdleConnections() throws Exception {
    edge(true, Map.of(EdgeConfig.REQUEST_TIMEOUT, "2s"));
    EmbeddedChannel ch = edge.channel();
    write(ch, request("POST", GENERIC, "Content-Length: 100") + "only part of it");
    ch.advanceTimeBy(3, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    Response r = single(output(ch));
    assertThat(r.status()).isEqualTo(408);
    assertThat(ch.isOpen()).isFalse();
    assertThat(edge.context.metrics.inflightBytes.get()).isZero();

    EmbeddedChannel idle = edge.channel();
    write(idle, "POST /submit/glow/downl"); // a header trickling in
    idle.advanceTimeBy(3, TimeUnit.SECONDS);
    idle.runScheduledPendingTasks();
    assertThat(idle.isOpen()).isFalse();
  }

  @Test
  void shouldAnswerExpectContinue() throws Exception {
    edge(true, Map.of());
    EmbeddedChannel ch = edge.channel();
    write(ch, request("POST", GENERIC, "Content-Length: 2", "Expect: 100-continue"));
    assertThat(single(output(ch)).status()).isEqualTo(100);
    write(ch, "{}");
    assertThat(single(output(ch)).status()).isEqualTo(200);
  }

  @Test
  void shouldAnswerCorsPreflightAndAddAllowOrigin() throws Exception {
    edge(true, Map.of());
    EmbeddedChannel ch = edge.channel();
    write(
        ch,
        request(
            "OPTIONS",
            GENERIC,
            "Origin: https://www.mozilla.org",
            "Access-Control-Request-Method: POST",
            "Access-Control-Request-Headers: content-type"));
    Response pre = single(output(ch));
    assertThat(pre.status()).isEqualTo(204);
    assertThat(pre.header("Access-Control-Allow-Origin")).isEqualTo("https://www.mozilla.org");
    assertThat(pre.header("Access-Control-Allow-Methods")).contains("POST");
    assertThat(pre.header("Access-Control-Allow-Headers")).isEqualTo("content-type");
    write(ch, post(GENERIC, "{}", "Origin: https://www.mozilla.org"));
    Response r = single(output(ch));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("https://www.mozilla.org");
    assertThat(r.header("Vary")).isEqualTo("origin");
  }

  @Test
  void shouldNotAllowOtherOriginsWhenRestricted() throws Exception {
    edge(true, Map.of(EdgeConfig.CORS_ALLOWED_ORIGINS, "https://glow.mozilla.org"));
    EmbeddedChannel ch = edge.channel();
    write(ch, request("OPTIONS", GENERIC, "Origin: https://evil.example"));
    Response pre = single(output(ch));
    assertThat(pre.header("Access-Control-Allow-Origin")).isNull();
    write(ch, request("OPTIONS", GENERIC, "Origin: https://glow.mozilla.org"));
    assertThat(single(output(ch)).header("Access-Control-Allow-Origin"))
        .isEqualTo("https://glow.mozilla.org");
  }

  @Test
  void shouldTakeClientAddressFromTrustedProxyOnly() throws Exception {
    edge(true, Map.of(EdgeConfig.TRUSTED_PROXIES, "10.0.0.0/8"));
    EmbeddedChannel viaLb = edge.channel("10.1.1.1");
    write(viaLb, post(GENERIC, "{}", "X-Forwarded-For: 6.6.6.6, 198.51.100.1"));
    EmbeddedChannel direct = edge.channel("203.0.113.9");
    write(direct, post(GENERIC, "{}", "X-Forwarded-For: 6.6.6.6"));
    output(viaLb);
    output(direct);
    assertThat(AttributeHeaders.get(edge.producer.history().get(0).headers(), "remote_addr"))
        .isEqualTo("198.51.100.1");
    assertThat(AttributeHeaders.get(edge.producer.history().get(0).headers(), "x_forwarded_for"))
        .isEqualTo("6.6.6.6, 198.51.100.1");
    assertThat(AttributeHeaders.get(edge.producer.history().get(1).headers(), "remote_addr"))
        .isEqualTo("203.0.113.9");
  }

  @Test
  void shouldServeTheLoadBalancersEndpointsAndNoMetricsOnTheEdgePort() throws Exception {
    edge(true, Map.of());
    EmbeddedChannel ch = edge.channel();
    write(ch, post(GENERIC, "{}"));
    output(ch);
    write(ch, request("GET", "/__lbheartbeat__"));
    assertThat(single(output(ch)).status()).isEqualTo(200);
    write(ch, request("GET", "/__version__"));
    Response v = single(output(ch));
    assertThat(v.status()).isEqualTo(200);
    assertThat(Json.mapper().readTree(v.body()).has("version")).isTrue();
    // The status only: the checks' details are on ops.port.
    write(ch, request("GET", "/__heartbeat__"));
    Response hb = single(output(ch));
    assertThat(hb.status()).isEqualTo(200);
    assertThat(hb.body()).isEqualTo("{\"status\":\"ok\"}");
    // The internal counters are not served to the internet.
    write(ch, request("GET", "/metrics"));
    Response m = single(output(ch));
    assertThat(m.status()).isEqualTo(404);
    assertThat(m.body()).doesNotContain("edge_requests_total");
    assertThat(ch.isOpen()).isTrue();
  }

  @Test
  void shouldServeMetricsAndTheHeartbeatsDetailsOnTheEdgePortWhenAsked() throws Exception {
    edge(true, Map.of(EdgeConfig.OPS_ON_EDGE_PORT, "true"));
    EmbeddedChannel ch = edge.channel();
    write(ch, post(GENERIC, "{}"));
    output(ch);
    write(ch, request("GET", "/__heartbeat__"));
    Response hb = single(output(ch));
    assertThat(hb.status()).isEqualTo(200);
    JsonNode json = Json.mapper().readTree(hb.body());
    assertThat(json.path("checks").path("kafka").path("ok").asBoolean()).isTrue();
    assertThat(json.path("checks").path("spool").path("ok").asBoolean()).isTrue();
    write(ch, request("GET", "/metrics"));
    Response m = single(output(ch));
    assertThat(m.status()).isEqualTo(200);
    assertThat(m.body())
        .contains("edge_requests_total{namespace=\"glow\",status=\"200\"} 1.0")
        .contains("edge_request_bytes_total{namespace=\"glow\"} 2.0")
        .contains("edge_produce_latency_seconds_bucket")
        .contains("edge_spool_depth_records")
        .contains("edge_inflight_requests");
    write(ch, request("HEAD", "/__lbheartbeat__"));
    assertThat(output(ch)).startsWith("HTTP/1.1 200");
  }

  @Test
  void shouldAnswer404ForUnknownOpsPath() throws Exception {
    edge(true, Map.of());
    EmbeddedChannel ch = edge.channel();
    write(ch, request("GET", "/__nope__"));
    assertThat(single(output(ch)).status()).isEqualTo(404);
    assertThat(ch.isOpen()).isTrue();
  }
}
