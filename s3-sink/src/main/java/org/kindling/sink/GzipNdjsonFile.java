package org.kindling.sink;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;

/** A gzip'd newline-delimited file: one line per item, streamed to disk. */
final class GzipNdjsonFile<T> implements RecordFile<T> {
  /** The deflater's window and the stream buffers: what this file holds in memory. */
  private static final long BUFFERED = 128 * 1024;

  private final OutputStream out;
  private final Function<T, byte[]> line;
  private boolean closed;

  GzipNdjsonFile(Path tmp, Function<T, byte[]> line) throws IOException {
    this.out = new GZIPOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16));
    this.line = line;
  }

  @Override
  public void write(T item) throws IOException {
    out.write(line.apply(item));
    out.write('\n');
  }

  @Override
  public long bufferedBytes() {
    return BUFFERED;
  }

  @Override
  public void finish() throws IOException {
    closed = true;
    out.close();
  }

  @Override
  public void abort() {
    if (!closed) {
      closed = true;
      try {
        out.close();
      } catch (IOException e) {
        // the file is deleted next
      }
    }
  }
}
