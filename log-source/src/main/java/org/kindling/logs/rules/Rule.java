package org.kindling.logs.rules;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One rule: which logged requests become submissions of which doctype, and the document's fields.
 *
 * @param name the rule's name in {@code logs.rules}
 * @param namespace document namespace of the submissions
 * @param type document type
 * @param version document version
 * @param methods request methods that match (upper case)
 * @param statuses response statuses that match
 * @param path matched against the whole request path without its query
 * @param groups the named groups of {@code path}: each becomes a string field of that name
 * @param constants fields with a fixed value, added after the groups
 */
public record Rule(
    String name,
    String namespace,
    String type,
    String version,
    Set<String> methods,
    Set<Integer> statuses,
    Pattern path,
    List<String> groups,
    Map<String, String> constants) {

  /** {@code namespace/type/version}. */
  public String doctype() {
    return namespace + "/" + type + "/" + version;
  }
}
