package org.kindling.sink;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.kindling.core.kafka.ConsumerLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer loop of the sink: a consumer group reading one topic into a {@link FileSink}. Any
 * failure (S3 down, a commit refused after a rebalance) drops the open files, closes the consumer
 * without committing and starts over from the committed offsets ({@link ConsumerLoop}).
 */
final class SinkLoop extends ConsumerLoop {
  private static final Logger LOG = LoggerFactory.getLogger(SinkLoop.class);
  private static final Duration POLL = Duration.ofMillis(200);

  private final String topic;
  private final Function<Committer, FileSink<?>> sinkFactory;
  private FileSink<?> sink;

  SinkLoop(
      String name,
      String topic,
      Properties consumerProps,
      Function<Committer, FileSink<?>> sinkFactory) {
    super(name, consumerProps);
    this.topic = topic;
    this.sinkFactory = sinkFactory;
  }

  @Override
  protected String healthyDetail() {
    return "consuming " + topic;
  }

  @Override
  protected void consume(KafkaConsumer<byte[], byte[]> c) throws Exception {
    FileSink<?> s =
        sinkFactory.apply(
            (tp, offset, metadata) ->
                c.commitSync(Map.of(tp, new OffsetAndMetadata(offset, metadata))));
    sink = s;
    c.subscribe(List.of(topic), listener(s));
    ConsumerRecords<byte[], byte[]> records;
    while (running() && (records = poll(c, POLL)) != null) {
      for (ConsumerRecord<byte[], byte[]> r : records) {
        s.accept(r);
      }
      s.maintain(System.nanoTime());
    }
    // graceful stop: land what is open, then leave the group
    s.flushAll();
    sink = null;
  }

  @Override
  protected void abandon() {
    // as if the process died here: drop the open files before the consumer's close can flush
    // them, and commit nothing
    if (sink != null) {
      sink.abortAll();
      sink = null;
    }
  }

  private static ConsumerRebalanceListener listener(FileSink<?> sink) {
    return new ConsumerRebalanceListener() {
      @Override
      public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        // land what we have while the partitions are still ours; if that fails, the next
        // owner replays the batch from the committed offset
        for (TopicPartition tp : partitions) {
          try {
            sink.flush(tp);
          } catch (Exception e) {
            LOG.warn("cannot flush {} on revocation; its next owner replays it", tp, e);
            sink.revoked(tp);
          }
        }
      }

      @Override
      public void onPartitionsLost(Collection<TopicPartition> partitions) {
        partitions.forEach(sink::revoked);
      }

      @Override
      public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        partitions.forEach(sink::assigned);
      }
    };
  }
}
