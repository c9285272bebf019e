package org.kindling.platform.logging;

import ch.qos.logback.classic.pattern.ThrowableHandlingConverter;
import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.CoreConstants;
import java.nio.file.Path;

/**
 * The console's rendering of a logged exception ({@code %oneLineEx}): while a log file holds the
 * whole stack trace, the console gets the exception and its causes on the line of the message, and
 * where the trace is; without a log file (a stage run as a service, whose console is its log), and
 * with {@code --verbose}, the whole trace as usual.
 */
public final class OneLineThrowableConverter extends ThrowableHandlingConverter {
  private final ThrowableProxyConverter full = new ThrowableProxyConverter();

  @Override
  public void start() {
    full.setContext(getContext());
    full.start();
    super.start();
  }

  @Override
  public void stop() {
    full.stop();
    super.stop();
  }

  @Override
  public String convert(ILoggingEvent event) {
    IThrowableProxy t = event.getThrowableProxy();
    if (t == null) {
      return CoreConstants.LINE_SEPARATOR;
    }
    Path file = Logging.file();
    if (file == null || Logging.isVerbose()) {
      return CoreConstants.LINE_SEPARATOR + full.convert(event);
    }
    return " [" + describe(t) + "; stack trace in " + file + "]" + CoreConstants.LINE_SEPARATOR;
  }

  /** The exception and its causes, each as {@code SimpleName: message}, joined by " <- ". */
  static String describe(IThrowableProxy t) {
    StringBuilder b = new StringBuilder();
    for (IThrowableProxy c = t; c != null; c = c.getCause()) {
      if (!b.isEmpty()) {
        b.append(" <- ");
      }
      String name = c.getClassName();
      b.append(name.substring(name.lastIndexOf('.') + 1));
      if (c.getMessage() != null) {
        b.append(": ").append(c.getMessage().replace('\n', ' '));
      }
    }
    return b.toString();
  }
}
