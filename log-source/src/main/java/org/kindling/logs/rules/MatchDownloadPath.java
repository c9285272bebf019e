package org.kindling.logs.rules;

/**
 * The built-in download rule's expression ({@link ReadRules#DOWNLOAD_PATH}) matched by a scanner:
 * {@code /<product>/<version>/<os>/<locale>/<file>} with product {@code [a-z][a-z0-9-]{0,31}},
 * version {@code [0-9][0-9a-z.]*}, os {@code [a-z0-9-]+}, locale {@code
 * [a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})?} and file {@code [^/]+}. The regular expression engine spent a
 * fifth of the follower's time on this one expression; {@code MatchDownloadPathTest} holds the two
 * equal on generated paths, so the expression stays the definition.
 */
final class MatchDownloadPath implements MatchPath {
  private String path;
  private final int[] bounds = new int[8]; // start and end of product, version, os, locale

  @Override
  public boolean matches(String p) {
    path = p;
    int n = p.length();
    if (n == 0 || p.charAt(0) != '/') {
      return false;
    }
    // product
    int i = 1;
    if (i >= n || !lower(p.charAt(i))) {
      return false;
    }
    int start = i++;
    while (i < n
        && i - start < 32
        && (lower(p.charAt(i)) || digit(p.charAt(i)) || p.charAt(i) == '-')) {
      i++;
    }
    if (!slash(p, i)) {
      return false;
    }
    bounds[0] = start;
    bounds[1] = i++;
    // version
    if (i >= n || !digit(p.charAt(i))) {
      return false;
    }
    start = i++;
    while (i < n && (digit(p.charAt(i)) || lower(p.charAt(i)) || p.charAt(i) == '.')) {
      i++;
    }
    if (!slash(p, i)) {
      return false;
    }
    bounds[2] = start;
    bounds[3] = i++;
    // os
    start = i;
    while (i < n && (lower(p.charAt(i)) || digit(p.charAt(i)) || p.charAt(i) == '-')) {
      i++;
    }
    if (i == start || !slash(p, i)) {
      return false;
    }
    bounds[4] = start;
    bounds[5] = i++;
    // locale
    start = i;
    while (i < n && i - start < 3 && letter(p.charAt(i))) {
      i++;
    }
    if (i - start < 2) {
      return false;
    }
    if (i < n && p.charAt(i) == '-') {
      int r = i + 1;
      while (r < n && r - (i + 1) < 8 && (letter(p.charAt(r)) || digit(p.charAt(r)))) {
        r++;
      }
      if (r - (i + 1) >= 2) {
        i = r;
      }
    }
    if (!slash(p, i)) {
      return false;
    }
    bounds[6] = start;
    bounds[7] = i++;
    // file: at least one character, no slash, to the end
    if (i >= n) {
      return false;
    }
    return p.indexOf('/', i) < 0;
  }

  @Override
  public String group(String name) {
    int g =
        switch (name) {
          case "product" -> 0;
          case "version" -> 2;
          case "os" -> 4;
          case "locale" -> 6;
          default -> -1;
        };
    return g < 0 ? null : path.substring(bounds[g], bounds[g + 1]);
  }

  private static boolean slash(String p, int i) {
    return i < p.length() && p.charAt(i) == '/';
  }

  private static boolean lower(char c) {
    return c >= 'a' && c <= 'z';
  }

  private static boolean digit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean letter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
}
