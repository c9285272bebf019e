package org.kindling.validator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.kindling.core.AttributeHeaders;
import org.kindling.core.Attributes;
import org.kindling.core.Json;
import org.kindling.core.failure.FailureRecord;
import org.kindling.core.failure.FailureRecordSerde;

/**
 * Runs {@link ValidationSteps} on each raw record: a valid document goes on (re-serialized compact
 * JSON, headers = attributes + URI parts, key = document_id) to {@link Deduplicate}; a rejected one
 * becomes a {@link FailureRecord} with the original bytes and attributes (client address included,
 * so it can be replayed) on the errors sink.
 */
final class ValidateProcessor implements Processor<String, byte[], String, byte[]> {
  static final String STAGE = "validator";

  private final ValidationSteps steps;
  private final long maxDocumentBytes;
  private final ValidatorMetrics metrics;
  private final String validChild;
  private final String errorChild;
  private ProcessorContext<String, byte[]> context;

  ValidateProcessor(
      ValidationSteps steps,
      long maxDocumentBytes,
      ValidatorMetrics metrics,
      String validChild,
      String errorChild) {
    this.steps = steps;
    this.maxDocumentBytes = maxDocumentBytes;
    this.metrics = metrics;
    this.validChild = validChild;
    this.errorChild = errorChild;
  }

  @Override
  public void init(ProcessorContext<String, byte[]> context) {
    this.context = context;
  }

  private static byte[] serialize(Submission s) {
    try {
      return Json.mapper().writeValueAsBytes(s.document());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void process(Record<String, byte[]> record) {
    Submission s = new Submission(record.value(), AttributeHeaders.toMap(record.headers()));
    byte[] json;
    try {
      steps.apply(s);
      json = serialize(s);
      if (json.length > maxDocumentBytes) {
        throw new RejectedSubmission(
            ErrorTypes.DOCUMENT_TOO_LARGE,
            "valid document of "
                + json.length
                + " bytes; the pipeline carries documents up to "
                + maxDocumentBytes
                + " (topics.max.message.bytes)");
      }
    } catch (RejectedSubmission e) {
      metrics.error(e.errorType(), s.attributes());
      FailureRecord f =
          new FailureRecord(
              s.raw(),
              s.attributes(),
              e.errorType(),
              e.getMessage(),
              e.exceptionClass(),
              STAGE,
              Instant.ofEpochMilli(context.currentSystemTimeMs()));
      context.forward(
          record.withValue(FailureRecordSerde.encode(f)).withHeaders(new RecordHeaders()),
          errorChild);
      return;
    }
    Map<String, String> attributes = s.attributes();
    context.forward(
        new Record<>(
            attributes.get(Attributes.DOCUMENT_ID),
            json,
            record.timestamp(),
            AttributeHeaders.fromMap(attributes)),
        validChild);
  }
}
