package org.kindling.logs.file;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.kindling.logs.ProcessLine;
import org.kindling.logs.PublishRecords;

/**
 * One open log file and how far it has been read and acknowledged. The file is held open, so that a
 * rename (rotation) or even its deletion does not stop the reading; a gzip'd file is read through
 * {@link GZIPInputStream} and its positions are uncompressed bytes.
 *
 * <p>Positions: {@code readPos} is where the next read starts; {@code lineEnd} the end of the last
 * complete line handed to Kafka; {@code committed} the end of the last line up to which every
 * record is acknowledged, which is what the checkpoint stores. Lines are grouped in batches (one
 * per read), and {@code committed} moves over a batch only when all of its records and all earlier
 * batches are acknowledged.
 *
 * <p>Used by the follower thread only; the acknowledgements arrive on a Kafka thread and touch only
 * the batches' counters.
 */
final class TrackedFile implements AutoCloseable {
  private final int maxLineBytes;
  private final byte[] buf;
  private final ArrayDeque<Batch> batches = new ArrayDeque<>();

  Path path;
  String fileKey;
  Fingerprint fingerprint;
  boolean gzip;

  /** At the followed path (the file the server writes to), rather than rotated away. */
  boolean live;

  /** Truncated with no copy to be found: read no further, only wait for the batches. */
  boolean abandoned;

  private FileChannel channel;
  private InputStream gzipIn;
  private long gzipPos;
  private boolean gzipDone;
  private long readPos;
  private long lineEnd;
  private long committed;
  private int carry;
  private boolean discarding;
  private long discardLength;
  private long lastGrowthNanos;

  /** A batch of records read in one go, and where it ends in the file. */
  static final class Batch implements PublishRecords.Acks {
    /** Set by the follower before the batch is queued; read by the follower only. */
    long end;

    // one more than the records submitted until it is sealed, so it cannot complete early
    private final AtomicInteger remaining = new AtomicInteger(1);
    private volatile boolean done;

    void add() {
      remaining.incrementAndGet();
    }

    void seal() {
      acked();
    }

    @Override
    public void acked() {
      if (remaining.decrementAndGet() == 0) {
        done = true;
      }
    }

    boolean done() {
      return done;
    }
  }

  /**
   * Opens {@code path} at {@code offset} (the checkpoint's, or 0, or the end).
   *
   * @param head the file's head as read when it was found
   */
  TrackedFile(
      Path path, String fileKey, ReadHead.Head head, long offset, boolean live, int maxLineBytes)
      throws IOException {
    this.path = path;
    this.fileKey = fileKey;
    this.live = live;
    this.maxLineBytes = maxLineBytes;
    this.buf = new byte[maxLineBytes + 65_536];
    this.lastGrowthNanos = System.nanoTime();
    open(path, head, offset);
  }

  private void open(Path p, ReadHead.Head head, long offset) throws IOException {
    closeStreams();
    channel = FileChannel.open(p);
    gzip = head.gzip();
    fingerprint = head.fingerprint();
    readPos = offset;
    lineEnd = offset;
    committed = offset;
    carry = 0;
    discarding = false;
    if (gzip) {
      openGzip();
    }
  }

  /**
   * Continues in {@code copy}, the rotated copy of this file (copy-truncate), from the same
   * position: what this file had and was not read yet is there.
   */
  void moveTo(Path copy, String copyKey, ReadHead.Head head) throws IOException {
    closeStreams();
    path = copy;
    fileKey = copyKey;
    live = false;
    channel = FileChannel.open(copy);
    gzip = head.gzip();
    readPos = lineEnd;
    carry = 0;
    discarding = false;
    gzipDone = false;
    if (gzip) {
      openGzip();
    }
    lastGrowthNanos = System.nanoTime();
  }

  private void openGzip() throws IOException {
    gzipIn = new GZIPInputStream(Channels.newInputStream(channel.position(0)), 65_536);
    gzipPos = 0;
    gzipDone = false;
    long skip = readPos;
    while (skip > 0) {
      long s = gzipIn.skip(skip);
      if (s <= 0) {
        break;
      }
      skip -= s;
      gzipPos += s;
    }
    if (skip > 0) {
      // the checkpoint is beyond the end of the uncompressed content: nothing left to read
      readPos = gzipPos;
      lineEnd = Math.min(lineEnd, gzipPos);
      gzipDone = true;
    }
  }

  /** Skips the partial line at the current position (reading from the end of a file). */
  void skipPartialLine() throws IOException {
    if (gzip || readPos == 0) {
      return;
    }
    ByteBuffer one = ByteBuffer.allocate(1);
    if (channel.read(one, readPos - 1) == 1 && one.get(0) != '\n') {
      discarding = true;
      discardLength = Long.MIN_VALUE; // silent: not a line of ours
    }
  }

  /**
   * Reads what is there (one buffer at most), hands the complete lines' records to {@code
   * publisher} as one batch, and returns how many bytes it read (0: nothing new).
   */
  int read(ProcessLine process, byte[] source, PublishRecords publisher) throws IOException {
    if (abandoned) {
      return 0;
    }
    int n;
    try {
      n = fill();
    } catch (EOFException | ZipException e) {
      // a gzip'd file still being written (compressed right now): read it again later
      if (gzip) {
        reopenGzip();
        return 0;
      }
      throw e;
    }
    if (n <= 0) {
      return 0;
    }
    lastGrowthNanos = System.nanoTime();
    long base = readPos - carry; // file position of buf[0]
    readPos += n;
    int end = carry + n;
    Batch batch = new Batch();
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>(512);
    int start = 0;
    for (int i = FindNewline.in(buf, 0, end); i >= 0; i = FindNewline.in(buf, start, end)) {
      if (discarding) {
        if (discardLength != Long.MIN_VALUE) {
          discardLength += i;
        }
        discarding = false;
      } else {
        int len = i - start;
        ProducerRecord<String, byte[]> r =
            len > maxLineBytes
                ? process.tooLong(source, buf, start, maxLineBytes, len)
                : process.apply(source, buf, start, len, Long.MIN_VALUE);
        if (r != null) {
          batch.add();
          records.add(r);
        }
      }
      start = i + 1;
      lineEnd = base + start;
    }
    int rest = end - start;
    if (discarding) {
      if (discardLength != Long.MIN_VALUE) {
        discardLength += rest;
      }
      rest = 0;
    } else if (rest > maxLineBytes) {
      ProducerRecord<String, byte[]> r = process.tooLong(source, buf, start, maxLineBytes, rest);
      batch.add();
      records.add(r);
      discarding = true;
      discardLength = rest;
      rest = 0;
    }
    if (rest > 0 && start > 0) {
      System.arraycopy(buf, start, buf, 0, rest);
    }
    carry = rest;
    // a batch without records still marks progress, so that skipped lines are checkpointed too
    batch.end = lineEnd;
    batches.add(batch);
    if (!records.isEmpty()) {
      publisher.submitAll(records, batch);
    }
    batch.seal();
    if (!gzip && fingerprint.length() < Fingerprint.MAX_LENGTH) {
      // while the file is short its fingerprint grows with what was read, so that a copy of it
      // can be recognised if it is truncated before the next look
      refreshFingerprint();
    }
    return n;
  }

  private int fill() throws IOException {
    int room = buf.length - carry;
    if (gzip) {
      if (gzipDone) {
        return 0;
      }
      int r = gzipIn.read(buf, carry, room);
      if (r < 0) {
        gzipDone = true;
        return 0;
      }
      gzipPos += r;
      return r;
    }
    int r = channel.read(ByteBuffer.wrap(buf, carry, room), readPos);
    return Math.max(r, 0);
  }

  private void reopenGzip() throws IOException {
    readPos = lineEnd;
    carry = 0;
    discarding = false;
    if (gzipIn != null) {
      gzipIn.close();
    }
    channel = FileChannel.open(path);
    openGzip();
  }

  /** Moves {@code committed} over the batches acknowledged in order; returns whether it moved. */
  boolean advance() {
    boolean moved = false;
    Batch b;
    while ((b = batches.peek()) != null && b.done()) {
      batches.poll();
      if (b.end != committed) {
        committed = b.end;
        moved = true;
      }
    }
    return moved;
  }

  /** Whether every record handed over is acknowledged. */
  boolean allAcknowledged() {
    advance();
    return batches.isEmpty();
  }

  /** Whether the whole file has been read: a gzip'd one to its end, a plain one to its size now. */
  boolean atEnd() throws IOException {
    if (gzip) {
      return gzipDone;
    }
    return readPos >= channel.size();
  }

  /** Bytes of the file not yet acknowledged (plain files; 0 for gzip'd ones). */
  long lag() {
    if (gzip || channel == null) {
      return 0;
    }
    try {
      return Math.max(0, channel.size() - committed);
    } catch (IOException e) {
      return 0;
    }
  }

  /** Nanoseconds since the file last grew. */
  long idleNanos() {
    return System.nanoTime() - lastGrowthNanos;
  }

  /** The unterminated last line (a writer that died mid-line), as a line of its own. */
  void flushPartialLine(ProcessLine process, byte[] source, PublishRecords publisher) {
    if (carry == 0 || discarding) {
      return;
    }
    Batch batch = new Batch();
    batch.end = lineEnd + carry;
    ProducerRecord<String, byte[]> r = process.apply(source, buf, 0, carry, Long.MIN_VALUE);
    if (r != null) {
      batch.add();
      publisher.submit(r, batch);
    }
    lineEnd += carry;
    carry = 0;
    batches.add(batch);
    batch.seal();
  }

  /** Whether the file still starts with the bytes of its fingerprint (not truncated). */
  boolean headUnchanged() throws IOException {
    if (gzip || fingerprint.length() == 0) {
      return true;
    }
    ReadHead.Head head = ReadHead.of(channel, path);
    return fingerprint.matches(head.bytes(), head.length());
  }

  /** Extends a short fingerprint while the file grows, so it stays distinctive. */
  void refreshFingerprint() throws IOException {
    if (gzip || fingerprint.length() >= Fingerprint.MAX_LENGTH) {
      return;
    }
    if (channel.size() > fingerprint.length()) {
      ReadHead.Head head = ReadHead.of(channel, path);
      if (fingerprint.length() == 0 || fingerprint.matches(head.bytes(), head.length())) {
        fingerprint = head.fingerprint();
      }
    }
  }

  long size() throws IOException {
    return channel.size();
  }

  long readPos() {
    return readPos;
  }

  long committed() {
    return committed;
  }

  private void closeStreams() throws IOException {
    if (gzipIn != null) {
      gzipIn.close();
      gzipIn = null;
    }
    if (channel != null) {
      channel.close();
      channel = null;
    }
  }

  @Override
  public void close() {
    try {
      closeStreams();
    } catch (IOException e) {
      // closing a file we only read
    }
  }
}
