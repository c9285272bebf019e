package org.kindling.edge;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local spool: an append-only log of accepted submissions kept on disk while Kafka cannot take
 * them, drained into {@code ingest.raw} in order when it can.
 *
 * <p><b>Format.</b> The spool is a directory of segment files {@code <20-digit sequence>.spool}. A
 * segment is a sequence of records in the form of {@link SpoolRecordCodec}. A new segment starts
 * when the current one passes the segment size, at every start of the process (old segments are
 * never appended to) and when the drain task has read the whole current segment. {@code
 * drain.checkpoint} holds the position up to which records are in Kafka.
 *
 * <p><b>Fsync policy.</b> One writer thread appends; it takes every append that is waiting, writes
 * them, calls {@code fdatasync} once (group commit) and only then completes their futures, so an
 * edge answers 200 only for bytes that are on disk. The directory is fsync'd when a segment is
 * created. The drain checkpoint is not fsync'd: after a crash, records since the last checkpoint
 * that reached the disk are sent again (duplicates, never loss; downstream deduplicates on document
 * id).
 *
 * <p><b>Corruption.</b> Within a segment, what is durable is always a prefix: a write that fails is
 * cut back to the segment's durable end (or, if that cut fails too, the durable end is recorded in
 * {@code <segment>.end}, which bounds the segment for every reader), and a process that crashed
 * left at most a torn last record. So the first record whose length is impossible or whose CRC does
 * not match ends its segment: the rest of it is not read, is counted in {@code
 * edge_spool_corrupt_records_total} and logged. Scanning on for the next record that looks valid
 * would let bytes of a submission's body that were crafted as a spool record be read back as a
 * record with forged attributes.
 *
 * <p><b>Failures.</b> A full disk fails the append with {@link SpoolFullException} (the client gets
 * 507, as for the size cap). Any other write failure fails the appends of its batch (503) and is
 * reported by {@link #lastWriteError}. The writer thread survives any exception or error of a
 * batch; appends after {@link #close} fail at once.
 */
public final class Spool implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
  static final String SUFFIX = ".spool";
  static final String CHECKPOINT = "drain.checkpoint";
  private static final int READ_CHUNK = 8 << 20;

  private final Path dir;
  private final long maxBytes;
  private final long segmentBytes;
  private final ConcurrentSkipListSet<Long> segments = new ConcurrentSkipListSet<>();
  private final AtomicLong diskBytes = new AtomicLong();
  private final AtomicLong records = new AtomicLong();
  private final AtomicLong recordBytes = new AtomicLong();
  private final Counter corrupt;
  private final Counter appended;
  private final LinkedBlockingQueue<Op> queue = new LinkedBlockingQueue<>();
  private final Thread writer;
  private volatile boolean running = true;
  private volatile IOException lastWriteError;
  private FileChannel lockChannel;
  private FileLock lock;

  // Writer thread state.
  private FileChannel out;
  private long outSeq = -1;
  private long outSize;
  private long nextSeq;
  private volatile Active active;

  // Reader (drain thread) state.
  private long readSeq;
  private long readPos;
  private boolean rollRequested;

  /** The segment being written and how much of it is durable. */
  private record Active(long seq, long durableEnd) {}

  /** What the writer thread is asked to do. */
  private sealed interface Op permits Append, Roll {}

  /** Append one encoded record; {@code done} completes once it is fsync'd. */
  private record Append(byte[] bytes, CompletableFuture<Void> done) implements Op {}

  /** Seal the current segment (the drain has read all of it), so that it can be deleted. */
  private record Roll() implements Op {}

  /** Thrown (in the append future) when the spool is at its size cap. */
  public static final class SpoolFullException extends IOException {
    private static final long serialVersionUID = 1L;

    SpoolFullException(String message) {
      super(message);
    }
  }

  /**
   * Records read from the spool, to be committed once Kafka has them.
   *
   * @param submissions the records, in spool order
   * @param seq segment they were read from
   * @param end position after the last record
   * @param bytes encoded size of the records
   */
  public record Batch(List<Submission> submissions, long seq, long end, long bytes) {
    public boolean isEmpty() {
      return submissions.isEmpty();
    }
  }

  private Spool(Path dir, long maxBytes, long segmentBytes, MeterRegistry registry) {
    this.dir = dir;
    this.maxBytes = maxBytes;
    this.segmentBytes = segmentBytes;
    this.corrupt =
        Counter.builder("edge_spool_corrupt_records")
            .description("Corrupt spool regions (torn writes) detected and skipped")
            .register(registry);
    this.appended =
        Counter.builder("edge_spool_appended_records")
            .description("Submissions written to the spool")
            .register(registry);
    Gauge.builder("edge_spool_depth_records", records, AtomicLong::get)
        .description("Records in the spool not yet in Kafka")
        .register(registry);
    Gauge.builder("edge_spool_depth_bytes", diskBytes, AtomicLong::get)
        .description("Bytes of spool segments on disk")
        .baseUnit("bytes")
        .register(registry);
    this.writer = new Thread(this::writeLoop, "edge-spool-writer");
    this.writer.setDaemon(true);
  }

  /**
   * Opens (or creates) the spool in {@code dir}: finds the segments a previous run left, counts
   * their records, and starts the writer thread.
   */
  public static Spool open(Path dir, long maxBytes, long segmentBytes, MeterRegistry registry)
      throws IOException {
    Files.createDirectories(dir);
    Spool spool = new Spool(dir, maxBytes, segmentBytes, registry);
    spool.lock();
    try {
      spool.recover();
    } catch (IOException | RuntimeException e) {
      spool.unlock();
      throw e;
    }
    spool.writer.start();
    return spool;
  }

  /** Two edges sharing one spool directory would interleave segments: refuse the second. */
  private void lock() throws IOException {
    lockChannel =
        FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      lockChannel.close();
      throw new IOException("spool directory " + dir + " is in use by another edge");
    }
  }

  private void unlock() {
    try {
      if (lock != null) {
        lock.release();
      }
      lockChannel.close();
    } catch (IOException e) {
      LOG.debug("releasing the spool lock failed: {}", e.toString());
    }
  }

  private void recover() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String name = p.getFileName().toString();
        if (name.endsWith(SUFFIX)) {
          try {
            segments.add(Long.parseLong(name.substring(0, name.length() - SUFFIX.length())));
          } catch (NumberFormatException e) {
            LOG.warn("ignoring unexpected file in the spool: {}", name);
          }
        } else if (name.endsWith(".tmp")) {
          Files.deleteIfExists(p);
        }
      }
    }
    nextSeq = segments.isEmpty() ? 0 : segments.last() + 1;
    readSeq = segments.isEmpty() ? 0 : segments.first();
    readPos = 0;
    Path cp = dir.resolve(CHECKPOINT);
    if (Files.exists(cp)) {
      try {
        String[] parts = Files.readString(cp, StandardCharsets.US_ASCII).trim().split(" ");
        long seq = Long.parseLong(parts[0]);
        long pos = Long.parseLong(parts[1]);
        if (segments.contains(seq) && pos >= 0 && pos <= Files.size(segmentPath(seq))) {
          readSeq = seq;
          readPos = pos;
        }
      } catch (RuntimeException e) {
        LOG.warn("unreadable spool checkpoint, draining from the oldest segment: {}", e.toString());
      }
    }
    for (long seq : new ArrayList<>(segments)) {
      if (seq < readSeq) {
        Files.deleteIfExists(segmentPath(seq)); // drained before the last stop
        Files.deleteIfExists(endMarker(seq));
        segments.remove(seq);
        continue;
      }
      long size = Files.size(segmentPath(seq));
      diskBytes.addAndGet(size);
      long from = seq == readSeq ? readPos : 0;
      byte[] data = readRange(seq, from, Math.min(size, endOf(seq)));
      int n = 0;
      long bytes = 0;
      int p = 0;
      while (p < data.length) {
        int len = SpoolRecordCodec.validRecordAt(data, p);
        if (len < 0) {
          LOG.warn(
              "spool segment {} ends in {} byte(s) of a torn or corrupt record at offset {};"
                  + " they are not read",
              seq,
              data.length - p,
              from + p);
          break;
        }
        n++;
        bytes += len;
        p += len;
      }
      records.addAndGet(n);
      recordBytes.addAndGet(bytes);
    }
    if (!segments.isEmpty()) {
      LOG.info(
          "spool at {} holds {} record(s) in {} segment(s) from a previous run",
          dir,
          records.get(),
          segments.size());
    }
  }

  /** Appends a submission; the future completes once it is fsync'd (or fails: spool full, I/O). */
  public CompletableFuture<Void> append(Submission s) {
    byte[] bytes = SpoolRecordCodec.encode(s);
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (!running) {
      done.completeExceptionally(new IOException("spool closed"));
      return done;
    }
    if (diskBytes.addAndGet(bytes.length) > maxBytes) {
      diskBytes.addAndGet(-bytes.length);
      done.completeExceptionally(
          new SpoolFullException("spool full (" + maxBytes + " bytes on disk)"));
      return done;
    }
    Append op = new Append(bytes, done);
    queue.add(op);
    if (!running && !writer.isAlive() && queue.remove(op)) {
      // close() stopped the writer between the check above and the add
      diskBytes.addAndGet(-bytes.length);
      done.completeExceptionally(new IOException("spool closed"));
    }
    return done;
  }

  /** Whether a record of {@code size} bytes would fit under the cap now. */
  public boolean hasRoom(long size) {
    return diskBytes.get() + size + SpoolRecordCodec.RECORD_HEADER <= maxBytes;
  }

  /** Records in the spool not yet committed as drained. */
  public long records() {
    return records.get();
  }

  /** Bytes of segment files on disk (plus appends in progress). */
  public long bytes() {
    return diskBytes.get();
  }

  /** The error of the last failed write, or null when the last write succeeded. */
  public IOException lastWriteError() {
    return lastWriteError;
  }

  /** The size cap. */
  public long maxBytes() {
    return maxBytes;
  }

  /** The spool's directory. */
  public Path dir() {
    return dir;
  }

  // ---------------------------------------------------------------------------------- writer

  private void writeLoop() {
    List<Op> batch = new ArrayList<>();
    while (running || !queue.isEmpty()) {
      Op first;
      try {
        first = queue.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        continue; // close() interrupts; the loop condition decides
      }
      if (first == null) {
        continue;
      }
      batch.clear();
      batch.add(first);
      queue.drainTo(batch, 4095);
      List<Append> written = new ArrayList<>();
      try {
        for (Op op : batch) {
          if (op instanceof Roll) {
            syncAndComplete(written);
            seal();
            continue;
          }
          Append append = (Append) op;
          if (out == null) {
            newSegment();
          }
          ByteBuffer buf = ByteBuffer.wrap(append.bytes());
          while (buf.hasRemaining()) {
            out.write(buf);
          }
          outSize += append.bytes().length;
          written.add(append);
          if (outSize >= segmentBytes) {
            syncAndComplete(written);
            seal();
          }
        }
        syncAndComplete(written);
        lastWriteError = null;
      } catch (Throwable e) {
        IOException failure = classify(e);
        if (failure instanceof SpoolFullException) {
          LOG.error("spool disk full: {}", failure.getMessage());
        } else {
          LOG.error("spool write failed", e);
        }
        lastWriteError = failure;
        for (Op op : batch) {
          if (op instanceof Append append && !append.done().isDone()) {
            diskBytes.addAndGet(-append.bytes().length);
            append.done().completeExceptionally(failure);
          }
        }
        abandonSegment();
      }
    }
    try {
      seal();
    } catch (IOException e) {
      LOG.warn("closing spool segment failed", e);
    }
  }

  /** A full disk is a full spool (507); anything else a write failure (503). */
  private IOException classify(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (t instanceof IOException && m != null && m.contains("No space left on device")) {
        return new SpoolFullException("disk full under " + dir + ": " + m);
      }
    }
    return e instanceof IOException io ? io : new IOException(e.toString(), e);
  }

  private void syncAndComplete(List<Append> written) throws IOException {
    if (written.isEmpty()) {
      return;
    }
    out.force(false);
    active = new Active(outSeq, outSize);
    long bytes = 0;
    for (Append append : written) {
      bytes += append.bytes().length;
    }
    recordBytes.addAndGet(bytes);
    records.addAndGet(written.size());
    appended.increment(written.size());
    for (Append append : written) {
      append.done().complete(null);
    }
    written.clear();
  }

  private void newSegment() throws IOException {
    long seq = nextSeq++;
    Path p = segmentPath(seq);
    out = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    outSeq = seq;
    outSize = 0;
    syncDirectory();
    // Publish the segment as active before the reader can see it, so that it never reads past the
    // durable end of a segment that is still being written.
    active = new Active(seq, 0);
    segments.add(seq);
  }

  private void seal() throws IOException {
    if (out != null) {
      out.close();
      out = null;
      active = null;
    }
  }

  /** After a failed write: cut the segment back to its durable end and start a new one. */
  private void abandonSegment() {
    if (out == null) {
      return;
    }
    Active a = active;
    long end = a != null && a.seq() == outSeq ? a.durableEnd() : 0;
    try {
      out.truncate(end);
    } catch (IOException e) {
      // The bytes after the durable end belong to appends that were answered with an error: they
      // must never be read back. Bound the segment by a marker instead.
      LOG.warn("cannot truncate spool segment {} after a failed write; marking its end", outSeq, e);
      try {
        writeAtomically(endMarker(outSeq), Long.toString(end));
      } catch (IOException markerFailure) {
        LOG.error(
            "cannot mark the end of spool segment {}; stopping the spool", outSeq, markerFailure);
        running = false;
      }
    }
    try {
      seal();
    } catch (IOException e) {
      out = null;
      active = null;
    }
  }

  private void syncDirectory() {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // Some file systems cannot fsync a directory; the segment's own fsync still holds data.
      LOG.debug("directory fsync not supported: {}", e.toString());
    }
  }

  // ---------------------------------------------------------------------------------- reader

  /**
   * Reads the next records in spool order, at most {@code maxRecords} and about {@code maxBytes}
   * (always at least one when there is one). Called from one drain thread only; the position
   * advances on {@link #commit}.
   */
  public Batch read(int maxRecords, long maxBatchBytes) throws IOException {
    while (true) {
      Long seq = segments.ceiling(readSeq);
      if (seq == null) {
        return new Batch(List.of(), readSeq, readPos, 0);
      }
      if (seq != readSeq) {
        readSeq = seq;
        readPos = 0;
      }
      Active a = active;
      boolean isActive = a != null && a.seq() == seq;
      long limit;
      try {
        limit = isActive ? a.durableEnd() : Math.min(Files.size(segmentPath(seq)), endOf(seq));
      } catch (NoSuchFileException e) {
        segments.remove(seq);
        continue;
      }
      if (readPos >= limit) {
        if (isActive) {
          if (limit > 0 && !rollRequested) {
            // Everything written so far is drained: seal the segment so it can be deleted.
            rollRequested = true;
            queue.add(new Roll());
          }
          return new Batch(List.of(), seq, readPos, 0);
        }
        deleteSegment(seq);
        continue;
      }
      long want = Math.min(limit - readPos, READ_CHUNK);
      byte[] data = readRange(seq, readPos, readPos + want);
      if (data.length >= SpoolRecordCodec.RECORD_HEADER) {
        int len = ByteBuffer.wrap(data).getInt(0);
        if (len >= SpoolRecordCodec.MIN_BODY
            && len <= SpoolRecordCodec.MAX_BODY
            && SpoolRecordCodec.RECORD_HEADER + len > data.length) {
          long whole = Math.min(limit - readPos, SpoolRecordCodec.RECORD_HEADER + (long) len);
          data = readRange(seq, readPos, readPos + whole);
        }
      }
      List<Submission> out = new ArrayList<>();
      int p = 0;
      long bytes = 0;
      while (p < data.length
          && out.size() < maxRecords
          && (out.isEmpty() || bytes < maxBatchBytes)) {
        int len = SpoolRecordCodec.validRecordAt(data, p);
        if (len < 0) {
          break;
        }
        out.add(
            SpoolRecordCodec.decode(
                data, p + SpoolRecordCodec.RECORD_HEADER, len - SpoolRecordCodec.RECORD_HEADER));
        p += len;
        bytes += len;
      }
      if (out.isEmpty()) {
        // A torn or corrupt record ends its segment (see the class comment).
        LOG.warn(
            "spool segment {}: {} byte(s) of a torn or corrupt record at offset {} end it; they"
                + " are not read",
            seq,
            limit - readPos,
            readPos);
        corrupt.increment();
        readPos = limit;
        if (isActive) {
          queue.add(new Roll()); // seal it, so that its valid part can be deleted once drained
        }
        continue;
      }
      return new Batch(out, seq, readPos + p, bytes);
    }
  }

  /** Marks a batch as safely in Kafka: the records are gone from the spool. */
  public void commit(Batch batch) throws IOException {
    if (batch.isEmpty()) {
      return;
    }
    readSeq = batch.seq();
    readPos = batch.end();
    records.addAndGet(-batch.submissions().size());
    recordBytes.addAndGet(-batch.bytes());
    Active a = active;
    boolean isActive = a != null && a.seq() == batch.seq();
    if (!isActive && readPos >= Files.size(segmentPath(batch.seq()))) {
      deleteSegment(batch.seq());
    } else {
      writeCheckpoint();
    }
  }

  private void deleteSegment(long seq) throws IOException {
    Path p = segmentPath(seq);
    long size = Files.exists(p) ? Files.size(p) : 0;
    Files.deleteIfExists(p);
    Files.deleteIfExists(endMarker(seq));
    segments.remove(seq);
    diskBytes.addAndGet(-size);
    rollRequested = false;
    readSeq = seq + 1;
    readPos = 0;
    writeCheckpoint();
  }

  private void writeCheckpoint() throws IOException {
    writeAtomically(dir.resolve(CHECKPOINT), readSeq + " " + readPos);
  }

  private static void writeAtomically(Path target, String text) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.writeString(tmp, text + "\n", StandardCharsets.US_ASCII);
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private Path endMarker(long seq) {
    return dir.resolve(String.format("%020d%s.end", seq, SUFFIX));
  }

  /** The durable end a marker records for the segment, or no bound. */
  private long endOf(long seq) throws IOException {
    Path marker = endMarker(seq);
    if (!Files.exists(marker)) {
      return Long.MAX_VALUE;
    }
    try {
      return Long.parseLong(Files.readString(marker, StandardCharsets.US_ASCII).trim());
    } catch (NumberFormatException e) {
      return 0; // an unreadable marker: nothing of the segment is trusted
    }
  }

  private byte[] readRange(long seq, long from, long to) throws IOException {
    try (FileChannel ch = FileChannel.open(segmentPath(seq), StandardOpenOption.READ)) {
      long end = Math.min(to, ch.size());
      ByteBuffer buf = ByteBuffer.allocate((int) Math.max(0, end - from));
      long pos = from;
      while (buf.hasRemaining()) {
        int n = ch.read(buf, pos);
        if (n < 0) {
          break;
        }
        pos += n;
      }
      if (buf.hasRemaining()) {
        return java.util.Arrays.copyOf(buf.array(), buf.position());
      }
      return buf.array();
    }
  }

  Path segmentPath(long seq) {
    return dir.resolve(String.format("%020d%s", seq, SUFFIX));
  }

  /** Stops the writer after it has written every queued append; segments stay for next start. */
  @Override
  public void close() {
    running = false;
    try {
      writer.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    unlock();
  }
}
