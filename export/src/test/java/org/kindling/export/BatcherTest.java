package org.kindling.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatcherTest {
  private static final long SECOND = 1_000_000_000L;
  private long offset;

  private Item item(int bytes) {
    ExportRecord r = Documents.record("glow", "id-" + offset, Instant.EPOCH, offset++);
    return Item.of(r, new byte[bytes - 1]);
  }

  @Test
  void shouldSealABatchAtTheRecordLimit() {
    Batcher b = new Batcher(3, 1 << 20, Duration.ofSeconds(1));
    assertThat(b.add(item(10), 0)).isEmpty();
    assertThat(b.add(item(10), 0)).isEmpty();
    List<Batch> sealed = b.add(item(10), 0);
    assertThat(sealed).hasSize(1);
    assertThat(sealed.get(0).size()).isEqualTo(3);
    assertThat(sealed.get(0).bytes()).isEqualTo(30);
    assertThat(b.pending()).isZero();
  }

  @Test
  void shouldStartANewBatchWhenARecordWouldPassTheByteLimit() {
    Batcher b = new Batcher(100, 100, Duration.ofSeconds(1));
    assertThat(b.add(item(60), 0)).isEmpty();
    List<Batch> sealed = b.add(item(50), 0);
    assertThat(sealed).hasSize(1);
    assertThat(sealed.get(0).bytes()).isEqualTo(60);
    assertThat(b.pending()).isEqualTo(1);
    // exactly at the limit seals
    assertThat(b.add(item(50), 0)).singleElement().extracting(Batch::bytes).isEqualTo(100L);
  }

  @Test
  void shouldSendARecordLargerThanTheLimitOnItsOwn() {
    Batcher b = new Batcher(100, 100, Duration.ofSeconds(1));
    b.add(item(10), 0);
    List<Batch> sealed = b.add(item(500), 0);
    assertThat(sealed).extracting(Batch::size).containsExactly(1, 1);
    assertThat(sealed.get(1).bytes()).isEqualTo(500);
    assertThat(b.pending()).isZero();
  }

  @Test
  void shouldSealAfterTheFirstRecordWaitedMaxWait() {
    Batcher b = new Batcher(100, 1 << 20, Duration.ofSeconds(1));
    assertThat(b.due(0)).isNull();
    b.add(item(10), 5 * SECOND);
    b.add(item(10), 5 * SECOND + SECOND / 2);
    assertThat(b.due(5 * SECOND + SECOND / 2)).isNull();
    Batch due = b.due(6 * SECOND);
    assertThat(due).isNotNull();
    assertThat(due.size()).isEqualTo(2);
    assertThat(b.due(100 * SECOND)).isNull();
  }

  @Test
  void shouldKeepTheReadingOrderAcrossBatches() {
    Batcher b = new Batcher(2, 1 << 20, Duration.ofSeconds(1));
    List<Batch> all = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      all.addAll(b.add(item(10), 0));
    }
    all.add(b.drain());
    assertThat(b.drain()).isNull();
    List<Long> offsets = new ArrayList<>();
    all.forEach(batch -> batch.items().forEach(i -> offsets.add(i.record().offset())));
    assertThat(offsets).containsExactly(0L, 1L, 2L, 3L, 4L);
  }
}
