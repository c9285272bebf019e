package org.kindling.platform.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A line that Kafka logs for a condition it handles itself, which reads like a fault to a person
 * watching the console. Each one is kept off the console (it stays in the log file, and {@code
 * --verbose} shows it), and each names why it is expected. A line of these loggers that matches
 * none of them is shown as usual.
 *
 * @param name what the condition is, for tests and the README
 * @param logger the logger name the line comes from (a prefix)
 * @param matches whether an event of that logger is this condition
 */
record KnownCondition(String name, String logger, Predicate<ILoggingEvent> matches) {

  /** The topic errors a NetworkClient metadata warning lists: {@code {topic=ERROR, ...}}. */
  private static final Pattern TOPIC_ERRORS = Pattern.compile("\\{([^}]*)\\}\\s*$");

  /** A Streams app's changelog or repartition topic, unknown to the broker. */
  private static final Pattern INTERNAL_UNKNOWN =
      Pattern.compile("[\\w.-]+-(?:changelog|repartition)=UNKNOWN_TOPIC_OR_PARTITION");

  /** Every condition, in the order the README lists them. */
  static final List<KnownCondition> ALL =
      List.of(
          // A transactional producer (the Streams apps under exactly-once) that starts a
          // transaction while the coordinator still writes the previous one's markers gets
          // CONCURRENT_TRANSACTIONS for its first batch to a partition; the batches it had
          // pipelined behind it are then refused as out of order. The producer retries all of
          // them in order and nothing is lost or duplicated; the broker logs each refusal at ERROR.
          new KnownCondition(
              "transactional producer retries a batch",
              "org.apache.kafka.clients.producer.internals.Sender",
              e ->
                  e.getLevel() == Level.WARN
                      && message(e).contains("retrying")
                      && (message(e).contains("OUT_OF_ORDER_SEQUENCE_NUMBER")
                          || message(e).contains("CONCURRENT_TRANSACTIONS"))),
          new KnownCondition(
              "broker refuses an out-of-order batch that its producer retries",
              "kafka.server.ReplicaManager",
              e ->
                  message(e).startsWith("[ReplicaManager")
                      && message(e).contains("Error processing append operation")
                      && thrown(e, "org.apache.kafka.common.errors.OutOfOrderSequenceException")),
          // Streams subscribes to its repartition topics before its first rebalance creates them.
          new KnownCondition(
              "Streams asks for an internal topic it has not created yet",
              "org.apache.kafka.clients.NetworkClient",
              e -> message(e).contains("recoverable issue") && onlyInternalTopicsUnknown(e)),
          // A Kafka client retries a broker it cannot reach, logging every attempt. Kindling says
          // it once in its own words: start-up fails with one line naming
          // kafka.bootstrap.servers, the edge logs that it spools, and /__heartbeat__ reports it.
          new KnownCondition(
              "a Kafka client cannot reach a broker and retries",
              "org.apache.kafka.clients.NetworkClient",
              e ->
                  message(e).contains("could not be established. Node may not be available")
                      || (message(e).contains("Bootstrap broker")
                          && message(e).contains("disconnected"))),
          // After an unclean stop Streams rebuilds the tasks' state from the changelog; Kindling's
          // StreamsRunner says so in one line before the start.
          new KnownCondition(
              "Streams rebuilds the state of tasks after an unclean stop",
              "org.apache.kafka.streams.processor.internals.",
              e ->
                  thrown(e, "org.apache.kafka.streams.errors.TaskCorruptedException")
                      || message(e).contains("did not find checkpoint offsets")
                      || message(e).contains("are corrupted")
                      || message(e).contains("corrupted task")),
          // Local mode says this once for the whole data folder (LocalCommand).
          new KnownCondition(
              "Streams' state folder is in the OS temp folder (local mode said so)",
              "org.apache.kafka.streams.processor.internals.StateDirectory",
              e ->
                  Logging.temporaryDataDirReported()
                      && message(e).contains("Using an OS temp directory")),
          // The embedded broker's shutdown closes its controller registration channel twice.
          new KnownCondition(
              "the embedded broker closes a channel twice on shutdown",
              "org.apache.kafka.clients.NetworkClient",
              e ->
                  message(e)
                      .contains("Attempting to close NetworkClient that has already been closed")),
          // The embedded broker's controller logs its activation at WARN at every start.
          new KnownCondition(
              "the embedded broker's controller becomes active",
              "org.apache.kafka.controller.QuorumController",
              e -> message(e).contains("Performing controller activation")),
          // On a restart the embedded broker registers with its own controller before that is
          // active again; the registration is retried.
          new KnownCondition(
              "the embedded broker registers before its controller is active",
              "kafka.server.ControllerApis",
              e ->
                  message(e).contains("CONTROLLER_REGISTRATION")
                      && thrown(e, "org.apache.kafka.common.errors.NotControllerException")));

  /** Whether the event is this condition. */
  boolean test(ILoggingEvent e) {
    return e.getLoggerName().startsWith(logger) && matches.test(e);
  }

  /** The first condition the event is, or null. */
  static KnownCondition of(ILoggingEvent e) {
    for (KnownCondition c : ALL) {
      if (c.test(e)) {
        return c;
      }
    }
    return null;
  }

  /** Whether every topic the warning lists is an internal topic that is not there yet. */
  private static boolean onlyInternalTopicsUnknown(ILoggingEvent e) {
    Matcher m = TOPIC_ERRORS.matcher(message(e));
    if (!m.find()) {
      return false;
    }
    for (String entry : m.group(1).split(",")) {
      if (!INTERNAL_UNKNOWN.matcher(entry.trim()).matches()) {
        return false;
      }
    }
    return true;
  }

  private static String message(ILoggingEvent e) {
    String m = e.getFormattedMessage();
    return m == null ? "" : m;
  }

  private static boolean thrown(ILoggingEvent e, String className) {
    for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
      if (className.equals(t.getClassName())) {
        return true;
      }
    }
    return false;
  }
}
