package org.kindling.core;

import org.apache.kafka.common.serialization.Serde;

/**
 * A topic of the record contract with the serdes of its keys and values.
 *
 * @param name the topic name
 * @param keySerde serde of the record key
 * @param valueSerde serde of the record value
 * @param compacted whether the topic is compacted (latest value per key) rather than deleted by
 *     retention
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, boolean compacted) {
  @Override
  public String toString() {
    return name;
  }
}
