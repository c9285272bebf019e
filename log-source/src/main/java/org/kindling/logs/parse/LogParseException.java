package org.kindling.logs.parse;

/**
 * A line that a rule selected but that cannot become a document: it does not fit the format, its
 * time or address is not valid, a field is badly encoded. The message names the field, never its
 * value when that could be an address.
 */
public final class LogParseException extends Exception {
  private static final long serialVersionUID = 1L;

  public LogParseException(String message) {
    super(message, null, false, false);
  }
}
