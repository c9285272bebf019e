package org.kindling.sink;

import org.apache.kafka.common.TopicPartition;

/**
 * Points in a flush where tests stop the sink as if the process died there. Production uses {@link
 * #NONE}.
 */
public interface SinkHooks {
  /** The steps of a flush, in order. */
  enum Point {
    /** One file of the batch is uploaded (called once per file). */
    AFTER_UPLOAD,
    /** Every file of the batch is uploaded; the offset is not committed yet. */
    BEFORE_COMMIT,
    /** The offset after the batch is committed. */
    AFTER_COMMIT
  }

  SinkHooks NONE = (point, tp) -> {};

  /** Called at {@code point}; a test throws here to simulate a crash. */
  void at(Point point, TopicPartition tp);
}
