package org.kindling.logs.file;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** The first bytes of a log file, uncompressed when it is gzip'd (told by its magic bytes). */
final class ReadHead {
  private ReadHead() {}

  /**
   * The file's first bytes (at most {@link Fingerprint#MAX_LENGTH}) and whether it is gzip'd.
   *
   * @param bytes the head
   * @param length how many of {@code bytes} the file has
   * @param gzip whether the file is gzip'd
   */
  record Head(byte[] bytes, int length, boolean gzip) {
    Fingerprint fingerprint() {
      return Fingerprint.of(bytes, Math.min(length, Fingerprint.MAX_LENGTH));
    }
  }

  /** The head of the file at {@code path}. */
  static Head of(Path path) throws IOException {
    try (FileChannel ch = FileChannel.open(path)) {
      return of(ch, path);
    }
  }

  /** The head of the open file {@code ch} (read at absolute positions; its position is kept). */
  static Head of(FileChannel ch, Path path) throws IOException {
    byte[] b = new byte[Fingerprint.MAX_LENGTH];
    int n = readFully(ch, b);
    if (n >= 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b) {
      return new Head(b, gunzipHead(path, b), true);
    }
    return new Head(b, n, false);
  }

  static boolean isGzip(FileChannel ch) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(2);
    int n = 0;
    while (buf.hasRemaining()) {
      int r = ch.read(buf, n);
      if (r < 0) {
        break;
      }
      n += r;
    }
    return n == 2 && (buf.get(0) & 0xff) == 0x1f && (buf.get(1) & 0xff) == 0x8b;
  }

  private static int readFully(FileChannel ch, byte[] b) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(b);
    long pos = 0;
    while (buf.hasRemaining()) {
      int r = ch.read(buf, pos);
      if (r <= 0) {
        break;
      }
      pos += r;
    }
    return buf.position();
  }

  private static int gunzipHead(Path path, byte[] into) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(path), 8192)) {
      int n = 0;
      while (n < into.length) {
        int r = in.read(into, n, into.length - n);
        if (r < 0) {
          break;
        }
        n += r;
      }
      return n;
    } catch (java.io.EOFException | java.util.zip.ZipException e) {
      // being written (logrotate compressing it right now): only what it has so far
      return 0;
    }
  }
}
