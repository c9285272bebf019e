package org.kindling.edge;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Spooled submissions that Kafka refused for good (larger than the topic takes, or a record error
 * that no retry can cure), kept on disk instead of dropped: every one of them was answered 200. The
 * file ({@code refused/refused.records} in the spool directory, records as {@link SpoolRecordCodec}
 * writes them, fsync'd) is small and rarely written; the drain offers its records to Kafka again
 * now and then (an operator may have raised the topic's {@code max.message.bytes}) and removes
 * those Kafka takes.
 */
final class RefusedRecords {
  static final String DIR = "refused";
  static final String FILE = "refused.records";

  private final Path file;
  private volatile int count;

  RefusedRecords(Path spoolDir) throws IOException {
    this.file = spoolDir.resolve(DIR).resolve(FILE);
    this.count = Files.exists(file) ? read().size() : 0;
  }

  /** Keeps {@code s}, durably, before it leaves the spool. */
  synchronized void add(Submission s) throws IOException {
    byte[] bytes = SpoolRecordCodec.encode(s);
    Files.createDirectories(file.getParent());
    try (FileChannel ch =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(false);
    }
    count++;
  }

  /** The refused submissions, oldest first (a torn record at the end is left out). */
  synchronized List<Submission> read() throws IOException {
    List<Submission> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    byte[] data = Files.readAllBytes(file);
    int p = 0;
    while (p < data.length) {
      int len = SpoolRecordCodec.validRecordAt(data, p);
      if (len < 0) {
        break;
      }
      out.add(
          SpoolRecordCodec.decode(
              data, p + SpoolRecordCodec.RECORD_HEADER, len - SpoolRecordCodec.RECORD_HEADER));
      p += len;
    }
    return out;
  }

  /** Replaces the file with {@code remaining} (after some went to Kafka), atomically. */
  synchronized void replace(List<Submission> remaining) throws IOException {
    if (remaining.isEmpty()) {
      Files.deleteIfExists(file);
      count = 0;
      return;
    }
    Path tmp = file.resolveSibling(FILE + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      for (Submission s : remaining) {
        ByteBuffer b = ByteBuffer.wrap(SpoolRecordCodec.encode(s));
        while (b.hasRemaining()) {
          ch.write(b);
        }
      }
      ch.force(false);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
    count = remaining.size();
  }

  /** How many submissions are kept. */
  int count() {
    return count;
  }
}
