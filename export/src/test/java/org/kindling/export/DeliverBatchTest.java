package org.kindling.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.kindling.core.Attributes;
import org.kindling.core.failure.FailureRecord;
import org.kindling.core.failure.FailureRecordSerde;

class DeliverBatchTest {
  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final ScriptedDestination destination = new ScriptedDestination();
  private final MockProducer<byte[], byte[]> producer =
      new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ExportMetrics metrics = new ExportMetrics(registry, "hooks");
  private final DeliveryState state = new DeliveryState(clock);
  private final List<Duration> sleeps = new ArrayList<>();

  private DeliverBatch deliver(int maxAttempts) {
    return new DeliverBatch(
        "hooks",
        destination,
        new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(10), () -> 0),
        maxAttempts,
        new FailureWriter(producer, "export:hooks", clock),
        metrics,
        state,
        sleeps::add);
  }

  private static Batch batch(int n) {
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ExportRecord r = Documents.record("glow", "doc-" + i, NOW, i);
      items.add(Item.of(r, r.id().getBytes(StandardCharsets.UTF_8)));
    }
    return new Batch(items, 0);
  }

  private List<FailureRecord> failures() {
    List<FailureRecord> out = new ArrayList<>();
    for (ProducerRecord<byte[], byte[]> r : producer.history()) {
      assertThat(r.topic()).isEqualTo("ingest.errors");
      out.add(FailureRecordSerde.decode(r.value()));
    }
    return out;
  }

  @Test
  void shouldRetryWithBackoffUntilDelivered() throws Exception {
    destination.script.add(new Outcome.Retry("HTTP 503", null));
    destination.script.add(new Outcome.Retry("no answer within 30000 ms", null));
    DeliverBatch.Result r = deliver(10).deliver(batch(3));
    assertThat(r).isEqualTo(new DeliverBatch.Result(3, 0));
    assertThat(destination.sent).hasSize(3);
    assertThat(sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    assertThat(producer.history()).isEmpty();
    assertThat(metrics.deliveredCount()).isEqualTo(3);
    assertThat(metrics.retriedCount()).isEqualTo(2);
    assertThat(state.failingSince()).isNull();
  }

  @Test
  void shouldHonourRetryAfter() throws Exception {
    destination.script.add(new Outcome.Retry("HTTP 429", Duration.ofSeconds(3)));
    deliver(10).deliver(batch(1));
    assertThat(sleeps).containsExactly(Duration.ofSeconds(3));
  }

  @Test
  void shouldRecordTheBatchOnIngestErrorsWhenRetriesRunOut() throws Exception {
    destination.otherwise = b -> new Outcome.Retry("HTTP 500: boom", null);
    Batch b = batch(2);
    DeliverBatch.Result r = deliver(3).deliver(b);
    assertThat(r).isEqualTo(new DeliverBatch.Result(0, 2));
    assertThat(destination.sent).hasSize(3);
    assertThat(sleeps).hasSize(2);
    List<FailureRecord> f = failures();
    assertThat(f).hasSize(2);
    FailureRecord first = f.get(0);
    assertThat(first.stage()).isEqualTo("export:hooks");
    assertThat(first.errorType()).isEqualTo("export_failed");
    assertThat(first.errorMessage()).isEqualTo("gave up after 3 attempts: HTTP 500: boom");
    assertThat(first.failedAt()).isEqualTo(NOW);
    // the original document bytes and attributes, so that a replay can send it again
    assertThat(first.payload()).isEqualTo(b.items().get(0).record().value());
    assertThat(first.attributes()).containsEntry(Attributes.DOCUMENT_ID, "doc-0");
    assertThat(first.attributes()).containsEntry(Attributes.DOCUMENT_NAMESPACE, "glow");
    assertThat(producer.history().get(0).key()).isEqualTo("doc-0".getBytes(StandardCharsets.UTF_8));
    assertThat(metrics.failedCount()).isEqualTo(2);
    assertThat(registry.get("export_failed").tag("error_type", "export_failed").counter().count())
        .isEqualTo(2);
    assertThat(state.failingSince()).isEqualTo(NOW);
    assertThat(state.lastFailure()).isEqualTo("HTTP 500: boom");
  }

  @Test
  void shouldSplitARejectedBatchSoThatOnlyTheBadRecordFails() throws Exception {
    destination.otherwise =
        b ->
            b.stream().anyMatch(i -> i.record().id().equals("doc-5"))
                ? new Outcome.Rejected("HTTP 400: bad point", null)
                : Outcome.DELIVERED;
    DeliverBatch.Result r = deliver(10).deliver(batch(8));
    assertThat(r).isEqualTo(new DeliverBatch.Result(7, 1));
    List<FailureRecord> f = failures();
    assertThat(f)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.errorType()).isEqualTo("export_rejected");
              assertThat(x.errorMessage()).isEqualTo("HTTP 400: bad point");
              assertThat(x.attributes()).containsEntry(Attributes.DOCUMENT_ID, "doc-5");
            });
    // halves: 8 -> 4+4 -> 2+2 -> 1+1
    assertThat(destination.sent.get(0)).hasSize(8);
    assertThat(destination.sent).hasSize(7);
    assertThat(sleeps).isEmpty();
  }

  @Test
  void shouldRecordTheRecordsARejectionNamesAndResendTheRest() throws Exception {
    destination.script.add(new Outcome.Rejected("HTTP 400: invalid time", Set.of(1, 3)));
    DeliverBatch.Result r = deliver(10).deliver(batch(4));
    assertThat(r).isEqualTo(new DeliverBatch.Result(2, 2));
    assertThat(destination.sent)
        .containsExactly(List.of("doc-0", "doc-1", "doc-2", "doc-3"), List.of("doc-0", "doc-2"));
    assertThat(failures())
        .extracting(x -> x.attributes().get(Attributes.DOCUMENT_ID))
        .containsExactly("doc-1", "doc-3");
  }

  @Test
  void shouldRecordUnencodableRecordsWithoutSendingThem() throws Exception {
    ExportRecord good = Documents.record("glow", "good", NOW, 0);
    ExportRecord bad = Documents.record("glow", "bad", NOW, 1);
    Batch b =
        new Batch(List.of(Item.of(good, new byte[] {1}), Item.unencodable(bad, "no device_id")), 1);
    DeliverBatch.Result r = deliver(10).deliver(b);
    assertThat(r).isEqualTo(new DeliverBatch.Result(1, 1));
    assertThat(destination.sent).containsExactly(List.of("good"));
    assertThat(failures())
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.errorType()).isEqualTo("export_unencodable");
              assertThat(x.errorMessage()).isEqualTo("no device_id");
            });
  }

  @Test
  void shouldFailTheBatchWhenItsFailureRecordsCannotBeWritten() {
    MockProducer<byte[], byte[]> broken =
        new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
    destination.otherwise = b -> new Outcome.Retry("HTTP 503", null);
    DeliverBatch d =
        new DeliverBatch(
            "hooks",
            destination,
            new Backoff(Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(1), () -> 0),
            1,
            new FailureWriter(broken, "export:hooks", clock),
            metrics,
            state,
            sleeps::add);
    Thread t =
        new Thread(
            () -> {
              while (broken.history().isEmpty()) {
                Thread.onSpinWait();
              }
              broken.errorNext(new org.apache.kafka.common.errors.TimeoutException("no broker"));
            });
    t.start();
    assertThatThrownBy(() -> d.deliver(batch(1)))
        .isInstanceOf(FailureWriter.FailureWriteException.class)
        .hasMessageContaining("cannot write failure records of export:hooks");
    assertThat(metrics.failedCount()).isZero();
  }

  @Test
  void shouldKeepAnErrorRecordsOwnFailureAsPayload() throws Exception {
    FailureRecord rejection = Documents.rejection("e-1", NOW);
    ExportRecord r = ReadRecord.read(Documents.error(0, 9, rejection));
    // destinations never see the client address the validator kept
    assertThat(r.attributes()).doesNotContainKeys("remote_addr", "x_forwarded_for");
    assertThat(r.failure().attributes()).doesNotContainKeys("remote_addr", "x_forwarded_for");
    destination.otherwise = b -> new Outcome.Rejected("HTTP 400", null);
    deliver(10).deliver(new Batch(List.of(Item.of(r, new byte[] {1})), 1));
    FailureRecord f = failures().get(0);
    assertThat(f.stage()).isEqualTo("export:hooks");
    assertThat(f.attributes()).containsEntry(FailureWriter.SOURCE_TOPIC, "ingest.errors");
    // exactly the record of ingest.errors, client address included, as that topic holds it
    assertThat(FailureRecordSerde.decode(f.payload())).isEqualTo(rejection);
  }
}
