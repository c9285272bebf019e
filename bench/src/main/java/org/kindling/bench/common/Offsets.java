package org.kindling.bench.common;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/** Progress of a consumer group, read with the admin client (no consumer in this process). */
public final class Offsets {
  private final Admin admin;

  public Offsets(Admin admin) {
    this.admin = admin;
  }

  /** The last stable offset of every partition of {@code topic}. */
  public Map<TopicPartition, Long> ends(String topic) throws Exception {
    var desc = admin.describeTopics(Set.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS);
    Map<TopicPartition, OffsetSpec> req = new HashMap<>();
    desc.get(topic)
        .partitions()
        .forEach(p -> req.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
    Map<TopicPartition, Long> out = new HashMap<>();
    admin
        .listOffsets(req, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
        .all()
        .get(30, TimeUnit.SECONDS)
        .forEach((tp, info) -> out.put(tp, info.offset()));
    return out;
  }

  /** Sum of the end offsets of {@code topic}. */
  public long total(String topic) throws Exception {
    return ends(topic).values().stream().mapToLong(Long::longValue).sum();
  }

  /** The group's committed offsets. */
  public Map<TopicPartition, OffsetAndMetadata> committed(String group)
      throws InterruptedException, ExecutionException, TimeoutException {
    return admin
        .listConsumerGroupOffsets(group)
        .partitionsToOffsetAndMetadata()
        .get(30, TimeUnit.SECONDS);
  }

  /** Sum of the group's committed offsets on {@code topic}. */
  public long committedSum(String group, String topic) throws Exception {
    long n = 0;
    for (var e : committed(group).entrySet()) {
      if (e.getKey().topic().equals(topic) && e.getValue() != null) {
        n += e.getValue().offset();
      }
    }
    return n;
  }

  /**
   * Whether {@code group} has committed the end of every partition of {@code topic}, which was
   * written without transactions (so its end offsets are record positions).
   */
  public boolean caughtUp(String group, Map<TopicPartition, Long> ends) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> c = committed(group);
    for (var e : ends.entrySet()) {
      OffsetAndMetadata o = c.get(e.getKey());
      if (o == null || o.offset() < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code group} has consumed every committed record of a topic that a transactional
   * producer writes (the group's own repartition topic): the last entry before the last stable
   * offset is then a commit marker, which a consumer may or may not have stepped over.
   */
  public boolean caughtUpTransactional(String group, String topic) throws Exception {
    Map<TopicPartition, Long> ends = ends(topic);
    Map<TopicPartition, OffsetAndMetadata> c = committed(group);
    for (var e : ends.entrySet()) {
      if (e.getValue() == 0) {
        continue;
      }
      OffsetAndMetadata o = c.get(e.getKey());
      if (o == null || o.offset() < e.getValue() - 1) {
        return false;
      }
    }
    return true;
  }

  /** Polls {@code done} every {@code every} until it holds; fails after {@code timeout}. */
  public static void await(Duration timeout, Duration every, Check done, String what)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.get()) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("timed out after " + timeout + " waiting for " + what);
      }
      Thread.sleep(every.toMillis());
    }
  }

  /** A condition that may throw. */
  @FunctionalInterface
  public interface Check {
    boolean get() throws Exception;
  }
}
