package org.kindling.sink;

import org.apache.kafka.common.TopicPartition;

/** Commits a consumer position with its metadata, synchronously: it is durable on return. */
interface Committer {
  void commit(TopicPartition tp, long offset, String metadata);
}
