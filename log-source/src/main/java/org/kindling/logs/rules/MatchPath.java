package org.kindling.logs.rules;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Matches a rule's path expression against a request path and gives the named groups of the match.
 * Not thread-safe: it keeps the last match.
 */
interface MatchPath {
  /** Whether the whole {@code path} matches. */
  boolean matches(String path);

  /** The value of group {@code name} in the last match, or null when it took no part. */
  String group(String name);

  /** The matcher for {@code pattern}: the hand-written one for the built-in rule's, else regex. */
  static MatchPath of(Pattern pattern) {
    return pattern.pattern().equals(ReadRules.DOWNLOAD_PATH)
        ? new MatchDownloadPath()
        : new Regex(pattern.matcher(""));
  }

  /** Any expression, through {@link Matcher}. */
  final class Regex implements MatchPath {
    private final Matcher m;

    Regex(Matcher m) {
      this.m = m;
    }

    @Override
    public boolean matches(String path) {
      return m.reset(path).matches();
    }

    @Override
    public String group(String name) {
      return m.group(name);
    }
  }
}
