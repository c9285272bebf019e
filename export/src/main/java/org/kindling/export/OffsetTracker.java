package org.kindling.export;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.ToLongFunction;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets of a destination's partitions may be committed. Batches complete out of order (up
 * to {@code max.in.flight} at once), so per partition the committable offset is the lowest offset
 * still pending (read, taken by the filter, and neither acknowledged nor recorded as failed), or,
 * when nothing is pending, the consumer's position: everything before it was delivered, failed
 * durably or skipped by the filter. Used by the poll thread only.
 */
public final class OffsetTracker {
  private final Map<TopicPartition, TreeSet<Long>> pending = new HashMap<>();

  /**
   * A record was read.
   *
   * @param deliver whether it is to be delivered (pending until {@link #completed}); false for a
   *     record the filter skipped
   */
  public void received(TopicPartition tp, long offset, boolean deliver) {
    TreeSet<Long> p = pending.computeIfAbsent(tp, t -> new TreeSet<>());
    if (deliver) {
      p.add(offset);
    }
  }

  /** A record was acknowledged or durably recorded as failed. */
  public void completed(TopicPartition tp, long offset) {
    TreeSet<Long> p = pending.get(tp);
    if (p != null) {
      p.remove(offset);
    }
  }

  /**
   * The offsets to commit, for the partitions this session has read and that are in {@code
   * assigned}.
   *
   * @param position the consumer's position of a partition
   */
  public Map<TopicPartition, Long> committable(
      Collection<TopicPartition> assigned, ToLongFunction<TopicPartition> position) {
    Map<TopicPartition, Long> out = new LinkedHashMap<>();
    pending.forEach(
        (tp, p) -> {
          if (assigned.contains(tp)) {
            out.put(tp, p.isEmpty() ? position.applyAsLong(tp) : p.first());
          }
        });
    return out;
  }

  /** The lowest pending offset of {@code tp}, or -1 when none is pending. */
  public long firstPending(TopicPartition tp) {
    TreeSet<Long> p = pending.get(tp);
    return p == null || p.isEmpty() ? -1 : p.first();
  }

  /** Records pending delivery, over all partitions. */
  public int pendingCount() {
    int n = 0;
    for (TreeSet<Long> p : pending.values()) {
      n += p.size();
    }
    return n;
  }

  /** Forgets partitions this consumer no longer owns; their next owner reads them again. */
  public void forget(Collection<TopicPartition> partitions) {
    partitions.forEach(pending::remove);
  }
}
