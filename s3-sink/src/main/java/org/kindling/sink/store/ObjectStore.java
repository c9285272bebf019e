package org.kindling.sink.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where the sink puts objects: S3 (or any S3 API server) in production, a directory in tests and
 * for people without an S3 server. Every put replaces the whole object at once: a reader sees the
 * old object or the new one, never part of one.
 */
public interface ObjectStore extends AutoCloseable {

  /** How an object is served: its Content-Type and Cache-Control (either may be null). */
  record ObjectMeta(String contentType, String cacheControl) {
    public static final ObjectMeta NONE = new ObjectMeta(null, null);
  }

  /** Puts the content of {@code file} at {@code bucket/key}, replacing any object there. */
  void put(String bucket, String key, Path file, ObjectMeta meta) throws IOException;

  /** Puts {@code content} at {@code bucket/key}, replacing any object there. */
  void put(String bucket, String key, byte[] content, ObjectMeta meta) throws IOException;

  /** The object's content, or empty when there is none. */
  Optional<byte[]> get(String bucket, String key) throws IOException;

  /** Whether an object exists at {@code bucket/key}. */
  boolean exists(String bucket, String key) throws IOException;

  /** Keys under {@code prefix}, in lexicographic order. */
  List<String> list(String bucket, String prefix) throws IOException;

  /** Creates the bucket when it does not exist. */
  void ensureBucket(String bucket) throws IOException;

  /** How a public bucket is made readable by anyone ({@code s3.public.access}). */
  enum PublicAccess {
    /** A CORS rule (GET/HEAD from any origin) and a public-read bucket policy. */
    POLICY,
    /** No bucket settings; every object is written with the public-read canned ACL. */
    OBJECT_ACL,
    /** Nothing: the operator has made the bucket public. */
    NONE;

    /** The value of {@code s3.public.access}: policy, object-acl or none. */
    public static PublicAccess of(String value) {
      return valueOf(value.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    }
  }

  /**
   * Makes {@code bucket} readable by anyone in the way {@code how} names. Returns false when the
   * server does not implement it; the caller logs that and carries on, since a bucket set up by its
   * operator needs none of it.
   */
  boolean makePublic(String bucket, PublicAccess how) throws IOException;

  @Override
  void close();
}
