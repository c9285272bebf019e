package org.kindling.sink.parquet;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/** Opens parquet-avro writers that need no Hadoop at run time. */
public final class ParquetFiles {
  private static final Codecs CODECS = new Codecs();

  private final CompressionCodecName codec;
  private final long rowGroupSize;
  private final int pageSize;

  /**
   * @param compression zstd, snappy or uncompressed
   */
  public ParquetFiles(String compression, long rowGroupSize, long pageSize) {
    this.codec = CompressionCodecName.valueOf(compression.toUpperCase(Locale.ROOT));
    this.rowGroupSize = rowGroupSize;
    this.pageSize = Math.toIntExact(pageSize);
  }

  /** A writer of {@code schema} rows into {@code file}. */
  public ParquetWriter<GenericRecord> open(Schema schema, TempFileOutputFile file)
      throws IOException {
    // Three-level lists, the layout every engine reads, and the only one that allows null items.
    PlainParquetConfiguration conf =
        new PlainParquetConfiguration(Map.of("parquet.avro.write-old-list-structure", "false"));
    return AvroParquetWriter.<GenericRecord>builder(file)
        .withSchema(schema)
        .withDataModel(GenericData.get())
        .withConf(conf)
        .withCodecFactory(CODECS)
        .withCompressionCodec(codec)
        .withRowGroupSize(rowGroupSize)
        .withPageSize(pageSize)
        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
        .build();
  }
}
