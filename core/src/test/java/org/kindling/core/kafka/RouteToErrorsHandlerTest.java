package org.kindling.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;
import org.kindling.core.AttributeHeaders;
import org.kindling.core.failure.FailureRecord;
import org.kindling.core.failure.FailureRecordSerde;

class RouteToErrorsHandlerTest {

  private static ErrorHandlerContext context(byte[] value, Headers headers) {
    return new ErrorHandlerContext() {
      @Override
      public String topic() {
        return value == null ? null : "ingest.validated";
      }

      @Override
      public int partition() {
        return 0;
      }

      @Override
      public long offset() {
        return 7;
      }

      @Override
      public Headers headers() {
        return headers;
      }

      @Override
      public String processorNodeId() {
        return "count";
      }

      @Override
      public TaskId taskId() {
        return new TaskId(0, 0);
      }

      @Override
      public long timestamp() {
        return 0;
      }

      @Override
      public byte[] sourceRawKey() {
        return value == null ? null : "id".getBytes(StandardCharsets.UTF_8);
      }

      @Override
      public byte[] sourceRawValue() {
        return value;
      }
    };
  }

  private static RouteToErrorsHandler.Processing handler() {
    RouteToErrorsHandler.Processing h = new RouteToErrorsHandler.Processing();
    h.configure(Map.of(RouteToErrorsHandler.STAGE_CONFIG, "geo-enricher"));
    return h;
  }

  /** The failure record of a processor's exception holds the submission's bytes, never less. */
  @Test
  void shouldKeepTheSubmissionsBytesAndDropTheClientAddress() {
    byte[] submission = "{\"product\":\"firefox\"}".getBytes(StandardCharsets.UTF_8);
    Headers headers =
        AttributeHeaders.fromMap(Map.of("remote_addr", "203.0.113.9", "document_id", "id"));
    ProcessingExceptionHandler.Response r =
        handler().handleError(context(submission, headers), null, new IllegalStateException("x"));
    assertThat(r.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
    FailureRecord f = FailureRecordSerde.decode(r.deadLetterQueueRecords().get(0).value());
    assertThat(f.payload()).isEqualTo(submission);
    assertThat(f.errorType()).isEqualTo("processing");
    assertThat(f.attributes()).containsEntry("document_id", "id").doesNotContainKey("remote_addr");
  }

  /**
   * A punctuation has no source record: rather than a failure record without the submission's
   * bytes, the thread fails (its transaction is retried by a new one).
   */
  @Test
  void shouldFailTheThreadRatherThanWriteAFailureWithoutBytes() {
    ProcessingExceptionHandler.Response r =
        handler()
            .handleError(context(null, new RecordHeaders()), null, new IllegalStateException("x"));
    assertThat(r.result()).isEqualTo(ProcessingExceptionHandler.Result.FAIL);
    assertThat(r.deadLetterQueueRecords()).isEmpty();
  }
}
