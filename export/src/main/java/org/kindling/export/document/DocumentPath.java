package org.kindling.export.document;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A dotted path into an enriched document ({@code metadata.geo.country}), with the name it is
 * exported under: {@code country=metadata.geo.country}, or a bare path named after its last part.
 *
 * @param name the tag, field or property name
 * @param parts the path's parts
 */
public record DocumentPath(String name, List<String> parts) {
  private static final Pattern PART = Pattern.compile("[A-Za-z0-9_$@-]+");

  /**
   * Parses {@code name=path} or {@code path}.
   *
   * @throws IllegalArgumentException with a short reason
   */
  public static DocumentPath parse(String spec) {
    String s = spec.trim();
    int eq = s.indexOf('=');
    String name = eq < 0 ? null : s.substring(0, eq).trim();
    String path = eq < 0 ? s : s.substring(eq + 1).trim();
    if (path.isEmpty()) {
      throw new IllegalArgumentException("'" + spec + "' has no path");
    }
    List<String> parts = List.of(path.split("\\.", -1));
    for (String p : parts) {
      if (!PART.matcher(p).matches()) {
        throw new IllegalArgumentException(
            "'" + spec + "' is not name=path with a dotted path such as metadata.geo.country");
      }
    }
    if (name == null) {
      name = parts.get(parts.size() - 1);
    }
    if (name.isEmpty()) {
      throw new IllegalArgumentException("'" + spec + "' has an empty name");
    }
    return new DocumentPath(name, parts);
  }

  /** The node at this path, or null when a part is missing or the value is JSON null. */
  public JsonNode find(JsonNode document) {
    JsonNode n = document;
    for (String p : parts) {
      if (n == null || !n.isObject()) {
        return null;
      }
      n = n.get(p);
    }
    return n == null || n.isNull() || n.isMissingNode() ? null : n;
  }

  /** The scalar at this path as text (strings, numbers, booleans), or null. */
  public String text(JsonNode document) {
    JsonNode n = find(document);
    if (n == null || n.isContainerNode()) {
      return null;
    }
    String t = n.asText();
    return t.isEmpty() ? null : t;
  }

  /** The path as written. */
  public String path() {
    return String.join(".", parts);
  }
}
