package org.kindling.logs.rules;

import java.util.Map;

/**
 * A line that a rule selected, with the document fields it yields.
 *
 * @param rule the rule
 * @param fields field name to value (the path's groups, decoded, then the rule's constants)
 */
public record RuleMatch(Rule rule, Map<String, String> fields) {}
