package org.kindling.export.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code X-Kindling-Signature} of a webhook body: {@code sha256=} and the lower-case hex
 * HMAC-SHA256 of the exact body bytes under the shared secret (UTF-8). A receiver computes the same
 * over the bytes it read and compares in constant time ({@link #verify}).
 */
public final class Signature {
  /** The header it is sent in. */
  public static final String HEADER = "X-Kindling-Signature";

  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;

  public Signature(String secret) {
    this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
  }

  /** {@code sha256=<hex>} of {@code body}. */
  public String sign(byte[] body) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 unavailable", e);
    }
  }

  /** Whether {@code header} is the signature of {@code body} (constant-time comparison). */
  public boolean verify(byte[] body, String header) {
    if (header == null) {
      return false;
    }
    return MessageDigest.isEqual(
        sign(body).getBytes(StandardCharsets.US_ASCII),
        header.trim().getBytes(StandardCharsets.US_ASCII));
  }
}
