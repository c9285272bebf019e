package org.kindling.sink;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.kindling.core.Json;

/**
 * Schemas from a directory in the mozilla-pipeline-schemas layout: {@code
 * <namespace>/<type>/<type>.<version>.schema.json}. Read once, at construction.
 */
public final class DirectorySchemaLookup implements SchemaLookup {
  private static final Pattern FILE = Pattern.compile("(.+)\\.(\\d+)\\.schema\\.json");

  private final Map<DocType, JsonNode> schemas =
      new TreeMap<>(
          Comparator.comparing(DocType::namespace)
              .thenComparing(DocType::type)
              .thenComparing(d -> Integer.parseInt(d.version())));

  public DirectorySchemaLookup(Path root) {
    try (Stream<Path> files = Files.walk(root, 3)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path rel = root.relativize(p);
        if (rel.getNameCount() != 3 || !Files.isRegularFile(p)) {
          continue;
        }
        Matcher m = FILE.matcher(rel.getName(2).toString());
        if (m.matches() && m.group(1).equals(rel.getName(1).toString())) {
          DocType d = new DocType(rel.getName(0).toString(), m.group(1), m.group(2));
          schemas.put(d, Json.mapper().readTree(p.toFile()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read schemas under " + root, e);
    }
  }

  @Override
  public Optional<JsonNode> schema(String namespace, String type, String version) {
    if (!version.matches("\\d+")) {
      return Optional.empty();
    }
    return Optional.ofNullable(schemas.get(new DocType(namespace, type, version)));
  }

  @Override
  public List<DocType> docTypes() {
    return new ArrayList<>(schemas.keySet());
  }
}
