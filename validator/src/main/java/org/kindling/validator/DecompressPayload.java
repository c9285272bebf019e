package org.kindling.validator;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.GZIPInputStream;

/**
 * Step 2: inflates a gzip body. Gzip is recognised by its magic bytes ({@code 1f 8b}), not by the
 * {@code content_encoding} attribute, which clients get wrong. Inflation stops at a hard cap so a
 * small gzip bomb cannot exhaust memory: beyond it the submission is {@code payload_too_large}; a
 * corrupt or truncated stream is {@code decompression}. A body that is not gzip passes unchanged
 * (but is held to the same cap).
 */
public final class DecompressPayload {
  private final long maxBytes;

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
    return bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b;
  }

  /** The decoded body. */
  public byte[] decode(byte[] raw) throws RejectedSubmission {
    if (!isGzip(raw)) {
      if (raw.length > maxBytes) {
        throw tooLarge();
      }
      return raw;
    }
    ByteArrayOutputStream out =
        new ByteArrayOutputStream((int) Math.min(maxBytes, Math.max(1024L, raw.length * 8L)));
    byte[] buf = new byte[16 * 1024];
    long total = 0;
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(raw), 8 * 1024)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        total += n;
        if (total > maxBytes) {
          throw tooLarge();
        }
        out.write(buf, 0, n);
      }
    } catch (IOException e) {
      throw new RejectedSubmission(
          ErrorTypes.DECOMPRESSION, "invalid gzip stream: " + e.getMessage(), e);
    }
    return out.toByteArray();
  }

  private RejectedSubmission tooLarge() {
    return new RejectedSubmission(
        ErrorTypes.PAYLOAD_TOO_LARGE, "payload exceeds " + maxBytes + " bytes after decompression");
  }
}
