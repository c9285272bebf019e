package org.kindling.sink;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.kindling.sink.store.ObjectStore.ObjectMeta;

/**
 * What one consumer loop writes: how a Kafka record is read, which directory (object key prefix) it
 * belongs in, and how its files are written. Everything here is a function of the record alone,
 * which the exactly-once argument needs (same records, same files).
 */
interface FileFormat<T> {
  /** Reads a record; never throws (a record that cannot be read is still kept, as best it can). */
  T parse(ConsumerRecord<byte[], byte[]> record);

  /** The key prefix of the item's file, without a trailing slash. */
  String directory(T item);

  /** Opens a file for items of {@code directory} (the first being {@code first}) at {@code tmp}. */
  RecordFile<T> open(String directory, T first, Path tmp) throws IOException;

  /** The object name's extension, with its dot. */
  String extension();

  ObjectMeta meta();
}
