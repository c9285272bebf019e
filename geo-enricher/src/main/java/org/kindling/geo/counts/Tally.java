package org.kindling.geo.counts;

import java.nio.ByteBuffer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * A running total: the count and the latest event time counted.
 *
 * @param count records counted
 * @param updatedAt event time (epoch ms) of the newest record counted
 */
public record Tally(long count, long updatedAt) {

  /** This tally plus one record at {@code eventTime}. */
  public Tally plus(long eventTime) {
    return new Tally(count + 1, Math.max(updatedAt, eventTime));
  }

  /** 16 bytes: count, updatedAt. */
  public static Serde<Tally> serde() {
    return Serdes.serdeFrom(
        (topic, t) ->
            t == null
                ? null
                : ByteBuffer.allocate(16).putLong(t.count()).putLong(t.updatedAt()).array(),
        (topic, bytes) -> {
          if (bytes == null) {
            return null;
          }
          ByteBuffer b = ByteBuffer.wrap(bytes);
          return new Tally(b.getLong(), b.getLong());
        });
  }
}
