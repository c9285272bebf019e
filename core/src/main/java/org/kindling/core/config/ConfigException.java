package org.kindling.core.config;

/** A configuration problem found at start-up; the message names the key and what is wrong. */
public class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }
}
