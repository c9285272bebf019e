package org.kindling.schemas;

/**
 * A schema set that cannot be used: a directory that is not there or holds no doctype schema, or
 * schema files that are not JSON objects, declare an unknown draft or carry pipeline settings with
 * values Kindling cannot apply. The message is one line naming the files; a running stage keeps its
 * old set, a starting one stops.
 */
public final class SchemaSetException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public SchemaSetException(String message) {
    super(message);
  }
}
