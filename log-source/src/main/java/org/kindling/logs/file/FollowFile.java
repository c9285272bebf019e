package org.kindling.logs.file;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.kindling.logs.ProcessLine;
import org.kindling.logs.PublishRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one access log by the name the server writes to, through its rotations:
 *
 * <ul>
 *   <li><b>rename</b> (logrotate's default, nginx's USR1): the path gets a new inode; the old file
 *       stays open and is read until it has not grown for {@code logs.file.close.inactive}, since
 *       the server writes to it until it reopens its log;
 *   <li><b>copy-truncate</b>: the inode stays, but the file is shorter than the read position or no
 *       longer starts with the bytes it started with; the copy (a sibling with that {@link
 *       Fingerprint}, plain or gzip'd) is read on from the same position, so the lines written
 *       between the last read and the copy are not lost, and the path is read again from 0.
 * </ul>
 *
 * <p>Siblings are the files next to it whose name is the followed name plus {@code .} or {@code -}
 * and anything ({@code access.log.1}, {@code access.log.2.gz}, {@code access.log-20261127}). They
 * are recognised by content, not by name: a rotated file keeps its fingerprint when it is renamed
 * again or compressed. A rotated file read to its end is remembered as "known" (its fingerprint, in
 * the checkpoint), so it is never read twice; gzip'd files are read once, to the end.
 *
 * <p>On restart, each file of the checkpoint is found again by inode and fingerprint (or by
 * fingerprint alone, after a compression or a copy), and read on from its acknowledged position;
 * siblings that are neither in the checkpoint nor known and changed after it was written (the
 * server rotated more than once while the source was down) are read from their start.
 */
final class FollowFile implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FollowFile.class);
  private static final int MAX_KNOWN = 10_000;
  // A truncated file that grew past the read position again shows only in its head.
  private static final long HEAD_CHECK_NANOS = Duration.ofMillis(200).toNanos();
  // How often the siblings are listed for files the follower has not seen.
  private static final long SCAN_NANOS = Duration.ofSeconds(1).toNanos();

  private final Path path;
  private final String name;
  private final byte[] source;
  private final ProcessLine process;
  private final PublishRecords publisher;
  private final String startPolicy;
  private final long closeInactiveNanos;
  private final int maxLineBytes;
  private final List<TrackedFile> tracked = new ArrayList<>();
  private final Set<Fingerprint> known = new LinkedHashSet<>();
  private boolean started;
  private FileCheckpoint.Entry pendingSaved;
  private Instant pendingSavedAt;
  private long lastHeadCheck;
  private long lastScan = System.nanoTime();

  /** Heads of siblings by inode, size and time, so an unchanged file is read once. */
  private final java.util.Map<String, ReadHead.Head> heads = new java.util.HashMap<>();

  private long losses;
  private String status = "not started";

  /**
   * @param path the followed path, as configured
   * @param sourceName {@code logs.source.name}; the document ids derive from it, the path and the
   *     line
   * @param startPolicy {@code logs.file.start}
   */
  FollowFile(
      Path path,
      String sourceName,
      ProcessLine process,
      PublishRecords publisher,
      String startPolicy,
      Duration closeInactive,
      int maxLineBytes) {
    this.path = path;
    this.name = path.toString();
    this.source = (sourceName + ":" + name).getBytes(StandardCharsets.UTF_8);
    this.process = process;
    this.publisher = publisher;
    this.startPolicy = startPolicy;
    this.closeInactiveNanos = closeInactive.toNanos();
    this.maxLineBytes = maxLineBytes;
  }

  Path path() {
    return path;
  }

  /** How this file is doing, for the heartbeat. */
  String status() {
    return status;
  }

  /**
   * Finds the files of the checkpoint again, or starts per {@code logs.file.start} when there is
   * none.
   *
   * @param saved this file's checkpoint, or null
   * @param savedAt when the checkpoint was written, or null
   */
  void start(FileCheckpoint.Entry saved, Instant savedAt) throws IOException {
    pendingSaved = saved;
    pendingSavedAt = savedAt;
    startPending();
  }

  /**
   * Starts from the checkpoint given to {@link #start}; when that fails (the file cannot be read)
   * nothing is kept open and the next {@link #poll} tries again with the same checkpoint, which
   * {@link #checkpoint()} writes back unchanged meanwhile.
   */
  private void startPending() throws IOException {
    try {
      List<Candidate> siblings = siblings();
      if (pendingSaved == null) {
        startFresh(siblings);
      } else {
        resume(pendingSaved, pendingSavedAt, siblings);
      }
      started = true;
      checkPath();
    } catch (IOException | RuntimeException e) {
      if (!started) {
        close();
        known.clear();
        status = "cannot be read: " + e;
      }
      throw e;
    }
  }

  private void startFresh(List<Candidate> siblings) throws IOException {
    if (startPolicy.equals("all")) {
      siblings.sort(Comparator.comparing(Candidate::modified));
      for (Candidate c : siblings) {
        if (c.head.length() > 0) {
          track(c, 0, false);
        }
      }
    } else {
      for (Candidate c : siblings) {
        if (c.head.length() > 0) {
          known.add(c.head.fingerprint());
        }
      }
    }
    BasicFileAttributes attrs = stat(path);
    if (attrs != null) {
      Candidate live = candidate(path, attrs);
      TrackedFile t = track(live, startPolicy.equals("end") ? attrs.size() : 0, true);
      if (startPolicy.equals("end")) {
        t.skipPartialLine();
      }
    }
  }

  private void resume(FileCheckpoint.Entry saved, Instant savedAt, List<Candidate> siblings)
      throws IOException {
    List<Candidate> candidates = new ArrayList<>();
    BasicFileAttributes attrs = stat(path);
    Candidate live = attrs == null ? null : candidate(path, attrs);
    if (live != null) {
      candidates.add(live);
    }
    candidates.addAll(siblings);
    for (FileCheckpoint.Position p : saved.files()) {
      Candidate match = null;
      for (Candidate c : candidates) {
        if (c.key.equals(p.key())
            && (p.fingerprint().length() == 0
                || p.fingerprint().matches(c.head.bytes(), c.head.length()))) {
          match = c;
          break;
        }
      }
      if (match == null) {
        for (Candidate c : candidates) {
          if (p.fingerprint().matches(c.head.bytes(), c.head.length())) {
            match = c;
            break;
          }
        }
      }
      if (match == null) {
        losses++;
        LOG.warn(
            "{}: a file read up to position {} is gone (deleted while the log source was down);"
                + " whatever it had after that position is lost",
            name,
            p.offset());
        continue;
      }
      candidates.remove(match);
      track(match, p.offset(), match == live);
    }
    for (String f : saved.known()) {
      known.add(Fingerprint.parse(f));
    }
    // forget known files that no longer exist
    Set<Fingerprint> present = new LinkedHashSet<>();
    for (Candidate c : siblings) {
      for (Fingerprint k : known) {
        if (k.matches(c.head.bytes(), c.head.length())) {
          present.add(k);
        }
      }
    }
    known.retainAll(present);
    for (Candidate c : candidates) {
      if (c == live) {
        continue; // a new file at the path: checkPath tracks it from 0
      }
      if (c.head.length() == 0 || isKnown(c.head)) {
        continue;
      }
      if (savedAt != null && c.modified.isAfter(savedAt)) {
        LOG.info(
            "{}: reading rotated file {}, written while the log source was down", name, c.path);
        track(c, 0, false);
      } else {
        known.add(c.head.fingerprint());
      }
    }
  }

  private boolean isKnown(ReadHead.Head head) {
    for (Fingerprint k : known) {
      if (k.matches(head.bytes(), head.length())) {
        return true;
      }
    }
    return false;
  }

  private TrackedFile track(Candidate c, long offset, boolean live) throws IOException {
    TrackedFile t = new TrackedFile(c.path, c.key, c.head, offset, live, maxLineBytes);
    tracked.add(t);
    return t;
  }

  /**
   * One round: checks the path for rotation and truncation, reads one buffer from each open file
   * while Kafka has room, retires rotated files that are done. Returns whether anything was read.
   */
  boolean poll() throws IOException {
    if (!started) {
      startPending();
    }
    checkPath();
    long now = System.nanoTime();
    if (now - lastScan >= SCAN_NANOS) {
      lastScan = now;
      scanSiblings();
    }
    boolean progress = false;
    for (TrackedFile t : tracked) {
      if (!publisher.hasCapacity()) {
        break;
      }
      progress |= t.read(process, source, publisher) > 0;
    }
    retire();
    long lag = 0;
    for (TrackedFile t : tracked) {
      lag += t.lag();
    }
    process.metrics().lagBytes(lag);
    return progress;
  }

  /**
   * Reads new rotated files whose content is neither open nor known: a copy-truncate copy of lines
   * the follower never saw in the original (the server wrote them and the file was copied and
   * truncated between two looks), or a file that appeared by any other way. A sibling whose head is
   * that of an open file (its copy or compressed form, before the truncation is noticed) is left to
   * {@link #truncated}.
   */
  private void scanSiblings() throws IOException {
    List<Candidate> siblings = siblings();
    if (heads.size() > 1000) {
      heads.clear();
    }
    for (Candidate c : siblings) {
      if (c.head.length() == 0 || isKnown(c.head)) {
        continue;
      }
      boolean open = false;
      for (TrackedFile t : tracked) {
        open |= t.fileKey.equals(c.key) || t.fingerprint.matches(c.head.bytes(), c.head.length());
      }
      if (!open) {
        LOG.info("{}: reading new rotated file {} from its start", name, c.path);
        track(c, 0, false);
      }
    }
  }

  /** Notices a new file at the path (rename rotation) or a truncated one (copy-truncate). */
  private void checkPath() throws IOException {
    BasicFileAttributes attrs = stat(path);
    TrackedFile live = null;
    for (TrackedFile t : tracked) {
      if (t.live) {
        live = t;
      }
    }
    if (attrs == null) {
      if (live != null) {
        live.live = false; // deleted or renamed, nothing new yet: read on what is open
      }
      status = tracked.isEmpty() ? "waiting for " + name + " to exist" : "following";
      return;
    }
    if (!attrs.isRegularFile()) {
      status = name + " is not a regular file";
      throw new IOException(name + " is not a regular file");
    }
    String key = String.valueOf(attrs.fileKey());
    if (live != null && live.fileKey.equals(key)) {
      // the size check is free; the head is read at most every HEAD_CHECK_NANOS
      boolean truncated = attrs.size() < live.readPos();
      long now = System.nanoTime();
      if (!truncated && now - lastHeadCheck >= HEAD_CHECK_NANOS) {
        lastHeadCheck = now;
        truncated = !live.headUnchanged();
        if (!truncated) {
          live.refreshFingerprint();
        }
      }
      if (truncated) {
        truncated(live);
      }
      status = "following";
      return;
    }
    if (live != null) {
      live.live = false; // renamed away: the server may still write to it for a while
    }
    for (TrackedFile t : tracked) {
      if (t.fileKey.equals(key)) {
        t.live = true; // a file we read came back (renamed back by hand)
        return;
      }
    }
    Candidate c = candidate(path, attrs);
    track(c, 0, true);
    status = "following";
  }

  private void truncated(TrackedFile live) throws IOException {
    Candidate copy = null;
    for (Candidate c : siblings()) {
      boolean open = false;
      for (TrackedFile t : tracked) {
        open |= t.fileKey.equals(c.key);
      }
      if (!open && live.fingerprint.matches(c.head.bytes(), c.head.length())) {
        copy = c;
        break;
      }
    }
    if (copy != null) {
      LOG.info("{} was truncated (copy-truncate); reading on in its copy {}", name, copy.path);
      live.moveTo(copy.path, copy.key, copy.head);
    } else {
      losses++;
      LOG.warn(
          "{} was truncated and no rotated copy of it was found; lines written after position {}"
              + " and before the truncation are lost",
          name,
          live.readPos());
      live.live = false;
      live.abandoned = true;
    }
    BasicFileAttributes attrs = stat(path);
    if (attrs != null) {
      track(candidate(path, attrs), 0, true);
    }
  }

  /** Closes rotated files that are read, acknowledged and idle, and remembers them as known. */
  private void retire() throws IOException {
    Iterator<TrackedFile> it = tracked.iterator();
    while (it.hasNext()) {
      TrackedFile t = it.next();
      if (t.live) {
        continue;
      }
      boolean finished =
          t.abandoned || (t.atEnd() && (t.gzip || t.idleNanos() >= closeInactiveNanos));
      if (!finished) {
        continue;
      }
      t.flushPartialLine(process, source, publisher);
      if (!t.allAcknowledged()) {
        continue;
      }
      if (!t.abandoned && t.fingerprint.length() > 0) {
        known.add(t.fingerprint);
        while (known.size() > MAX_KNOWN) {
          known.remove(known.iterator().next());
        }
      }
      t.close();
      it.remove();
    }
  }

  /** Moves every file's acknowledged position; returns whether one moved. */
  boolean advance() {
    boolean moved = false;
    for (TrackedFile t : tracked) {
      moved |= t.advance();
    }
    return moved;
  }

  /** This file's part of the checkpoint (the one it was given while it could not start yet). */
  FileCheckpoint.Entry checkpoint() {
    if (!started) {
      return pendingSaved;
    }
    List<FileCheckpoint.Position> files = new ArrayList<>();
    for (TrackedFile t : tracked) {
      if (!t.abandoned) {
        files.add(
            new FileCheckpoint.Position(
                t.fileKey, t.path.toString(), t.fingerprint, t.committed()));
      }
    }
    List<String> k = new ArrayList<>();
    known.forEach(f -> k.add(f.toString()));
    return new FileCheckpoint.Entry(files, k);
  }

  /** Files open, for tests and the heartbeat. */
  int openFiles() {
    return tracked.size();
  }

  /** Times a part of the file could not be read (deleted or truncated without a copy). */
  long losses() {
    return losses;
  }

  private List<Candidate> siblings() throws IOException {
    return siblings(heads);
  }

  private List<Candidate> siblings(java.util.Map<String, ReadHead.Head> cache) throws IOException {
    List<Candidate> out = new ArrayList<>();
    Path dir = path.toAbsolutePath().getParent();
    String base = path.getFileName().toString();
    if (dir == null || !Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path p : files) {
        String n = p.getFileName().toString();
        if (n.length() > base.length() + 1
            && n.startsWith(base)
            && (n.charAt(base.length()) == '.' || n.charAt(base.length()) == '-')) {
          BasicFileAttributes attrs = stat(p);
          if (attrs != null && attrs.isRegularFile()) {
            try {
              String id = attrs.fileKey() + "/" + attrs.size() + "/" + attrs.lastModifiedTime();
              ReadHead.Head head = cache.get(id);
              if (head == null) {
                head = ReadHead.of(p);
                if (head.length() > 0) {
                  cache.put(id, head);
                }
              }
              out.add(
                  new Candidate(
                      p,
                      String.valueOf(attrs.fileKey()),
                      attrs.lastModifiedTime().toInstant(),
                      head));
            } catch (NoSuchFileException e) {
              // gone between the listing and the read (logrotate at work)
            }
          }
        }
      }
    }
    return out;
  }

  private static Candidate candidate(Path p, BasicFileAttributes attrs) throws IOException {
    return new Candidate(
        p, String.valueOf(attrs.fileKey()), attrs.lastModifiedTime().toInstant(), ReadHead.of(p));
  }

  private static BasicFileAttributes stat(Path p) {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class);
    } catch (IOException e) {
      return null;
    }
  }

  /** A file found next to the followed one (or the followed one). */
  private record Candidate(Path path, String key, Instant modified, ReadHead.Head head) {}

  @Override
  public void close() {
    tracked.forEach(TrackedFile::close);
    tracked.clear();
  }
}
