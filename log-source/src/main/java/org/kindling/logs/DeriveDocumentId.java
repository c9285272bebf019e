package org.kindling.logs;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Name-based UUIDs, version 5 (SHA-1; RFC 9562 section 5.5), the document ids of log lines: the
 * same source and line always give the same id, so a line read twice (after a crash, or sent twice
 * by a syslog relay) is dropped by the validator's deduplication instead of counted twice. ({@link
 * UUID#nameUUIDFromBytes} is version 3, MD5.)
 *
 * <p>Not thread-safe (one SHA-1 digest is reused); one instance per reading thread.
 */
public final class DeriveDocumentId {
  /** The namespace of Kindling's log line ids (a random UUID, fixed once). */
  public static final UUID LOG_LINES = UUID.fromString("6b1f2c1e-54a4-4f6e-9d2a-0f3c8a7e4b15");

  private final byte[] namespace;
  private final MessageDigest sha1;

  public DeriveDocumentId() {
    this(LOG_LINES);
  }

  public DeriveDocumentId(UUID namespace) {
    this.namespace = bytes(namespace);
    try {
      this.sha1 = MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-1", e);
    }
  }

  /** The id of {@code line[off, off+len)} read from {@code source} (source, newline, line). */
  public UUID derive(byte[] source, byte[] line, int off, int len) {
    sha1.reset();
    sha1.update(namespace);
    sha1.update(source);
    sha1.update((byte) '\n');
    sha1.update(line, off, len);
    return fromHash(sha1.digest());
  }

  /** The version 5 UUID of {@code name} in {@code namespace}, as RFC 9562 defines it. */
  public UUID v5(byte[] name) {
    sha1.reset();
    sha1.update(namespace);
    sha1.update(name);
    return fromHash(sha1.digest());
  }

  private static UUID fromHash(byte[] h) {
    h[6] = (byte) ((h[6] & 0x0f) | 0x50); // version 5
    h[8] = (byte) ((h[8] & 0x3f) | 0x80); // variant 10 (RFC 9562)
    long msb = 0;
    long lsb = 0;
    for (int i = 0; i < 8; i++) {
      msb = (msb << 8) | (h[i] & 0xff);
      lsb = (lsb << 8) | (h[8 + i] & 0xff);
    }
    return new UUID(msb, lsb);
  }

  private static byte[] bytes(UUID u) {
    byte[] b = new byte[16];
    long msb = u.getMostSignificantBits();
    long lsb = u.getLeastSignificantBits();
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (msb >>> (56 - 8 * i));
      b[8 + i] = (byte) (lsb >>> (56 - 8 * i));
    }
    return b;
  }
}
