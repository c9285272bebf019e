package org.kindling.validator;

import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Step 2: inflates a gzip body. Gzip is recognised by its magic bytes ({@code 1f 8b}), not by the
 * {@code content_encoding} attribute, which clients get wrong. Inflation stops at a hard cap so a
 * small gzip bomb cannot exhaust memory: beyond it the submission is {@code payload_too_large}; a
 * corrupt or truncated stream (bad header, bad deflate data, CRC or length mismatch) is {@code
 * decompression}. A body that is not gzip passes unchanged (but is held to the same cap).
 *
 * <p>The gzip framing (RFC 1952, several members allowed) is read here around a raw {@link
 * Inflater} that each thread reuses: creating an inflater and a {@code GZIPInputStream} per record
 * cost about as much as inflating a typical ping.
 */
public final class DecompressPayload {
  private static final int FHCRC = 2;
  private static final int FEXTRA = 4;
  private static final int FNAME = 8;
  private static final int FCOMMENT = 16;

  private final long maxBytes;
  private final ThreadLocal<Inflater> inflaters = ThreadLocal.withInitial(() -> new Inflater(true));

  /**
   * @param maxBytes the largest decoded body accepted
   */
  public DecompressPayload(long maxBytes) {
    if (maxBytes <= 0 || maxBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("max decompressed bytes out of range: " + maxBytes);
    }
    this.maxBytes = maxBytes;
  }

  public void apply(Submission s) throws RejectedSubmission {
    s.decoded(decode(s.raw()));
  }

  /** Whether {@code bytes} start with the gzip magic number. */
  public static boolean isGzip(byte[] bytes) {
    return isGzipAt(bytes, 0);
  }

  private static boolean isGzipAt(byte[] b, int pos) {
    return b.length - pos >= 2 && (b[pos] & 0xff) == 0x1f && (b[pos + 1] & 0xff) == 0x8b;
  }

  /** The decoded body. */
  public byte[] decode(byte[] raw) throws RejectedSubmission {
    if (!isGzip(raw)) {
      if (raw.length > maxBytes) {
        throw tooLarge();
      }
      return raw;
    }
    byte[] out = new byte[(int) Math.min(maxBytes + 1, Math.max(1024L, raw.length * 6L))];
    int length = 0;
    int pos = 0;
    Inflater inflater = inflaters.get();
    CRC32 crc = new CRC32();
    try {
      do {
        pos = skipHeader(raw, pos);
        inflater.reset();
        inflater.setInput(raw, pos, raw.length - pos);
        crc.reset();
        int memberStart = length;
        while (!inflater.finished()) {
          if (length == out.length) {
            if (length > maxBytes) {
              throw tooLarge();
            }
            out = Arrays.copyOf(out, (int) Math.min(maxBytes + 1, out.length * 2L));
          }
          int n = inflater.inflate(out, length, out.length - length);
          if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
            throw corrupt("Unexpected end of ZLIB input stream");
          }
          length += n;
          if (length > maxBytes) {
            throw tooLarge();
          }
        }
        crc.update(out, memberStart, length - memberStart);
        pos = raw.length - inflater.getRemaining();
        if (raw.length - pos < 8) {
          throw corrupt("truncated gzip trailer");
        }
        if (readInt(raw, pos) != (int) crc.getValue()
            || readInt(raw, pos + 4) != length - memberStart) {
          throw corrupt("corrupt gzip stream (CRC or size mismatch)");
        }
        pos += 8;
        // like GZIPInputStream: another member follows only if it starts with the magic number
      } while (isGzipAt(raw, pos));
    } catch (DataFormatException e) {
      throw new RejectedSubmission(
          ErrorTypes.DECOMPRESSION, "invalid gzip stream: " + e.getMessage(), e);
    }
    return length == out.length ? out : Arrays.copyOf(out, length);
  }

  /** The position after the member header at {@code pos}. */
  private static int skipHeader(byte[] b, int pos) throws RejectedSubmission {
    if (b.length - pos < 10 || !isGzipAt(b, pos) || b[pos + 2] != 8) {
      throw corrupt("not in gzip format");
    }
    int flags = b[pos + 3] & 0xff;
    int p = pos + 10;
    if ((flags & FEXTRA) != 0) {
      if (b.length - p < 2) {
        throw corrupt("truncated gzip header");
      }
      p += 2 + ((b[p] & 0xff) | (b[p + 1] & 0xff) << 8);
    }
    if ((flags & FNAME) != 0) {
      p = skipZeroTerminated(b, p);
    }
    if ((flags & FCOMMENT) != 0) {
      p = skipZeroTerminated(b, p);
    }
    if ((flags & FHCRC) != 0) {
      p += 2;
    }
    if (p > b.length) {
      throw corrupt("truncated gzip header");
    }
    return p;
  }

  private static int skipZeroTerminated(byte[] b, int p) throws RejectedSubmission {
    while (p < b.length && b[p] != 0) {
      p++;
    }
    if (p >= b.length) {
      throw corrupt("truncated gzip header");
    }
    return p + 1;
  }

  private static int readInt(byte[] b, int p) {
    return (b[p] & 0xff)
        | (b[p + 1] & 0xff) << 8
        | (b[p + 2] & 0xff) << 16
        | (b[p + 3] & 0xff) << 24;
  }

  private static RejectedSubmission corrupt(String message) {
    return new RejectedSubmission(ErrorTypes.DECOMPRESSION, "invalid gzip stream: " + message);
  }

  private RejectedSubmission tooLarge() {
    return new RejectedSubmission(
        ErrorTypes.PAYLOAD_TOO_LARGE, "payload exceeds " + maxBytes + " bytes after decompression");
  }
}
