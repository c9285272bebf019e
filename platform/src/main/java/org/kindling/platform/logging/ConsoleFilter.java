package org.kindling.platform.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * What the console shows: events at or above {@link Logging#consoleLevel()}, less the {@link
 * KnownCondition}s. With {@code --verbose} it shows everything the loggers pass. The log file has
 * no such filter.
 */
public final class ConsoleFilter extends Filter<ILoggingEvent> {
  @Override
  public FilterReply decide(ILoggingEvent event) {
    if (Logging.isVerbose()) {
      return FilterReply.NEUTRAL;
    }
    if (!event.getLevel().isGreaterOrEqual(Logging.consoleLevel())) {
      return FilterReply.DENY;
    }
    return KnownCondition.of(event) == null ? FilterReply.NEUTRAL : FilterReply.DENY;
  }
}
