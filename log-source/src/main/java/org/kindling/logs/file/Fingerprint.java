package org.kindling.logs.file;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What identifies a log file whatever its name, inode or compression: the length and SHA-1 of its
 * first bytes (up to {@value #MAX_LENGTH}, uncompressed). Access log lines start with an address
 * and a time to the second, so two different files practically never share their first kilobyte; a
 * rotated file, its copy and its gzip'd form do. A file shorter than that is fingerprinted by what
 * it has, and its fingerprint grows with it.
 *
 * @param length how many leading bytes the hash covers (0 for an empty file, which only its inode
 *     identifies)
 * @param hash hex SHA-1 of those bytes (first 16 hex digits)
 */
public record Fingerprint(int length, String hash) {
  /** How many leading bytes identify a file. */
  public static final int MAX_LENGTH = 1024;

  /** The fingerprint of the first {@code length} bytes of {@code head}. */
  public static Fingerprint of(byte[] head, int length) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      sha1.update(head, 0, length);
      return new Fingerprint(length, HexFormat.of().formatHex(sha1.digest(), 0, 8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether a file whose first bytes are {@code head[0, headLength)} has this fingerprint. */
  public boolean matches(byte[] head, int headLength) {
    return length > 0 && headLength >= length && of(head, length).equals(this);
  }

  /** {@code length:hash}, the checkpoint's form. */
  @Override
  public String toString() {
    return length + ":" + hash;
  }

  /** The inverse of {@link #toString()}. */
  public static Fingerprint parse(String s) {
    int colon = s.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("not a fingerprint: " + s);
    }
    return new Fingerprint(Integer.parseInt(s.substring(0, colon)), s.substring(colon + 1));
  }
}
