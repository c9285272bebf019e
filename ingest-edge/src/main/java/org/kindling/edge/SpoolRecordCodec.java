package org.kindling.edge;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * How one submission is written in a spool segment: {@code length:int32 crc32c:int32 body[length]}
 * (big endian), where {@code body = keyLength:int32 (-1 = null) key headerCount:int32
 * (nameLength:int32 name valueLength:int32 value)* payloadLength:int32 payload} and the CRC-32C
 * covers the body.
 */
final class SpoolRecordCodec {
  static final int RECORD_HEADER = 8;
  // keyLength + headerCount + payloadLength: the smallest possible body.
  static final int MIN_BODY = 12;
  // No record is larger than the largest payload plus headers; this only bounds a corrupt length.
  static final int MAX_BODY = 256 << 20;

  private SpoolRecordCodec() {}

  /** The whole record length (header + body) at {@code p} when it is valid, else -1. */
  static int validRecordAt(byte[] data, int p) {
    if (data.length - p < RECORD_HEADER) {
      return -1;
    }
    ByteBuffer b = ByteBuffer.wrap(data);
    int len = b.getInt(p);
    int crc = b.getInt(p + 4);
    if (len < MIN_BODY || len > MAX_BODY || len > data.length - p - RECORD_HEADER) {
      return -1;
    }
    CRC32C c = new CRC32C();
    c.update(data, p + RECORD_HEADER, len);
    if ((int) c.getValue() != crc) {
      return -1;
    }
    return RECORD_HEADER + len;
  }

  static byte[] encode(Submission s) {
    byte[] key = s.key() == null ? null : s.key().getBytes(StandardCharsets.UTF_8);
    List<byte[]> parts = new ArrayList<>();
    int size = 4 + (key == null ? 0 : key.length) + 4 + 4 + s.body().length;
    for (Map.Entry<String, String> e : s.attributes().entrySet()) {
      if (e.getValue() == null) {
        continue;
      }
      byte[] n = e.getKey().getBytes(StandardCharsets.UTF_8);
      byte[] v = e.getValue().getBytes(StandardCharsets.UTF_8);
      parts.add(n);
      parts.add(v);
      size += 8 + n.length + v.length;
    }
    ByteBuffer b = ByteBuffer.allocate(RECORD_HEADER + size);
    b.position(RECORD_HEADER);
    if (key == null) {
      b.putInt(-1);
    } else {
      b.putInt(key.length).put(key);
    }
    b.putInt(parts.size() / 2);
    for (byte[] part : parts) {
      b.putInt(part.length).put(part);
    }
    b.putInt(s.body().length).put(s.body());
    CRC32C c = new CRC32C();
    c.update(b.array(), RECORD_HEADER, size);
    b.putInt(0, size).putInt(4, (int) c.getValue());
    return b.array();
  }

  static Submission decode(byte[] data, int offset, int length) {
    ByteBuffer b = ByteBuffer.wrap(data, offset, length);
    int keyLen = b.getInt();
    String key = null;
    if (keyLen >= 0) {
      key = new String(data, b.position(), keyLen, StandardCharsets.UTF_8);
      b.position(b.position() + keyLen);
    }
    int headers = b.getInt();
    Map<String, String> attributes = new LinkedHashMap<>();
    for (int i = 0; i < headers; i++) {
      int nl = b.getInt();
      String n = new String(data, b.position(), nl, StandardCharsets.UTF_8);
      b.position(b.position() + nl);
      int vl = b.getInt();
      String v = new String(data, b.position(), vl, StandardCharsets.UTF_8);
      b.position(b.position() + vl);
      attributes.put(n, v);
    }
    int bodyLen = b.getInt();
    byte[] body = new byte[bodyLen];
    b.get(body);
    return new Submission(key, body, attributes);
  }
}
