package org.kindling.sink;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.kindling.sink.store.ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the records of one topic into files in object storage with exactly-once effect: after any
 * crash and replay, every record is in exactly one object.
 *
 * <p>The records of one Kafka partition are cut into <em>batches</em>. A batch starts at the
 * committed offset C; each directory (doctype, date, ...) seen in the batch gets one file named
 * {@code <topic>+<partition>+<offset of the first record of that directory in the batch, 20
 * digits>}. To cut the batch at offset E, every file is finished and uploaded, and only then is E
 * committed; the next batch of the partition starts only after that commit. Cuts come from the
 * records (count, input bytes, Kafka timestamp span) or are forced (idle partition, memory bound,
 * shutdown); a cut always closes <em>every</em> file of the partition, never just one.
 *
 * <p>Why a crash at any point leaves no duplicate and no gap: objects that are uploaded but not
 * covered by the committed offset C can only come from the one batch after C, so each is named
 * {@code X+x} with x the first record of directory X at or after C. After the crash the partition
 * is replayed from C, and whatever the new cuts are, the file that receives record x is again named
 * by the first X record at or after its batch start, which is x: the old object is overwritten.
 * Records the old object held beyond the new cut go to objects with other names, which the old run
 * never wrote. Every record is replayed, so nothing is missing; every old uncommitted object is
 * replaced, so nothing is doubled. The same holds when the replay itself crashes, since an object
 * is only left behind under the committed offset of its batch.
 *
 * <p>Single-threaded: called from the consumer loop's thread only.
 */
final class FileSink<T> {
  private static final Logger LOG = LoggerFactory.getLogger(FileSink.class);

  /** Limits of one loop. */
  record Limits(
      long maxRecords,
      long maxBytes,
      Duration maxSpan,
      Duration idle,
      int maxOpenFiles,
      long maxBufferedBytes) {}

  private final String topic;
  private final String bucket;
  private final FileFormat<T> format;
  private final ObjectStore store;
  private final Committer committer;
  private final Limits limits;
  private final Path tmpDir;
  private final SinkHooks hooks;
  private final Map<TopicPartition, Batch> batches = new HashMap<>();
  private final Counter recordsIn;
  private final Counter filesOut;
  private final Counter bytesOut;

  FileSink(
      String topic,
      String bucket,
      FileFormat<T> format,
      ObjectStore store,
      Committer committer,
      Limits limits,
      Path tmpDir,
      SinkHooks hooks,
      MeterRegistry registry) {
    this.topic = topic;
    this.bucket = bucket;
    this.format = format;
    this.store = store;
    this.committer = committer;
    this.limits = limits;
    this.tmpDir = tmpDir;
    this.hooks = hooks;
    this.recordsIn = registry.counter("sink_records", "topic", topic);
    this.filesOut = registry.counter("sink_files_uploaded", "topic", topic);
    this.bytesOut = registry.counter("sink_bytes_uploaded", "topic", topic);
  }

  /** One Kafka partition's open batch. */
  private final class Batch {
    final TopicPartition tp;
    final Map<String, OpenFile> files = new LinkedHashMap<>();

    long start = -1;
    long next = -1;
    long records;
    long bytes;
    long firstTimestamp;
    long lastActivityNanos;

    Batch(TopicPartition tp) {
      this.tp = tp;
    }

    boolean isEmpty() {
      return records == 0;
    }

    long buffered() {
      long sum = 0;
      for (OpenFile f : files.values()) {
        sum += f.file.bufferedBytes();
      }
      return sum;
    }
  }

  private final class OpenFile {
    final String directory;
    final int partition;
    final long firstOffset;
    final Path tmp;
    final RecordFile<T> file;

    OpenFile(String directory, int partition, long firstOffset, T first) throws IOException {
      this.directory = directory;
      this.partition = partition;
      this.firstOffset = firstOffset;
      this.tmp = Files.createTempFile(tmpDir, topic + "-", format.extension());
      this.file = format.open(directory, first, tmp);
    }

    String key() {
      return directory
          + "/"
          + topic
          + "+"
          + partition
          + "+"
          + String.format(Locale.ROOT, "%020d", firstOffset)
          + format.extension();
    }
  }

  /** The partition is ours, from its committed offset on. */
  void assigned(TopicPartition tp) {
    Batch old = batches.put(tp, new Batch(tp));
    if (old != null) {
      abort(old);
    }
  }

  /** The partition is no longer ours: drop its batch; whoever owns it next replays it. */
  void revoked(TopicPartition tp) {
    Batch b = batches.remove(tp);
    if (b != null) {
      abort(b);
    }
  }

  void accept(ConsumerRecord<byte[], byte[]> r) throws IOException {
    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
    Batch b = batches.get(tp);
    if (b == null) {
      b = new Batch(tp);
      batches.put(tp, b);
    }
    if (!b.isEmpty() && r.timestamp() - b.firstTimestamp >= limits.maxSpan().toMillis()) {
      cut(b);
    }
    T item = format.parse(r);
    String dir = format.directory(item);
    if (b.isEmpty()) {
      b.start = r.offset();
      b.firstTimestamp = r.timestamp();
    }
    OpenFile f = b.files.get(dir);
    if (f == null) {
      f = new OpenFile(dir, r.partition(), r.offset(), item);
      b.files.put(dir, f);
    }
    f.file.write(item);
    b.records++;
    b.bytes += r.serializedValueSize() < 0 ? 0 : r.serializedValueSize();
    b.next = r.offset() + 1;
    b.lastActivityNanos = System.nanoTime();
    recordsIn.increment();
    if (b.records >= limits.maxRecords() || b.bytes >= limits.maxBytes()) {
      cut(b);
    }
  }

  /**
   * Enforces the memory bound and the idle flush; called after each poll with the time now. A
   * forced cut uploads the batch and then commits its offsets like any other cut, so exactly-once
   * does not depend on where cuts fall.
   */
  void maintain(long nowNanos) throws IOException {
    for (Batch b : new ArrayList<>(batches.values())) {
      if (!b.isEmpty() && nowNanos - b.lastActivityNanos >= limits.idle().toNanos()) {
        LOG.debug("{}: idle for {}, flushing", b.tp, limits.idle());
        cut(b);
      }
    }
    while (true) {
      int open = 0;
      long buffered = 0;
      Batch largest = null;
      long largestSize = -1;
      for (Batch b : batches.values()) {
        open += b.files.size();
        for (OpenFile f : b.files.values()) {
          long size = f.file.bufferedBytes();
          buffered += size;
          if (size > largestSize) {
            largestSize = size;
            largest = b;
          }
        }
      }
      if (largest == null
          || (open <= limits.maxOpenFiles() && buffered <= limits.maxBufferedBytes())) {
        return;
      }
      LOG.info(
          "{}: {} open files, {} bytes buffered; flushing the partition with the largest file",
          largest.tp,
          open,
          buffered);
      cut(largest);
    }
  }

  /** Lands the partition's open batch and forgets the partition (revocation). */
  void flush(TopicPartition tp) throws IOException {
    Batch b = batches.remove(tp);
    if (b != null) {
      try {
        cut(b);
      } finally {
        abort(b);
      }
    }
  }

  /** Flushes every open batch (graceful shutdown). */
  void flushAll() throws IOException {
    for (Batch b : new ArrayList<>(batches.values())) {
      if (!b.isEmpty()) {
        cut(b);
      }
    }
  }

  /** Drops every open batch without uploading (after a failure; the replay rewrites them). */
  void abortAll() {
    for (Batch b : batches.values()) {
      abort(b);
    }
    batches.clear();
  }

  int openFiles() {
    int n = 0;
    for (Batch b : batches.values()) {
      n += b.files.size();
    }
    return n;
  }

  long bufferedBytes() {
    long n = 0;
    for (Batch b : batches.values()) {
      n += b.buffered();
    }
    return n;
  }

  /** Finishes and uploads every file of the batch, then commits the offset after it. */
  private void cut(Batch b) throws IOException {
    if (b.isEmpty()) {
      return;
    }
    for (OpenFile f : b.files.values()) {
      f.file.finish();
    }
    for (OpenFile f : b.files.values()) {
      String key = f.key();
      long size = Files.size(f.tmp);
      store.put(bucket, key, f.tmp, format.meta());
      filesOut.increment();
      bytesOut.increment(size);
      Files.deleteIfExists(f.tmp);
      hooks.at(SinkHooks.Point.AFTER_UPLOAD, b.tp);
    }
    hooks.at(SinkHooks.Point.BEFORE_COMMIT, b.tp);
    committer.commit(b.tp, b.next, "");
    LOG.debug(
        "{}: {} records in {} files up to offset {}", b.tp, b.records, b.files.size(), b.next);
    b.files.clear();
    b.records = 0;
    b.bytes = 0;
    b.start = -1;
    hooks.at(SinkHooks.Point.AFTER_COMMIT, b.tp);
  }

  private void abort(Batch b) {
    for (OpenFile f : b.files.values()) {
      f.file.abort();
      try {
        Files.deleteIfExists(f.tmp);
      } catch (IOException e) {
        LOG.warn("cannot delete {}", f.tmp, e);
      }
    }
    b.files.clear();
    b.records = 0;
    b.bytes = 0;
  }
}
