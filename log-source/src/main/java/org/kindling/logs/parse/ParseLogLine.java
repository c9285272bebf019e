package org.kindling.logs.parse;

/** Splits one line of a log format into its fields. Implementations are thread-safe. */
public interface ParseLogLine {
  /**
   * The fields of {@code line}.
   *
   * @throws LogParseException when the line does not fit the format
   */
  LogLine parse(String line) throws LogParseException;
}
