package org.kindling.sink;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.hadoop.ParquetWriter;
import org.kindling.schemas.parquet.LakeLimits;
import org.kindling.sink.parquet.ParquetFiles;
import org.kindling.sink.parquet.TempFileOutputFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Parquet file being written: row groups buffered in memory, flushed to the temporary file.
 *
 * <p>An open writer also holds buffers and encoders for every leaf column, whatever it has written:
 * measured 4.3 MB for the 521 leaf columns of the real {@code telemetry/main/main.4} layout and 35
 * MB for 1,833 columns ({@code OpenWriterMemoryIT}), which the writer's own data size does not
 * count. {@link #bufferedBytes()} adds {@value #PER_LEAF_COLUMN_BYTES} bytes per leaf column, so
 * the sink's memory bound ({@code sink.max.buffered.bytes}) also bounds the writers of wide
 * schemas.
 */
final class ParquetRecordFile<T> implements RecordFile<T> {
  private static final Logger LOG = LoggerFactory.getLogger(ParquetRecordFile.class);

  /** Heap of an open writer per leaf column, rounded up from the measurements above. */
  static final long PER_LEAF_COLUMN_BYTES = 20 * 1024;

  private final TempFileOutputFile out;
  private final ParquetWriter<GenericRecord> writer;
  private final Function<T, GenericRecord> row;
  private final long fixedBytes;
  private boolean closed;

  ParquetRecordFile(ParquetFiles files, Schema schema, Path tmp, Function<T, GenericRecord> row)
      throws IOException {
    this.out = new TempFileOutputFile(tmp);
    this.writer = files.open(schema, out);
    this.row = row;
    this.fixedBytes = LakeLimits.leafColumns(schema) * PER_LEAF_COLUMN_BYTES;
  }

  @Override
  public void write(T item) throws IOException {
    writer.write(row.apply(item));
  }

  @Override
  public long bufferedBytes() {
    return Math.max(0, writer.getDataSize() - out.written()) + fixedBytes;
  }

  @Override
  public void finish() throws IOException {
    closed = true;
    writer.close();
  }

  @Override
  public void abort() {
    if (!closed) {
      closed = true;
      try {
        writer.close();
      } catch (IOException | RuntimeException e) {
        LOG.debug("closing an aborted file", e);
      }
    }
  }
}
