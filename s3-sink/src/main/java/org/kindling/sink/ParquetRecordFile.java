package org.kindling.sink;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.hadoop.ParquetWriter;
import org.kindling.sink.parquet.ParquetFiles;
import org.kindling.sink.parquet.TempFileOutputFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A Parquet file being written: row groups buffered in memory, flushed to the temporary file. */
final class ParquetRecordFile<T> implements RecordFile<T> {
  private static final Logger LOG = LoggerFactory.getLogger(ParquetRecordFile.class);

  private final TempFileOutputFile out;
  private final ParquetWriter<GenericRecord> writer;
  private final Function<T, GenericRecord> row;
  private boolean closed;

  ParquetRecordFile(ParquetFiles files, Schema schema, Path tmp, Function<T, GenericRecord> row)
      throws IOException {
    this.out = new TempFileOutputFile(tmp);
    this.writer = files.open(schema, out);
    this.row = row;
  }

  @Override
  public void write(T item) throws IOException {
    writer.write(row.apply(item));
  }

  @Override
  public long bufferedBytes() {
    return Math.max(0, writer.getDataSize() - out.written());
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
