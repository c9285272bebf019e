package org.kindling.sink.parquet;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

/**
 * Parquet page compression on zstd-jni and snappy-java directly. Parquet's own codec factory goes
 * through Hadoop's codec classes, which are not on the class path: Hadoop is a provided dependency
 * of parquet-hadoop and the sink does not ship it.
 */
public final class Codecs implements CompressionCodecFactory {
  /** zstd level 3: zstd's default, most of the ratio at a few hundred MB/s per core. */
  static final int ZSTD_LEVEL = 3;

  @Override
  public BytesInputCompressor getCompressor(CompressionCodecName codec) {
    switch (codec) {
      case ZSTD:
        return new Compressor(codec) {
          @Override
          byte[] compress(byte[] in) {
            return Zstd.compress(in, ZSTD_LEVEL);
          }
        };
      case SNAPPY:
        return new Compressor(codec) {
          @Override
          byte[] compress(byte[] in) throws IOException {
            return Snappy.compress(in);
          }
        };
      case UNCOMPRESSED:
        return new Compressor(codec) {
          @Override
          byte[] compress(byte[] in) {
            return in;
          }
        };
      default:
        throw new IllegalArgumentException("unsupported Parquet codec " + codec);
    }
  }

  @Override
  public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
    switch (codec) {
      case ZSTD:
      case SNAPPY:
      case UNCOMPRESSED:
        return new Decompressor(codec);
      default:
        throw new IllegalArgumentException("unsupported Parquet codec " + codec);
    }
  }

  @Override
  public void release() {}

  private static byte[] bytes(BytesInput in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.toIntExact(in.size()));
    in.writeAllTo(out);
    return out.toByteArray();
  }

  private abstract static class Compressor implements BytesInputCompressor {
    private final CompressionCodecName codec;

    Compressor(CompressionCodecName codec) {
      this.codec = codec;
    }

    abstract byte[] compress(byte[] in) throws IOException;

    @Override
    public BytesInput compress(BytesInput bytes) throws IOException {
      return BytesInput.from(compress(bytes(bytes)));
    }

    @Override
    public CompressionCodecName getCodecName() {
      return codec;
    }

    @Override
    public void release() {}
  }

  private static final class Decompressor implements BytesInputDecompressor {
    private final CompressionCodecName codec;

    Decompressor(CompressionCodecName codec) {
      this.codec = codec;
    }

    private byte[] decompress(byte[] in, int size) throws IOException {
      switch (codec) {
        case ZSTD:
          return Zstd.decompress(in, size);
        case SNAPPY:
          byte[] out = new byte[size];
          Snappy.uncompress(in, 0, in.length, out, 0);
          return out;
        default:
          return in;
      }
    }

    @Override
    public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
      return BytesInput.from(decompress(bytes(bytes), uncompressedSize));
    }

    @Override
    public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int size)
        throws IOException {
      byte[] in = new byte[compressedSize];
      input.get(in);
      output.put(decompress(in, size));
    }

    @Override
    public void release() {}
  }
}
