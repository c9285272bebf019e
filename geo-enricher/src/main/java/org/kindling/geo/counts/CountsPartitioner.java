package org.kindling.geo.counts;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.kindling.core.counts.CountKey;

/**
 * Partitions {@code ingest.counts} by the source partition of a key ({@link CountKey#partition}):
 * every write of one enrich task lands on one partition, in the order written, so a reader sees a
 * minute's partial before the watermark that closes it. A key without a source partition (a total
 * of the counters before they counted per partition) goes by Murmur2 of its UTF-8 bytes, as Kafka's
 * default partitioner hashes keys.
 */
public final class CountsPartitioner implements StreamPartitioner<String, String> {

  @Override
  public Optional<Set<Integer>> partitions(
      String topic, String key, String value, int numPartitions) {
    return Optional.of(Set.of(partition(key, numPartitions)));
  }

  /** The partition of {@code key} among {@code numPartitions}. */
  public static int partition(String key, int numPartitions) {
    int source = CountKey.parse(key).partition();
    if (source >= 0) {
      return source % numPartitions;
    }
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % numPartitions;
  }
}
