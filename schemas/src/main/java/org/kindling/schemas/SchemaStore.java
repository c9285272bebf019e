package org.kindling.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.kindling.core.Json;

/**
 * The set of JSON schemas that submissions are validated against, laid out as in
 * mozilla-pipeline-schemas: {@code <namespace>/<type>/<type>.<version>.schema.json}.
 *
 * <p>The bundled set lives in this jar under {@code schemas/} and is listed in {@code
 * schemas/index.txt} (a class path cannot be listed portably); any directory in the same layout
 * replaces it ({@link #fromDirectory(Path)}).
 *
 * <p>Glean fallback ({@link #resolve}): Glean applications submit to {@code
 * /submit/<application_id>/<ping>/<ping_version>/<id>}, one namespace per application, so no store
 * can list every namespace. When no schema exists for the exact (namespace, type, version) and the
 * namespace is not one the store has schemas for, the submission is treated as a Glean ping: first
 * {@code glean/<type>/<type>.<version>} (a schema for that ping, e.g. {@code glean/baseline}), then
 * the generic {@code glean/glean/glean.<version>}. A namespace the store knows (a typo in a glow
 * document type, say) never falls back.
 */
public final class SchemaStore {
  /** The namespace of the Glean fallback schemas. */
  public static final String GLEAN_NAMESPACE = "glean";

  /** The generic Glean ping type used when no per-ping schema exists. */
  public static final String GLEAN_GENERIC_TYPE = "glean";

  /** Class path resource listing the bundled schemas, one relative path per line. */
  public static final String INDEX_RESOURCE = "schemas/index.txt";

  private static final Pattern FILE_NAME =
      Pattern.compile("([^/]+)/([^/]+)/([^/.]+)\\.(\\d+)\\.schema\\.json");

  private final Map<String, SchemaEntry> entries;
  private final List<SchemaEntry> ordered;
  private final Set<String> namespaces;
  private final String source;

  private SchemaStore(Collection<SchemaEntry> list, String source) {
    Map<String, SchemaEntry> map = new LinkedHashMap<>();
    list.stream()
        .sorted(
            Comparator.comparing(SchemaEntry::namespace)
                .thenComparing(SchemaEntry::type)
                .thenComparingInt(SchemaEntry::version))
        .forEach(e -> map.put(key(e.namespace(), e.type(), e.version()), e));
    this.entries = Map.copyOf(map);
    this.namespaces = new TreeSet<>();
    map.values().forEach(e -> namespaces.add(e.namespace()));
    this.source = source;
    this.ordered = List.copyOf(map.values());
  }

  /** A store of the given entries (for tests and tools). */
  public static SchemaStore of(Collection<SchemaEntry> entries) {
    return new SchemaStore(entries, "memory");
  }

  /**
   * The schema set of a stage: the directory {@code dir}, or the bundled set when {@code dir} is
   * null (the one loading rule of {@code validator.schemas.dir} and {@code sink.schemas.dir}).
   */
  public static SchemaStore load(Path dir) {
    return dir == null ? bundled() : fromDirectory(dir);
  }

  /** The schemas bundled in this jar, as listed in {@value #INDEX_RESOURCE}. */
  public static SchemaStore bundled() {
    ClassLoader cl = SchemaStore.class.getClassLoader();
    List<SchemaEntry> list = new ArrayList<>();
    try (InputStream index = cl.getResourceAsStream(INDEX_RESOURCE)) {
      if (index == null) {
        throw new IllegalStateException("no " + INDEX_RESOURCE + " on the class path");
      }
      BufferedReader reader =
          new BufferedReader(new InputStreamReader(index, StandardCharsets.UTF_8));
      String line;
      while ((line = reader.readLine()) != null) {
        String path = line.trim();
        if (path.isEmpty() || path.startsWith("#")) {
          continue;
        }
        try (InputStream in = cl.getResourceAsStream("schemas/" + path)) {
          if (in == null) {
            throw new IllegalStateException(INDEX_RESOURCE + " lists a missing schema: " + path);
          }
          list.add(entry(path, Json.mapper().readTree(in)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the bundled schemas", e);
    }
    return new SchemaStore(list, "bundled");
  }

  /**
   * Every {@code <namespace>/<type>/<type>.<version>.schema.json} under {@code dir}; other files
   * are ignored.
   */
  public static SchemaStore fromDirectory(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("not a schema directory: " + dir);
    }
    List<SchemaEntry> list = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
        String rel = dir.relativize(p).toString().replace('\\', '/');
        if (FILE_NAME.matcher(rel).matches()) {
          try {
            list.add(entry(rel, Json.mapper().readTree(p.toFile())));
          } catch (IOException e) {
            throw new IllegalArgumentException("cannot read schema " + p + ": " + e.getMessage());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    return new SchemaStore(list, dir.toString());
  }

  /** The parsed entry of a schema at a relative path; the path must follow the layout. */
  static SchemaEntry entry(String relativePath, JsonNode schema) {
    Matcher m = FILE_NAME.matcher(relativePath);
    if (!m.matches() || !m.group(2).equals(m.group(3))) {
      throw new IllegalArgumentException(
          "schema path must be <namespace>/<type>/<type>.<version>.schema.json: " + relativePath);
    }
    if (!schema.isObject()) {
      throw new IllegalArgumentException("schema is not a JSON object: " + relativePath);
    }
    return new SchemaEntry(m.group(1), m.group(2), Integer.parseInt(m.group(4)), schema);
  }

  private static String key(String namespace, String type, int version) {
    return namespace + "/" + type + "/" + version;
  }

  /** The schema for exactly this (namespace, type, version). */
  public Optional<SchemaEntry> find(String namespace, String type, int version) {
    return Optional.ofNullable(entries.get(key(namespace, type, version)));
  }

  /** As {@link #find(String, String, int)}; a version that is not a number finds nothing. */
  public Optional<SchemaEntry> find(String namespace, String type, String version) {
    Integer v = parseVersion(version);
    return v == null ? Optional.empty() : find(namespace, type, v);
  }

  /**
   * The schema a submission to (namespace, type, version) is validated against: the exact one, or
   * else the Glean fallback described in the class comment.
   */
  public Optional<SchemaEntry> resolve(String namespace, String type, String version) {
    Integer v = parseVersion(version);
    if (v == null) {
      return Optional.empty();
    }
    Optional<SchemaEntry> exact = find(namespace, type, v);
    if (exact.isPresent() || namespaces.contains(namespace)) {
      return exact;
    }
    Optional<SchemaEntry> perPing = find(GLEAN_NAMESPACE, type, v);
    return perPing.isPresent() ? perPing : find(GLEAN_NAMESPACE, GLEAN_GENERIC_TYPE, v);
  }

  /** Whether the store has any schema in {@code namespace}. */
  public boolean hasNamespace(String namespace) {
    return namespaces.contains(namespace);
  }

  /** Every entry, ordered by namespace, type and version. */
  public List<SchemaEntry> all() {
    return ordered;
  }

  /** Where the schemas came from ({@code bundled} or a directory), for logs. */
  public String source() {
    return source;
  }

  private static Integer parseVersion(String version) {
    if (version == null || version.isEmpty() || version.length() > 9) {
      return null;
    }
    for (int i = 0; i < version.length(); i++) {
      if (!Character.isDigit(version.charAt(i))) {
        return null;
      }
    }
    return Integer.parseInt(version);
  }

  @Override
  public String toString() {
    return "SchemaStore[" + source + ", " + entries.size() + " schemas]";
  }
}
