package org.kindling.geo.counts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CountsPartitionerTest {

  @Test
  void shouldPutEveryWriteOfOneSourcePartitionOnOnePartition() {
    for (int source = 0; source < 8; source++) {
      List<String> keys =
          List.of(
              "glow.download|total|country|DE|" + source,
              "glow.download|minute|2026-11-24T18:05Z|" + source,
              "glow.share|minute|2026-11-24T18:06Z|" + source,
              "watermark|" + source);
      Set<Integer> partitions = new HashSet<>();
      for (String key : keys) {
        partitions.add(CountsPartitioner.partition(key, 4));
        assertThat(new CountsPartitioner().partitions("ingest.counts", key, "{}", 4).orElseThrow())
            .containsExactly(CountsPartitioner.partition(key, 4));
      }
      assertThat(partitions).containsExactly(source % 4);
    }
    // totals of the counters before they counted per partition: by their key
    Set<Integer> legacy = new HashSet<>();
    for (String c : List.of("DE", "FR", "US", "GB", "IT", "ES", "PL", "NL")) {
      legacy.add(CountsPartitioner.partition("glow.download|total|country|" + c, 4));
    }
    assertThat(legacy).hasSizeGreaterThan(1);
  }

  @Test
  void shouldRoundTripTallies() {
    Tally tally = new Tally(7, 123).plus(100).plus(200);
    assertThat(tally).isEqualTo(new Tally(9, 200));
    assertThat(
            Tally.serde()
                .deserializer()
                .deserialize("t", Tally.serde().serializer().serialize("t", tally)))
        .isEqualTo(tally);
  }
}
