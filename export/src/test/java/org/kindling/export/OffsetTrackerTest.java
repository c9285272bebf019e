package org.kindling.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {
  private static final TopicPartition P0 = new TopicPartition("ingest.enriched", 0);
  private static final TopicPartition P1 = new TopicPartition("ingest.enriched", 1);

  @Test
  void shouldCommitOnlyUpToTheFirstRecordNotYetDone() {
    OffsetTracker t = new OffsetTracker();
    for (long o = 10; o < 16; o++) {
      t.received(P0, o, true);
    }
    // the second batch (13..15) finishes first
    t.completed(P0, 13);
    t.completed(P0, 14);
    t.completed(P0, 15);
    assertThat(t.committable(List.of(P0), tp -> 16)).isEqualTo(Map.of(P0, 10L));
    t.completed(P0, 10);
    t.completed(P0, 11);
    assertThat(t.committable(List.of(P0), tp -> 16)).isEqualTo(Map.of(P0, 12L));
    t.completed(P0, 12);
    assertThat(t.committable(List.of(P0), tp -> 16)).isEqualTo(Map.of(P0, 16L));
  }

  @Test
  void shouldCommitThePositionPastSkippedRecords() {
    OffsetTracker t = new OffsetTracker();
    t.received(P0, 0, false);
    t.received(P0, 1, false);
    t.received(P1, 7, true);
    assertThat(t.committable(List.of(P0, P1), tp -> tp.equals(P0) ? 2 : 8))
        .isEqualTo(Map.of(P0, 2L, P1, 7L));
    assertThat(t.pendingCount()).isEqualTo(1);
    assertThat(t.firstPending(P1)).isEqualTo(7);
    assertThat(t.firstPending(P0)).isEqualTo(-1);
  }

  @Test
  void shouldForgetRevokedPartitionsAndIgnoreTheirLateCompletions() {
    OffsetTracker t = new OffsetTracker();
    t.received(P0, 3, true);
    t.received(P1, 4, true);
    t.forget(List.of(P0));
    t.completed(P0, 3);
    assertThat(t.committable(List.of(P0, P1), tp -> 99)).isEqualTo(Map.of(P1, 4L));
    // a partition not assigned any more is not committed
    assertThat(t.committable(List.of(), tp -> 99)).isEmpty();
  }
}
