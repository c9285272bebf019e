package org.kindling.platform.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * The command's logging, on top of {@code logback.xml}: the console shows what an operator needs
 * (see {@link ConsoleFilter}); {@code kindling local} also writes everything to a log file; {@code
 * --verbose} shows everything on the console, third-party INFO included. Logging is process-wide
 * state (logback's), so this is too; a replacement {@code logback.xml} ({@code
 * -Dlogback.configurationFile=FILE}) takes precedence over all of it.
 */
public final class Logging {
  /** Loggers that logback.xml holds at WARN because their INFO is a library's diary. */
  static final List<String> THIRD_PARTY =
      List.of(
          "org.apache.kafka",
          "kafka",
          "state.change.logger",
          "org.gaul",
          "org.jclouds",
          "org.eclipse.jetty",
          "org.apache.parquet");

  private static final String FILE_APPENDER = "FILE";

  private static volatile boolean verbose;
  private static volatile Level consoleLevel = Level.INFO;
  private static volatile Path file;
  private static volatile boolean temporaryDataDirReported;

  private Logging() {}

  /** Whether {@code --verbose} was given. */
  public static boolean isVerbose() {
    return verbose;
  }

  /** The lowest level the console shows (INFO, WARN in local mode). */
  static Level consoleLevel() {
    return consoleLevel;
  }

  /** The log file, or null when there is none. */
  public static Path file() {
    return file;
  }

  /**
   * Local mode has said that its data folder is in the OS temp folder; Kafka Streams' own warning
   * about its state folder there is then kept off the console.
   */
  public static void reportedTemporaryDataDir() {
    temporaryDataDirReported = true;
  }

  static boolean temporaryDataDirReported() {
    return temporaryDataDirReported;
  }

  /** {@code --verbose}: the console shows every line, with stack traces, and third-party INFO. */
  public static void verbose() {
    verbose = true;
    for (String name : THIRD_PARTY) {
      logger(name).setLevel(Level.INFO);
    }
  }

  /**
   * Writes everything to {@code logFile} (full stack traces, the known conditions included, rolled
   * over at 20 MiB, three files kept) and shows only warnings and errors on the console: local mode
   * prints its own summary, the file has the diary.
   */
  public static void toFile(Path logFile) throws IOException {
    Path f = logFile.toAbsolutePath();
    Files.createDirectories(f.getParent());
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    if (root.getAppender(FILE_APPENDER) != null) {
      return;
    }
    RollingFileAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
        new RollingFileAppender<>();
    appender.setContext(context);
    appender.setName(FILE_APPENDER);
    appender.setFile(f.toString());
    FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
    rolling.setContext(context);
    rolling.setParent(appender);
    rolling.setFileNamePattern(f + ".%i");
    rolling.setMinIndex(1);
    rolling.setMaxIndex(3);
    rolling.start();
    SizeBasedTriggeringPolicy<ch.qos.logback.classic.spi.ILoggingEvent> trigger =
        new SizeBasedTriggeringPolicy<>();
    trigger.setContext(context);
    trigger.setMaxFileSize(FileSize.valueOf("20MB"));
    trigger.start();
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n");
    encoder.start();
    appender.setRollingPolicy(rolling);
    appender.setTriggeringPolicy(trigger);
    appender.setEncoder(encoder);
    appender.start();
    root.addAppender(appender);
    file = f;
    consoleLevel = Level.WARN;
  }

  private static Logger logger(String name) {
    return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(name);
  }
}
