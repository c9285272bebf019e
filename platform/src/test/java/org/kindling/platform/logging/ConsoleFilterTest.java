package org.kindling.platform.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.spi.FilterReply;
import java.util.List;
import org.apache.kafka.common.errors.NotControllerException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.streams.errors.TaskCorruptedException;
import org.junit.jupiter.api.Test;
import org.kindling.platform.cli.Failures;

/**
 * The console keeps Kafka's lines for conditions it handles off the screen, and only those: each
 * known condition as Kafka 4.3 logs it (copied from a run of {@code kindling local}), and near
 * misses that are real problems.
 */
class ConsoleFilterTest {
  private final LoggerContext context = new LoggerContext();
  private final ConsoleFilter filter = new ConsoleFilter();

  private LoggingEvent event(String logger, Level level, String message, Throwable t) {
    Logger l = context.getLogger(logger);
    return new LoggingEvent(Logger.class.getName(), l, level, message, t, null);
  }

  private FilterReply decide(String logger, Level level, String message, Throwable t) {
    return filter.decide(event(logger, level, message, t));
  }

  @Test
  void shouldKeepKafkasHandledConditionsOffTheConsole() {
    String sender = "org.apache.kafka.clients.producer.internals.Sender";
    assertThat(
            decide(
                sender,
                Level.WARN,
                "[Producer clientId=geo-enricher-1-StreamThread-1-producer,"
                    + " transactionalId=geo-enricher-1-1] Got error produce response with"
                    + " correlation id 85 on topic-partition ingest.enriched-0, retrying"
                    + " (2147483646 attempts left). Error: OUT_OF_ORDER_SEQUENCE_NUMBER",
                null))
        .isEqualTo(FilterReply.DENY);
    assertThat(
            decide(
                sender,
                Level.WARN,
                "[Producer clientId=validator-1-producer] Got error produce response with"
                    + " correlation id 134 on topic-partition ingest.validated-0, retrying"
                    + " (2147483646 attempts left). Error: CONCURRENT_TRANSACTIONS",
                null))
        .isEqualTo(FilterReply.DENY);
    assertThat(
            decide(
                "kafka.server.ReplicaManager",
                Level.ERROR,
                "[ReplicaManager broker=1] Error processing append operation on partition"
                    + " uIyHj4KfR2i9Z1zD1tJsTA:geo-enricher-counts-by-doctype-repartition-0",
                new OutOfOrderSequenceException(
                    "Invalid sequence number for producer 0 at offset 45 in partition"
                        + " geo-enricher-counts-by-doctype-repartition-0: 1 (incoming seq."
                        + " number). Expected sequence 0 for transactions v2 idempotent producer"
                        + " with no existing state.")))
        .isEqualTo(FilterReply.DENY);
    assertThat(
            decide(
                "org.apache.kafka.clients.NetworkClient",
                Level.WARN,
                "[Consumer clientId=geo-enricher-1-StreamThread-1-consumer, groupId=geo-enricher]"
                    + " The metadata response from the cluster reported a recoverable issue with"
                    + " correlation id 2 : {geo-enricher-counts-by-doctype-repartition"
                    + "=UNKNOWN_TOPIC_OR_PARTITION}",
                null))
        .isEqualTo(FilterReply.DENY);
    assertThat(
            decide(
                "org.apache.kafka.streams.processor.internals.TaskManager",
                Level.ERROR,
                "stream-thread [validator-1-StreamThread-1] Get exceptions for the following"
                    + " tasks: {0_2=org.apache.kafka.streams.errors.TaskCorruptedException:"
                    + " Tasks [0_2] are corrupted and hence need to be re-initialized}",
                new TaskCorruptedException(java.util.Set.of())))
        .isEqualTo(FilterReply.DENY);
    assertThat(
            decide(
                "org.apache.kafka.streams.processor.internals.ProcessorStateManager",
                Level.WARN,
                "stream-task [0_3] State store dedup-store did not find checkpoint offsets while"
                    + " stores are not empty, since under EOS it has the risk of getting"
                    + " uncommitted data in stores we have to treat it as a task corruption"
                    + " error and wipe out the local state of task 0_3 before re-bootstrapping",
                null))
        .isEqualTo(FilterReply.DENY);
    assertThat(
            decide(
                "org.apache.kafka.controller.QuorumController",
                Level.WARN,
                "[QuorumController id=1] Performing controller activation. The metadata log"
                    + " appears to be empty.",
                null))
        .isEqualTo(FilterReply.DENY);
    assertThat(
            decide(
                "kafka.server.ControllerApis",
                Level.ERROR,
                "[ControllerApis nodeId=1] Unexpected error handling request"
                    + " RequestHeader(apiKey=CONTROLLER_REGISTRATION, apiVersion=0)",
                new java.util.concurrent.CompletionException(
                    new NotControllerException("The active controller appears to be node 1."))))
        .isEqualTo(FilterReply.DENY);
    assertThat(
            decide(
                "org.apache.kafka.clients.NetworkClient",
                Level.WARN,
                "[NodeToControllerChannelManager id=1 name=registration] Attempting to close"
                    + " NetworkClient that has already been closed.",
                null))
        .isEqualTo(FilterReply.DENY);
    assertThat(
            decide(
                "org.apache.kafka.clients.NetworkClient",
                Level.WARN,
                "[AdminClient clientId=adminclient-1] Connection to node -1"
                    + " (localhost/127.0.0.1:9999) could not be established. Node may not be"
                    + " available.",
                null))
        .isEqualTo(FilterReply.DENY);
  }

  @Test
  void shouldShowRealProblemsOfTheSameLoggers() {
    // A topic of the contract that is missing is a real problem, not Streams' start-up.
    assertThat(
            decide(
                "org.apache.kafka.clients.NetworkClient",
                Level.WARN,
                "[Consumer clientId=c, groupId=s3-sink-lake] The metadata response from the"
                    + " cluster reported a recoverable issue with correlation id 7 :"
                    + " {ingest.enriched=UNKNOWN_TOPIC_OR_PARTITION}",
                null))
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(
            decide(
                "org.apache.kafka.clients.NetworkClient",
                Level.WARN,
                "[Consumer clientId=c] The metadata response from the cluster reported a"
                    + " recoverable issue with correlation id 7 :"
                    + " {validator-dedup-store-changelog=UNKNOWN_TOPIC_OR_PARTITION,"
                    + " ingest.raw=UNKNOWN_TOPIC_OR_PARTITION}",
                null))
        .isEqualTo(FilterReply.NEUTRAL);
    // A producer giving up is not a retry.
    assertThat(
            decide(
                "org.apache.kafka.clients.producer.internals.Sender",
                Level.ERROR,
                "[Producer clientId=p] Uncaught error in kafka producer I/O thread",
                new IllegalStateException("boom")))
        .isEqualTo(FilterReply.NEUTRAL);
    // The broker refusing a write for another reason.
    assertThat(
            decide(
                "kafka.server.ReplicaManager",
                Level.ERROR,
                "[ReplicaManager broker=1] Error processing append operation on partition x-0",
                new org.apache.kafka.common.errors.KafkaStorageException("disk failed")))
        .isEqualTo(FilterReply.NEUTRAL);
    // Streams' state folder in /tmp is said by Kafka while local mode has not said it itself.
    assertThat(
            decide(
                "org.apache.kafka.streams.processor.internals.StateDirectory",
                Level.WARN,
                "Using an OS temp directory in the state.dir property can cause failures",
                null))
        .isEqualTo(Logging.temporaryDataDirReported() ? FilterReply.DENY : FilterReply.NEUTRAL);
    assertThat(decide("org.kindling.edge.Dispatcher", Level.WARN, "spooling to disk", null))
        .isEqualTo(FilterReply.NEUTRAL);
  }

  @Test
  void shouldNameEveryKnownCondition() {
    List<String> names = KnownCondition.ALL.stream().map(KnownCondition::name).toList();
    assertThat(names).doesNotHaveDuplicates().allMatch(n -> !n.isBlank());
  }

  @Test
  void shouldDescribeAnExceptionAndItsCausesOnOneLine() {
    LoggingEvent e =
        event(
            "org.kindling.x",
            Level.WARN,
            "stopping failed",
            new IllegalStateException("outer", new java.io.IOException("disk\nfull")));
    assertThat(OneLineThrowableConverter.describe(e.getThrowableProxy()))
        .isEqualTo("IllegalStateException: outer <- IOException: disk full");
    assertThat(Failures.describe(new IllegalStateException("x", new Failures.KindlingFailure("y"))))
        .isEqualTo("y");
  }
}
