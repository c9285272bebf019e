package org.kindling.logs.file;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kindling.core.Json;
import org.kindling.core.config.ConfigException;

/**
 * The checkpoint of the followed files, {@code checkpoint.json} in {@code logs.checkpoint.dir}: for
 * each followed path, the open files (inode, fingerprint, the position up to which Kafka has
 * acknowledged every record) and the fingerprints of the rotated files already read to the end.
 *
 * <p>Written atomically: to {@code checkpoint.json.tmp}, forced to disk, renamed over the old one,
 * and the directory forced, so a crash at any moment leaves the old or the new checkpoint whole.
 * The directory is locked ({@code lock}) while the source runs: two processes on one checkpoint
 * would each count the other's lines again.
 */
public final class FileCheckpoint implements AutoCloseable {
  static final String FILE = "checkpoint.json";

  /** One open file: where it is, what it is and how far it is acknowledged. */
  record Position(String key, String path, Fingerprint fingerprint, long offset) {}

  /** The state of one followed path. */
  record Entry(List<Position> files, List<String> known) {}

  /** A checkpoint as read back. */
  record Snapshot(Instant savedAt, Map<String, Entry> files) {}

  private final Path dir;
  private final Clock clock;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private String lastWritten;

  private FileCheckpoint(Path dir, Clock clock, FileChannel lockChannel, FileLock lock) {
    this.dir = dir;
    this.clock = clock;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /**
   * Opens (and locks) the checkpoint directory, creating it when missing.
   *
   * @throws ConfigException when another log source holds it
   */
  public static FileCheckpoint open(Path dir, Clock clock) throws IOException {
    Files.createDirectories(dir);
    FileChannel ch =
        FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      ch.close();
      throw new ConfigException(
          "another log source is using the checkpoint directory "
              + dir
              + " (logs.checkpoint.dir); give each one its own");
    }
    return new FileCheckpoint(dir, clock, ch, lock);
  }

  /** The last checkpoint written, or null when there is none. */
  Snapshot read() throws IOException {
    Path f = dir.resolve(FILE);
    if (!Files.exists(f)) {
      return null;
    }
    JsonNode root = Json.mapper().readTree(Files.readAllBytes(f));
    Map<String, Entry> files = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : root.path("files").properties()) {
      List<Position> positions = new ArrayList<>();
      for (JsonNode p : e.getValue().path("open")) {
        positions.add(
            new Position(
                p.path("key").asText(),
                p.path("path").asText(),
                Fingerprint.parse(p.path("fingerprint").asText()),
                p.path("offset").asLong()));
      }
      List<String> known = new ArrayList<>();
      e.getValue().path("known").forEach(k -> known.add(k.asText()));
      files.put(e.getKey(), new Entry(positions, known));
    }
    String at = root.path("saved_at").asText(null);
    return new Snapshot(at == null ? null : Instant.parse(at), files);
  }

  /** Writes the checkpoint when it differs from the last one written; returns whether it did. */
  boolean write(Map<String, Entry> files) throws IOException {
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("version", 1);
    ObjectNode fs = root.putObject("files");
    files.forEach(
        (name, entry) -> {
          ObjectNode n = fs.putObject(name);
          ArrayNode open = n.putArray("open");
          for (Position p : entry.files()) {
            ObjectNode o = open.addObject();
            o.put("key", p.key());
            o.put("path", p.path());
            o.put("fingerprint", p.fingerprint().toString());
            o.put("offset", p.offset());
          }
          ArrayNode known = n.putArray("known");
          entry.known().forEach(known::add);
        });
    String content = root.toString();
    if (content.equals(lastWritten)) {
      return false;
    }
    root.put("saved_at", clock.instant().toString());
    Path tmp = dir.resolve(FILE + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(java.nio.ByteBuffer.wrap(root.toString().getBytes(StandardCharsets.UTF_8)));
      ch.force(true);
    }
    try {
      Files.move(
          tmp,
          dir.resolve(FILE),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the checkpoint directory " + dir + " does not support atomic renames");
    }
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true); // the rename itself is durable only once the directory is
    } catch (IOException e) {
      // some file systems cannot open a directory; the rename is still atomic there
    }
    lastWritten = content;
    return true;
  }

  @Override
  public void close() {
    try {
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      // releasing a lock on the way out
    }
  }
}
