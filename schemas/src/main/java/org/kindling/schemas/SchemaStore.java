package org.kindling.schemas;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One loaded, immutable set of JSON schemas, laid out as in mozilla-pipeline-schemas: {@code
 * <namespace>/<type>/<type>.<version>.schema.json}.
 *
 * <p><b>Loading.</b> A folder is taken as it is: a checkout of the schema repository (its root or
 * its {@code schemas/} folder) loads without changes. Files that are not the schema of a doctype
 * are skipped and counted ({@link #skippedSummary()}): helper and template schemas whose names do
 * not follow the pattern ({@code glean/glean/glean-min.1.schema.json}), the {@code metadata/}
 * namespace (the pipeline's own table schemas, not doctypes), {@code *.bq}, {@code
 * *.parquetmr.txt}, READMEs. Every schema file is read and checked in one streaming pass (JSON, one
 * object, a known {@code $schema}, usable {@code mozPipelineMetadata}); a file that fails makes the
 * whole set unusable ({@link SchemaSetException}), so a half-broken deploy never replaces a working
 * set. Entries keep their bytes deflated and are compiled by {@link SchemaValidator} only when
 * their doctype is first used, so a set of thousands of schemas loads in seconds and costs a few
 * kilobytes per schema.
 *
 * <p><b>Identity</b> ({@link #id()}): {@code git:<commit>} when the folder is in a git checkout
 * whose schema files are committed as they are, else {@code sha256:<16 hex>} of the set's content
 * (paths and file digests). The bundled set is {@code bundled:<16 hex>}.
 *
 * <p><b>Resolution</b> ({@link #resolve}): the exact (namespace, type, version) schema. Only when
 * the set has the Glean fallback ({@link #gleanFallback()}: on for the bundled set, off by default
 * for a folder) and has no schema at all in that namespace, a submission is taken for a Glean
 * application's ping: first {@code glean/<type>/<type>.<version>}, then the generic {@code
 * glean/glean/glean.<version>}. A namespace the set knows never falls back, so a typo in a glow
 * document type is {@code schema_not_found}, not a Glean ping; without the fallback an unknown
 * application's ping is {@code schema_not_found}, as in Mozilla's pipeline.
 */
public final class SchemaStore {
  /** The namespace of the Glean fallback schemas. */
  public static final String GLEAN_NAMESPACE = "glean";

  /** The generic Glean ping type used when no per-ping schema exists. */
  public static final String GLEAN_GENERIC_TYPE = "glean";

  /** The schema repository's namespace of pipeline table schemas, which are not doctypes. */
  public static final String METADATA_NAMESPACE = "metadata";

  /** Class path resource listing the bundled schemas, one relative path per line. */
  public static final String INDEX_RESOURCE = "schemas/index.txt";

  /** Whether a set falls back to the Glean schemas: {@code auto} is on for the bundled set only. */
  public enum GleanFallback {
    AUTO,
    ON,
    OFF;

    /** {@code auto}, {@code true} or {@code false}. */
    public static GleanFallback parse(String s) {
      return switch (s == null ? "auto" : s.trim().toLowerCase(Locale.ROOT)) {
        case "auto" -> AUTO;
        case "true" -> ON;
        case "false" -> OFF;
        default -> throw new IllegalArgumentException("auto, true or false, not " + s);
      };
    }

    boolean on(boolean bundled) {
      return this == ON || (this == AUTO && bundled);
    }
  }

  private static final int SKIPPED_NAMES_SHOWN = 3;

  private final Map<String, SchemaEntry> entries;
  private final List<SchemaEntry> ordered;
  private final Set<String> namespaces;
  private final String source;
  private final Path root;
  private final String id;
  private final String commit;
  private final String contentHash;
  private final List<String> skipped;
  private final boolean gleanFallback;
  private final Instant loadedAt;
  private final long loadMillis;

  private SchemaStore(
      Collection<SchemaEntry> list,
      String source,
      Path root,
      String commit,
      List<String> skipped,
      boolean gleanFallback,
      long loadMillis) {
    Map<String, SchemaEntry> map = new LinkedHashMap<>();
    list.stream()
        .sorted(
            Comparator.comparing(SchemaEntry::namespace)
                .thenComparing(SchemaEntry::type)
                .thenComparingInt(SchemaEntry::version))
        .forEach(e -> map.put(key(e.namespace(), e.type(), e.version()), e));
    this.entries = Map.copyOf(map);
    this.ordered = List.copyOf(map.values());
    Set<String> ns = new TreeSet<>();
    ordered.forEach(e -> ns.add(e.namespace()));
    this.namespaces = Set.copyOf(ns);
    this.source = source;
    this.root = root;
    this.commit = commit;
    this.contentHash = contentHash(ordered);
    this.id =
        commit != null
            ? "git:" + commit
            : (source.equals("bundled") ? "bundled:" : "sha256:") + contentHash.substring(0, 16);
    this.skipped = List.copyOf(skipped);
    this.gleanFallback = gleanFallback;
    this.loadedAt = Instant.now();
    this.loadMillis = loadMillis;
  }

  private SchemaStore(SchemaStore s, boolean gleanFallback) {
    this.entries = s.entries;
    this.ordered = s.ordered;
    this.namespaces = s.namespaces;
    this.source = s.source;
    this.root = s.root;
    this.commit = s.commit;
    this.contentHash = s.contentHash;
    this.id = s.id;
    this.skipped = s.skipped;
    this.gleanFallback = gleanFallback;
    this.loadedAt = s.loadedAt;
    this.loadMillis = s.loadMillis;
  }

  /** A store of the given entries (for tests and tools), with the Glean fallback. */
  public static SchemaStore of(Collection<SchemaEntry> entries) {
    return new SchemaStore(entries, "memory", null, null, List.of(), true, 0);
  }

  /**
   * The schema set of a stage: the directory {@code dir}, or the bundled set when {@code dir} is
   * null (the one loading rule of {@code validator.schemas.dir} and {@code sink.schemas.dir}), with
   * the default Glean fallback (on for the bundled set only).
   */
  public static SchemaStore load(Path dir) {
    return load(dir, GleanFallback.AUTO);
  }

  /** As {@link #load(Path)}, with the given Glean fallback. */
  public static SchemaStore load(Path dir, GleanFallback fallback) {
    return dir == null
        ? bundled().withGleanFallback(fallback.on(true))
        : fromDirectory(dir).withGleanFallback(fallback.on(false));
  }

  /** This set with the Glean fallback on or off. */
  public SchemaStore withGleanFallback(boolean on) {
    return on == gleanFallback ? this : new SchemaStore(this, on);
  }

  /** The schemas bundled in this jar, as listed in {@value #INDEX_RESOURCE}; Glean fallback on. */
  public static SchemaStore bundled() {
    long t = System.nanoTime();
    ClassLoader cl = SchemaStore.class.getClassLoader();
    List<SchemaEntry> list = new ArrayList<>();
    List<String> problems = new ArrayList<>();
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
        SchemaFiles.Candidate c = SchemaFiles.candidate(path, null);
        if (c == null) {
          throw new IllegalStateException(INDEX_RESOURCE + " lists a non-doctype path: " + path);
        }
        try (InputStream in = cl.getResourceAsStream("schemas/" + path)) {
          if (in == null) {
            throw new IllegalStateException(INDEX_RESOURCE + " lists a missing schema: " + path);
          }
          list.add(SchemaFiles.read(c.namespace(), c.type(), c.version(), in.readAllBytes()));
        } catch (IllegalArgumentException e) {
          problems.add(path + ": " + e.getMessage());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the bundled schemas", e);
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException("bundled schemas unusable: " + problems);
    }
    return new SchemaStore(list, "bundled", null, null, List.of(), true, millisSince(t));
  }

  /**
   * Every doctype schema under {@code dir} (or under {@code dir/schemas} when {@code dir} is the
   * root of a schema repository checkout); other files are skipped. Glean fallback off.
   *
   * @throws SchemaSetException when the folder cannot be used (see the class comment)
   */
  public static SchemaStore fromDirectory(Path dir) {
    long t = System.nanoTime();
    Path root = rootOf(dir);
    SchemaFiles.Scan scan;
    try {
      scan = SchemaFiles.scan(root);
    } catch (IOException e) {
      throw new SchemaSetException("cannot list schema directory " + root + ": " + e);
    }
    if (scan.candidates().isEmpty()) {
      throw new SchemaSetException(
          "no <namespace>/<type>/<type>.<version>.schema.json under " + root);
    }
    ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    // Reading is I/O and parsing: both cores help with thousands of files.
    List<SchemaEntry> list =
        scan.candidates().parallelStream()
            .map(
                c -> {
                  try {
                    return SchemaFiles.read(
                        c.namespace(), c.type(), c.version(), Files.readAllBytes(c.file()));
                  } catch (IOException e) {
                    problems.add(c.relativePath() + ": cannot read: " + e.getMessage());
                  } catch (IllegalArgumentException e) {
                    problems.add(c.relativePath() + ": " + e.getMessage());
                  }
                  return null;
                })
            .filter(java.util.Objects::nonNull)
            .toList();
    if (!problems.isEmpty()) {
      List<String> sorted = new ArrayList<>(problems);
      sorted.sort(null);
      throw new SchemaSetException(
          sorted.size()
              + " of "
              + scan.candidates().size()
              + " schema files in "
              + root
              + " cannot be used: "
              + String.join("; ", sorted.subList(0, Math.min(3, sorted.size())))
              + (sorted.size() > 3 ? " (and " + (sorted.size() - 3) + " more)" : ""));
    }
    String commit = SchemaSource.cleanCommit(root);
    return new SchemaStore(
        list, root.toString(), root, commit, scan.skipped(), false, millisSince(t));
  }

  /** {@code dir}, or {@code dir/schemas} when {@code dir} holds no schema but that folder does. */
  static Path rootOf(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new SchemaSetException("not a schema directory: " + dir);
    }
    Path nested = dir.resolve("schemas");
    if (Files.isDirectory(nested) && !hasSchemaAtDepth3(dir)) {
      return nested;
    }
    return dir;
  }

  private static boolean hasSchemaAtDepth3(Path dir) {
    try (var s = Files.find(dir, 3, (p, a) -> a.isRegularFile())) {
      return s.anyMatch(
          p -> SchemaFiles.candidate(dir.relativize(p).toString().replace('\\', '/'), p) != null);
    } catch (IOException e) {
      return false;
    }
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  private static String key(String namespace, String type, int version) {
    return namespace + "/" + type + "/" + version;
  }

  private static String contentHash(List<SchemaEntry> entries) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (SchemaEntry e : entries) {
        md.update(e.relativePath().getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
        md.update(e.digest().getBytes(StandardCharsets.US_ASCII));
        md.update((byte) '\n');
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
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
    if (exact.isPresent() || !gleanFallback || namespaces.contains(namespace)) {
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

  /** How many schemas the set holds. */
  public int size() {
    return ordered.size();
  }

  /** Where the schemas came from ({@code bundled}, {@code memory} or a directory), for logs. */
  public String source() {
    return source;
  }

  /** The folder the set was read from, or null (bundled, memory). */
  public Path root() {
    return root;
  }

  /** The set's identity: {@code git:<commit>}, {@code sha256:<hex>} or {@code bundled:<hex>}. */
  public String id() {
    return id;
  }

  /** The git commit the set was read at (clean checkouts only), or null. */
  public String commit() {
    return commit;
  }

  /** SHA-256 (hex) over the paths and digests of every schema: equal sets, equal hashes. */
  public String contentHash() {
    return contentHash;
  }

  /** Whether unknown namespaces fall back to the Glean schemas. */
  public boolean gleanFallback() {
    return gleanFallback;
  }

  /** When this set was loaded. */
  public Instant loadedAt() {
    return loadedAt;
  }

  /** How long loading took, in milliseconds. */
  public long loadMillis() {
    return loadMillis;
  }

  /** The relative paths of the files that were not taken as doctype schemas. */
  public List<String> skipped() {
    return skipped;
  }

  /**
   * One line on the skipped files: how many, by kind, and a few names; empty when none was skipped.
   */
  public String skippedSummary() {
    if (skipped.isEmpty()) {
      return "";
    }
    Map<String, List<String>> byKind = new TreeMap<>();
    for (String rel : skipped) {
      String kind =
          switch (SchemaFiles.skipReason(rel)) {
            case "helper" -> "helper schemas";
            case "metadata" -> "metadata/ schemas";
            default -> {
              String name = rel.substring(rel.lastIndexOf('/') + 1);
              int dot = name.indexOf('.', 1);
              yield dot < 0
                  ? "other files"
                  : "*" + name.substring(name.lastIndexOf('.')) + " files";
            }
          };
      byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(rel);
    }
    StringBuilder b = new StringBuilder("skipped ").append(skipped.size());
    b.append(skipped.size() == 1 ? " file" : " files").append(" that are not doctype schemas: ");
    boolean first = true;
    for (Map.Entry<String, List<String>> e : byKind.entrySet()) {
      b.append(first ? "" : ", ").append(e.getValue().size()).append(' ').append(e.getKey());
      List<String> names = e.getValue();
      b.append(" (")
          .append(String.join(", ", names.subList(0, Math.min(SKIPPED_NAMES_SHOWN, names.size()))));
      b.append(names.size() > SKIPPED_NAMES_SHOWN ? ", ...)" : ")");
      first = false;
    }
    return b.toString();
  }

  /**
   * The {@code mozPipelineMetadata} settings used by this set that Kindling does not apply, each
   * with the doctypes that use it; empty when there are none.
   */
  public Map<String, List<String>> unsupportedSettings() {
    Map<String, List<String>> out = new TreeMap<>();
    for (SchemaEntry e : ordered) {
      for (String s : e.pipeline().unsupported()) {
        out.computeIfAbsent(s, k -> new ArrayList<>()).add(e.toString());
      }
    }
    return out;
  }

  /** Bytes the entries hold in memory (deflated schema files). */
  public long retainedBytes() {
    long n = 0;
    for (SchemaEntry e : ordered) {
      n += e.retainedBytes();
    }
    return n;
  }

  /**
   * One line for the log of a stage: what was loaded, from where, its identity, what was skipped
   * and which pipeline settings are not applied.
   */
  public String summary() {
    StringBuilder b = new StringBuilder();
    b.append(ordered.size()).append(" schemas from ").append(source).append(" (").append(id);
    b.append(", ").append(loadMillis).append(" ms");
    b.append(gleanFallback ? ", Glean fallback on" : "").append(')');
    String s = skippedSummary();
    if (!s.isEmpty()) {
      b.append("; ").append(s);
    }
    Map<String, List<String>> unsupported = unsupportedSettings();
    if (!unsupported.isEmpty()) {
      b.append("; mozPipelineMetadata settings not applied (the doctype lands as without them): ");
      boolean first = true;
      for (Map.Entry<String, List<String>> e : unsupported.entrySet()) {
        List<String> users = e.getValue();
        b.append(first ? "" : ", ").append(e.getKey()).append(" (");
        b.append(String.join(", ", users.subList(0, Math.min(2, users.size()))));
        b.append(users.size() > 2 ? " and " + (users.size() - 2) + " more)" : ")");
        first = false;
      }
    }
    return b.toString();
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
    return "SchemaStore[" + source + ", " + id + ", " + entries.size() + " schemas]";
  }
}
