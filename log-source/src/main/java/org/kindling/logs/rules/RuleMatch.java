package org.kindling.logs.rules;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A line that a rule selected, with the document fields it yields: {@code names[i]} has {@code
 * values[i]} (the path's groups that took part, decoded, then the rule's constants). Arrays rather
 * than a map: one is made for every matched line.
 *
 * @param rule the rule
 * @param names the field names
 * @param values their values
 * @param count how many of the arrays' entries are fields
 */
public record RuleMatch(Rule rule, String[] names, String[] values, int count) {
  /** The fields as an ordered map (for tests and tools). */
  public Map<String, String> fields() {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      m.put(names[i], values[i]);
    }
    return m;
  }
}
