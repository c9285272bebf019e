package org.kindling.export;

/** A record that a destination cannot express (no device id for Amplitude, not a JSON object). */
public final class UnencodableException extends Exception {
  private static final long serialVersionUID = 1L;

  public UnencodableException(String message) {
    super(message);
  }
}
