package org.kindling.geo.counts;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.kindling.core.counts.CountKey;

/**
 * Partitions {@code ingest.counts} by {@link CountKey#partitionPrefix}: every cell of one (doctype,
 * minute) lands in the same partition, in the order written, so a reader that sees the {@code
 * all|all} cell knows the minute is complete. Murmur2 of the UTF-8 prefix, as Kafka's default
 * partitioner hashes keys.
 */
public final class CountsPartitioner implements StreamPartitioner<String, String> {

  @Override
  public Optional<Set<Integer>> partitions(
      String topic, String key, String value, int numPartitions) {
    return Optional.of(Set.of(partition(key, numPartitions)));
  }

  /** The partition of {@code key} among {@code numPartitions}. */
  public static int partition(String key, int numPartitions) {
    byte[] prefix = CountKey.parse(key).partitionPrefix().getBytes(StandardCharsets.UTF_8);
    return Utils.toPositive(Utils.murmur2(prefix)) % numPartitions;
  }
}
