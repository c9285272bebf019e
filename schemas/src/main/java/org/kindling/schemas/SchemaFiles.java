package org.kindling.schemas;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kindling.core.Json;

/**
 * How the files of a schema folder are told apart and read: which paths are schemas of a doctype,
 * which are skipped (and why), and the one-pass check of a schema file.
 */
final class SchemaFiles {
  private SchemaFiles() {}

  /**
   * {@code <namespace>/<type>/<type>.<version>.schema.json}, with namespace and type as a
   * submission URI can name them ({@code [a-zA-Z0-9_-]+}, core's SubmitUri).
   */
  static final Pattern DOCTYPE_SCHEMA =
      Pattern.compile("([a-zA-Z0-9_-]+)/([a-zA-Z0-9_-]+)/([^/]+)\\.(\\d{1,9})\\.schema\\.json");

  /**
   * Schemas nest deeper than documents (each level of a document is two or three levels of its
   * schema), so they get Jackson's own limit rather than the submission limit.
   */
  static final ObjectMapper MAPPER =
      Json.newMapper().disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  static {
    // (trailing content is checked by read(), which reads parts of a file as trees)
    MAPPER
        .getFactory()
        .setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(1000).build());
  }

  /** A file that names a doctype schema. */
  record Candidate(String relativePath, Path file, String namespace, String type, int version) {}

  /** What a walk of a folder found. */
  record Scan(List<Candidate> candidates, List<String> skipped) {}

  /** Why a relative path is not a doctype schema, or null when it is one. */
  static String skipReason(String rel) {
    Matcher m = DOCTYPE_SCHEMA.matcher(rel);
    if (!m.matches() || !m.group(2).equals(m.group(3))) {
      return rel.endsWith(".schema.json") ? "helper" : "other";
    }
    if (m.group(1).equals(SchemaStore.METADATA_NAMESPACE)) {
      return "metadata";
    }
    return null;
  }

  /** The candidate a relative path names, or null. */
  static Candidate candidate(String rel, Path file) {
    if (skipReason(rel) != null) {
      return null;
    }
    Matcher m = DOCTYPE_SCHEMA.matcher(rel);
    m.matches();
    return new Candidate(rel, file, m.group(1), m.group(2), Integer.parseInt(m.group(4)));
  }

  /** Every regular file under {@code root}, hidden folders ({@code .git}) left out. */
  static Scan scan(Path root) throws IOException {
    List<Candidate> candidates = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            return !dir.equals(root) && dir.getFileName().toString().startsWith(".")
                ? FileVisitResult.SKIP_SUBTREE
                : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (attrs.isRegularFile()) {
              String rel = root.relativize(file).toString().replace('\\', '/');
              Candidate c = candidate(rel, file);
              if (c != null) {
                candidates.add(c);
              } else {
                skipped.add(rel);
              }
            }
            return FileVisitResult.CONTINUE;
          }
        });
    candidates.sort(java.util.Comparator.comparing(Candidate::relativePath));
    skipped.sort(null);
    return new Scan(candidates, skipped);
  }

  /**
   * Checks a schema file in one streaming pass (JSON syntax, a single object) and reads the two
   * top-level keys the store needs, without building the tree. The same pass computes the digest of
   * what validation depends on: every token but the {@code mozPipelineMetadata} object, so the
   * per-application copies of one Glean schema, which differ only there, compile once.
   *
   * @throws IllegalArgumentException with a short reason when the file is not a usable schema
   */
  static SchemaEntry read(String namespace, String type, int version, byte[] bytes) {
    String draft = null;
    JsonNode meta = null;
    MessageDigest md = sha256();
    try (JsonParser p = MAPPER.getFactory().createParser(bytes)) {
      JsonToken t = p.nextToken();
      if (t != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("not a JSON object");
      }
      feed(md, t, p);
      int depth = 1;
      String topName = null;
      while (depth > 0 && (t = p.nextToken()) != null) {
        if (depth == 1 && t == JsonToken.FIELD_NAME) {
          topName = p.currentName();
          if (topName.equals(PipelineMetadata.KEY)) {
            p.nextToken();
            meta = p.readValueAsTree();
            continue;
          }
        } else if (depth == 1 && t == JsonToken.VALUE_STRING && "$schema".equals(topName)) {
          draft = p.getText();
        }
        if (t.isStructStart()) {
          depth++;
        } else if (t.isStructEnd()) {
          depth--;
        }
        feed(md, t, p);
      }
      if (depth != 0 || p.nextToken() != null) {
        throw new IllegalArgumentException("not a single JSON object");
      }
    } catch (JsonProcessingException e) {
      String m = e.getOriginalMessage();
      int cut = m.indexOf(" (start marker");
      m = cut < 0 ? m : m.substring(0, cut);
      var at = e.getLocation();
      throw new IllegalArgumentException(
          "not JSON: "
              + m
              + (at == null
                  ? ""
                  : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read: " + e.getMessage());
    }
    if (draft != null) {
      SchemaValidator.draftOf(draft); // throws for an unknown meta-schema
    }
    return SchemaEntry.ofBytes(
        namespace,
        type,
        version,
        bytes,
        HexFormat.of().formatHex(md.digest()),
        PipelineMetadata.parse(meta));
  }

  private static void feed(MessageDigest md, JsonToken t, JsonParser p) throws IOException {
    md.update((byte) t.id());
    if (t == JsonToken.FIELD_NAME || t.isScalarValue()) {
      md.update(p.getText().getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0);
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
