package org.kindling.export.document;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kindling.core.Attributes;

/**
 * A name with attribute placeholders: {@code {document_namespace}_{document_type}}. Only the
 * attributes that name a doctype and app may appear, since the result becomes a measurement or an
 * event type and must not vary per document.
 */
public final class Template {
  /** The attributes a template may use. */
  public static final Set<String> PLACEHOLDERS =
      Set.of(
          Attributes.DOCUMENT_NAMESPACE,
          Attributes.DOCUMENT_TYPE,
          Attributes.DOCUMENT_VERSION,
          Attributes.APP_NAME);

  private final List<String> literals = new ArrayList<>();
  private final List<String> names = new ArrayList<>();

  private Template() {}

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException naming the bad placeholder
   */
  public static Template parse(String text) {
    Template t = new Template();
    int i = 0;
    StringBuilder lit = new StringBuilder();
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '{') {
        int end = text.indexOf('}', i);
        if (end < 0) {
          throw new IllegalArgumentException("unclosed { in '" + text + "'");
        }
        String name = text.substring(i + 1, end);
        if (!PLACEHOLDERS.contains(name)) {
          throw new IllegalArgumentException(
              "unknown placeholder {"
                  + name
                  + "}; use {document_namespace}, {document_type}, {document_version} or"
                  + " {app_name}");
        }
        t.literals.add(lit.toString());
        t.names.add(name);
        lit.setLength(0);
        i = end + 1;
      } else {
        lit.append(c);
        i++;
      }
    }
    t.literals.add(lit.toString());
    return t;
  }

  /** The text with the placeholders replaced (a missing attribute by nothing). */
  public String render(Map<String, String> attributes) {
    StringBuilder sb = new StringBuilder(literals.get(0));
    for (int i = 0; i < names.size(); i++) {
      String v = attributes.get(names.get(i));
      sb.append(v == null ? "" : v).append(literals.get(i + 1));
    }
    return sb.toString();
  }
}
