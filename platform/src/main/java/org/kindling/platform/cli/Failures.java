package org.kindling.platform.cli;

import java.net.BindException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import org.kindling.core.config.ConfigException;
import org.kindling.schemas.SchemaSetException;

/**
 * One line for a failed command: what went wrong and what to change. Kindling's own exceptions
 * carry such a sentence; exceptions of the JDK that a person can act on (a file, a port, a host)
 * are phrased here. The stack trace is for {@code --verbose}.
 */
public final class Failures {
  private Failures() {}

  /** The sentence for {@code e}: its own message, or that of the cause a person can act on. */
  public static String describe(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      String known = known(c);
      if (known != null) {
        return known;
      }
    }
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.replace('\n', ' ');
  }

  private static String known(Throwable c) {
    if (c instanceof ConfigException) {
      return "configuration error: " + c.getMessage();
    }
    if (c instanceof SchemaSetException) {
      return "schemas not usable: " + c.getMessage();
    }
    if (c instanceof PortInUseException || c instanceof KindlingFailure) {
      return c.getMessage();
    }
    if (c instanceof AccessDeniedException f) {
      return "permission denied: " + f.getFile() + " (choose a folder you can write to)";
    }
    if (c instanceof NoSuchFileException f) {
      return "no such file or folder: " + f.getFile();
    }
    if (c instanceof NotDirectoryException f) {
      return "not a folder: " + f.getFile();
    }
    if (c instanceof FileAlreadyExistsException f) {
      return "a file is in the way: " + f.getFile();
    }
    if (c instanceof FileSystemException f) {
      return "cannot use " + f.getFile() + ": " + f.getReason();
    }
    if (c instanceof BindException) {
      return "a port is already in use ("
          + c.getMessage()
          + "); stop what uses it or choose"
          + " another port with --set";
    }
    if (c instanceof UnknownHostException) {
      return "unknown host: " + c.getMessage();
    }
    if (c instanceof ConnectException) {
      return "cannot connect: " + c.getMessage();
    }
    return null;
  }

  /** A port that a command needs is taken; the message names the key that sets it. */
  public static final class PortInUseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PortInUseException(String what, String key, int port) {
      super(
          "port "
              + port
              + " ("
              + key
              + ", "
              + what
              + ") is already in use: stop what uses it, or choose another port with --set "
              + key
              + "=PORT");
    }
  }

  /** A failure whose message already says what to fix. */
  public static final class KindlingFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KindlingFailure(String message) {
      super(message);
    }

    public KindlingFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
