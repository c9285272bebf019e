package org.kindling.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * One schema of a set: {@code <namespace>/<type>/<type>.<version>.schema.json}.
 *
 * <p>An entry keeps its schema as the file's bytes, deflated (JSON schemas compress about tenfold),
 * not as a parsed tree: a set of thousands of schemas then costs a few kilobytes each, and only the
 * doctypes that are used are ever parsed and compiled ({@link #schema()} parses on each call;
 * callers keep what they build from it). The set owns these bytes, so a later change of the file
 * cannot leak into a loaded set.
 */
public final class SchemaEntry {
  private final String namespace;
  private final String type;
  private final int version;
  private final String digest;
  private final String validationDigest;
  private final PipelineMetadata pipeline;
  private final byte[] deflated;
  private final int length;
  private final JsonNode tree;

  private SchemaEntry(
      String namespace,
      String type,
      int version,
      String digest,
      String validationDigest,
      PipelineMetadata pipeline,
      byte[] deflated,
      int length,
      JsonNode tree) {
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.type = Objects.requireNonNull(type, "type");
    this.version = version;
    this.digest = digest;
    this.validationDigest = validationDigest;
    this.pipeline = pipeline;
    this.deflated = deflated;
    this.length = length;
    this.tree = tree;
  }

  /** An entry of an already parsed schema (tests, tools); its tree is kept. */
  public SchemaEntry(String namespace, String type, int version, JsonNode schema) {
    this(
        namespace,
        type,
        version,
        digest(
            Objects.requireNonNull(schema, "schema").toString().getBytes(StandardCharsets.UTF_8)),
        validationDigestOf(schema),
        PipelineMetadata.parse(schema.get(PipelineMetadata.KEY)),
        null,
        0,
        schema);
  }

  /** An entry of a schema file's bytes (already checked to be a JSON object). */
  static SchemaEntry ofBytes(
      String namespace,
      String type,
      int version,
      byte[] bytes,
      String validationDigest,
      PipelineMetadata pipeline) {
    return new SchemaEntry(
        namespace,
        type,
        version,
        digest(bytes),
        validationDigest,
        pipeline,
        deflate(bytes),
        bytes.length,
        null);
  }

  private static String validationDigestOf(JsonNode schema) {
    if (!schema.isObject()) {
      return digest(schema.toString().getBytes(StandardCharsets.UTF_8));
    }
    byte[] bytes = schema.toString().getBytes(StandardCharsets.UTF_8);
    return SchemaFiles.read("x", "x", 1, bytes).validationDigest();
  }

  public String namespace() {
    return namespace;
  }

  public String type() {
    return type;
  }

  public int version() {
    return version;
  }

  /** SHA-256 of the schema file (hex): equal digests, equal schemas. */
  public String digest() {
    return digest;
  }

  /**
   * SHA-256 (hex) of what validation depends on: the schema without its {@code
   * mozPipelineMetadata}. Schemas with equal validation digests validate alike.
   */
  public String validationDigest() {
    return validationDigest;
  }

  /** The schema's {@code mozPipelineMetadata}. */
  public PipelineMetadata pipeline() {
    return pipeline;
  }

  /** The parsed schema; parsed anew on every call of an entry loaded from a file. */
  public JsonNode schema() {
    if (tree != null) {
      return tree;
    }
    try {
      return SchemaFiles.MAPPER.readTree(inflate(deflated, length));
    } catch (IOException e) {
      throw new UncheckedIOException("schema " + this + " no longer parses", e);
    }
  }

  /** Bytes the entry holds in memory (for the figures of large sets). */
  long retainedBytes() {
    return deflated == null ? 0 : deflated.length;
  }

  /** The doctype id, {@code <namespace>.<type>} ({@code glow.download}). */
  public String doctype() {
    return namespace + "." + type;
  }

  /** The path of the schema file relative to the root of a schema directory. */
  public String relativePath() {
    return namespace + "/" + type + "/" + type + "." + version + ".schema.json";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SchemaEntry e
        && e.version == version
        && e.namespace.equals(namespace)
        && e.type.equals(type)
        && e.digest.equals(digest);
  }

  @Override
  public int hashCode() {
    return Objects.hash(namespace, type, version, digest);
  }

  @Override
  public String toString() {
    return namespace + "/" + type + "/" + type + "." + version;
  }

  static String digest(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] deflate(byte[] bytes) {
    // The default level: a tenth of the file for Mozilla's schemas (level 1: an eighth, in half the
    // time; loading 3,000 schemas spends about a second on it).
    Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION);
    try {
      d.setInput(bytes);
      d.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, bytes.length / 6));
      byte[] buf = new byte[8192];
      while (!d.finished()) {
        out.write(buf, 0, d.deflate(buf));
      }
      return out.toByteArray();
    } finally {
      d.end();
    }
  }

  private static byte[] inflate(byte[] deflated, int length) {
    Inflater i = new Inflater();
    try {
      i.setInput(deflated);
      byte[] out = new byte[length];
      int n = 0;
      while (n < length && !i.finished()) {
        int k = i.inflate(out, n, length - n);
        if (k == 0 && i.needsInput()) {
          throw new IllegalStateException("truncated schema bytes");
        }
        n += k;
      }
      return out;
    } catch (DataFormatException e) {
      throw new IllegalStateException("corrupt schema bytes", e);
    } finally {
      i.end();
    }
  }
}
