package org.kindling.logs.rules;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import org.kindling.logs.parse.LogLine;
import org.kindling.logs.parse.LogParseException;

/**
 * Finds the first rule whose method, status and path match a line, and reads the document fields
 * from the path. A field the line's format does not log (method, status, path) does not stop a rule
 * from matching.
 *
 * <p>Not thread-safe: it reuses one matcher per rule. One instance per reading thread ({@link
 * #copy()}).
 */
public final class MatchRule {
  private final List<Rule> rules;
  private final MatchPath[] paths;
  private final Matcher[] finders;
  private final String[][] methods;
  private final boolean[][] statuses;

  public MatchRule(List<Rule> rules) {
    this.rules = List.copyOf(rules);
    int n = this.rules.size();
    this.paths = new MatchPath[n];
    this.finders = new Matcher[n];
    this.methods = new String[n][];
    this.statuses = new boolean[n][600];
    for (int i = 0; i < n; i++) {
      Rule r = this.rules.get(i);
      paths[i] = MatchPath.of(r.path());
      finders[i] = r.path().matcher("");
      methods[i] = r.methods().toArray(String[]::new);
      for (int s : r.statuses()) {
        statuses[i][s] = true;
      }
    }
  }

  /** A matcher of the same rules for another thread. */
  public MatchRule copy() {
    return new MatchRule(rules);
  }

  public List<Rule> rules() {
    return rules;
  }

  /**
   * The index of the first rule that matches {@code line}, or -1. The rule's matcher keeps the
   * match for {@link #fields}.
   */
  public int select(LogLine line) {
    String path = line.path();
    if (path != null) {
      int q = path.indexOf('?');
      if (q >= 0) {
        path = path.substring(0, q);
      }
    } else {
      path = "";
    }
    String method = line.method();
    int status = line.status();
    for (int i = 0; i < paths.length; i++) {
      if (method != null && !contains(methods[i], method)) {
        continue;
      }
      if (status >= 0 && (status >= 600 || !statuses[i][status])) {
        continue;
      }
      if (paths[i].matches(path)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * For a line that does not fit the format: the index of the first rule whose path expression
   * occurs anywhere in it (the line was probably meant for that rule), or -1.
   */
  private static boolean contains(String[] values, String v) {
    for (String x : values) {
      if (x.equals(v)) {
        return true;
      }
    }
    return false;
  }

  public int lookalike(String rawLine) {
    for (int i = 0; i < finders.length; i++) {
      if (finders[i].reset(rawLine).find()) {
        return i;
      }
    }
    return -1;
  }

  /** The rule at {@code index}. */
  public Rule rule(int index) {
    return rules.get(index);
  }

  /**
   * The document fields of the match {@link #select} found for rule {@code index}: each named group
   * that took part, percent-decoded, then the constants.
   *
   * @throws LogParseException when a group's value is not valid percent-encoded UTF-8
   */
  public RuleMatch fields(int index) throws LogParseException {
    Rule r = rules.get(index);
    MatchPath m = paths[index];
    int size = r.groups().size() + r.constants().size();
    String[] names = new String[size];
    String[] values = new String[size];
    int n = 0;
    for (String g : r.groups()) {
      String v = m.group(g);
      if (v != null) {
        names[n] = g;
        values[n++] = v.indexOf('%') < 0 ? v : percentDecode(g, v);
      }
    }
    for (Map.Entry<String, String> c : r.constants().entrySet()) {
      names[n] = c.getKey();
      values[n++] = c.getValue();
    }
    return new RuleMatch(r, names, values, n);
  }

  /** {@code %XX} escapes resolved as UTF-8 bytes ({@code +} stays: this is a path, not a form). */
  static String percentDecode(String field, String v) throws LogParseException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(v.length());
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '%') {
        if (i + 2 >= v.length() || hex(v.charAt(i + 1)) < 0 || hex(v.charAt(i + 2)) < 0) {
          throw new LogParseException("field " + field + ": bad percent-encoding");
        }
        out.write(hex(v.charAt(i + 1)) * 16 + hex(v.charAt(i + 2)));
        i += 2;
      } else if (c < 0x80) {
        out.write(c);
      } else {
        int cp = v.codePointAt(i);
        out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
        i += Character.charCount(cp) - 1;
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(out.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new LogParseException("field " + field + ": percent-encoding is not UTF-8");
    }
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
