package org.kindling.geo.counts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CountsPartitionerTest {

  @Test
  void shouldPartitionAMinuteByItsPrefixAndTotalsByTheirKey() {
    List<String> cells =
        List.of("country|DE", "country|other", "location|52.5,13.4", "location|other", "all|all");
    Set<Integer> minutesSeen = new HashSet<>();
    for (int minute = 0; minute < 60; minute++) {
      String prefix = String.format("glow.download|minute|2026-11-24T18:%02dZ|", minute);
      Set<Integer> partitions = new HashSet<>();
      for (String cell : cells) {
        partitions.add(CountsPartitioner.partition(prefix + cell, 4));
        assertThat(
                new CountsPartitioner()
                    .partitions("ingest.counts", prefix + cell, "{}", 4)
                    .orElseThrow())
            .containsExactly(CountsPartitioner.partition(prefix + cell, 4));
      }
      assertThat(partitions).hasSize(1);
      minutesSeen.addAll(partitions);
    }
    // minutes spread over the partitions
    assertThat(minutesSeen).hasSize(4);
  }

  @Test
  void shouldRoundTripCountEventsAndTallies() {
    CountEvent event = new CountEvent("EU", "DE", "DE-BE", "52.5,13.4");
    byte[] bytes = CountEvent.serde().serializer().serialize("t", event);
    assertThat(CountEvent.serde().deserializer().deserialize("t", bytes)).isEqualTo(event);
    CountEvent empty = new CountEvent(null, null, null, null);
    assertThat(
            CountEvent.serde()
                .deserializer()
                .deserialize("t", CountEvent.serde().serializer().serialize("t", empty)))
        .isEqualTo(empty);
    Tally tally = new Tally(7, 123).plus(100).plus(200);
    assertThat(tally).isEqualTo(new Tally(9, 200));
    assertThat(
            Tally.serde()
                .deserializer()
                .deserialize("t", Tally.serde().serializer().serialize("t", tally)))
        .isEqualTo(tally);
  }
}
