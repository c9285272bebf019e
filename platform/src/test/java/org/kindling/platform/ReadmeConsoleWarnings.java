package org.kindling.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The warnings the README's "What the console shows" section lists: the first code span of each
 * table row between {@code <!-- console-warnings:start -->} and {@code <!-- console-warnings:end
 * -->}, a fragment of the warning's text.
 */
final class ReadmeConsoleWarnings {
  private static final Pattern ROW = Pattern.compile("^\\|\\s*`([^`]+)`");

  private ReadmeConsoleWarnings() {}

  static List<String> listed(Path readme) throws IOException {
    String doc = Files.readString(readme);
    int start = doc.indexOf("<!-- console-warnings:start -->");
    int end = doc.indexOf("<!-- console-warnings:end -->");
    if (start < 0 || end < start) {
      throw new IllegalStateException("README.md has no console-warnings section");
    }
    List<String> fragments = new ArrayList<>();
    for (String line : doc.substring(start, end).lines().toList()) {
      Matcher m = ROW.matcher(line);
      if (m.find()) {
        fragments.add(m.group(1));
      }
    }
    return fragments;
  }
}
