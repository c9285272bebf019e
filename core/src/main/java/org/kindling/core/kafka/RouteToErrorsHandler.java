package org.kindling.core.kafka;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.kindling.core.AttributeHeaders;
import org.kindling.core.Topics;
import org.kindling.core.failure.FailureRecord;
import org.kindling.core.failure.FailureRecordSerde;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams exception handlers that write the failing input record to {@code ingest.errors} (as a
 * {@link FailureRecord}, through Kafka Streams' dead-letter support, inside the same transaction)
 * and continue. The client address is removed from the attributes unless the failing stage is the
 * validator, which runs before enrichment and must keep it for a replay.
 */
public final class RouteToErrorsHandler {
  private RouteToErrorsHandler() {}

  /** Streams config key naming the stage written into each failure record. */
  public static final String STAGE_CONFIG = "kindling.stage";

  private static final Logger LOG = LoggerFactory.getLogger(RouteToErrorsHandler.class);

  static ProducerRecord<byte[], byte[]> failure(
      String stage, ErrorHandlerContext context, String errorType, Exception e) {
    Map<String, String> attributes = AttributeHeaders.toMap(context.headers());
    if (!"validator".equals(stage)) {
      attributes.keySet().removeAll(org.kindling.core.Attributes.CLIENT_ADDRESS);
    }
    FailureRecord f =
        FailureRecord.of(context.sourceRawValue(), attributes, errorType, e, stage, Instant.now());
    byte[] key = context.sourceRawKey();
    LOG.warn(
        "{} failure at {}-{}@{} routed to {}: {}",
        errorType,
        context.topic(),
        context.partition(),
        context.offset(),
        Topics.ERRORS.name(),
        f.errorMessage());
    return new ProducerRecord<>(Topics.ERRORS.name(), null, key, FailureRecordSerde.encode(f));
  }

  private abstract static class Base {
    String stage = "unknown";

    public void configure(Map<String, ?> configs) {
      Object s = configs.get(STAGE_CONFIG);
      if (s != null) {
        stage = s.toString();
      }
    }
  }

  /** A record whose key or value cannot be deserialized. */
  public static final class Deserialization extends Base
      implements DeserializationExceptionHandler {
    @Override
    public Response handleError(
        ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
      return Response.resume(List.of(failure(stage, context, "deserialization", exception)));
    }
  }

  /**
   * An exception thrown by a processor. A failure record always carries the submission's original
   * bytes: an exception without a source record (in a punctuation, which works on state, not on one
   * submission) is not written to ingest.errors; it fails the stream thread instead, whose
   * transaction is aborted and retried by a new thread (see {@link StreamsRunner}).
   */
  public static final class Processing extends Base implements ProcessingExceptionHandler {
    @Override
    public Response handleError(
        ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
      if (context.sourceRawValue() == null) {
        LOG.error(
            "{}: {} failed without a source record (a punctuation); the stream thread stops",
            stage,
            context.processorNodeId(),
            exception);
        return Response.fail();
      }
      return Response.resume(List.of(failure(stage, context, "processing", exception)));
    }
  }

  /** A record that the producer cannot send (too large, cannot be serialized). */
  public static final class Production extends Base implements ProductionExceptionHandler {
    @Override
    public Response handleError(
        ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
      if (exception instanceof org.apache.kafka.common.errors.RetriableException) {
        return Response.retry();
      }
      return Response.resume(List.of(failure(stage, context, "production", exception)));
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Response handleSerializationError(
        ErrorHandlerContext context,
        ProducerRecord record,
        Exception exception,
        SerializationExceptionOrigin origin) {
      return Response.resume(List.of(failure(stage, context, "serialization", exception)));
    }
  }
}
