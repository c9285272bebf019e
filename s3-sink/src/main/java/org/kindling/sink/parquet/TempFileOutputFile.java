package org.kindling.sink.parquet;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * A Parquet {@link OutputFile} on a local temporary file, without Hadoop's file system: the open
 * file grows on disk (not in the heap) until it is uploaded whole.
 */
public final class TempFileOutputFile implements OutputFile {
  private final Path path;
  private CountingStream stream;

  public TempFileOutputFile(Path path) {
    this.path = path;
  }

  public Path path() {
    return path;
  }

  /** Bytes written so far (row groups already flushed from memory). */
  public long written() {
    return stream == null ? 0 : stream.pos;
  }

  @Override
  public PositionOutputStream create(long blockSizeHint) throws IOException {
    return createOrOverwrite(blockSizeHint);
  }

  @Override
  public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
    stream = new CountingStream(new BufferedOutputStream(Files.newOutputStream(path), 1 << 16));
    return stream;
  }

  @Override
  public boolean supportsBlockSize() {
    return false;
  }

  @Override
  public long defaultBlockSize() {
    return 0;
  }

  @Override
  public String getPath() {
    return path.toString();
  }

  private static final class CountingStream extends PositionOutputStream {
    private final OutputStream out;
    private long pos;

    CountingStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public long getPos() {
      return pos;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      pos++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      pos += len;
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }
}
