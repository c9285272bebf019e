package org.kindling.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.kindling.core.failure.FailureRecord;

class FilterTest {
  private static final Instant T = Instant.parse("2026-11-30T12:00:00Z");

  @Test
  void shouldTakeDoctypesByNamespaceAndTypeOrTypeAlone() {
    ExportRecord download = Documents.record("glow", "a", T, 0);
    assertThat(new Filter(Set.of(), List.of(), true, false).matches(download)).isTrue();
    assertThat(new Filter(Set.of("glow"), List.of(), true, false).matches(download)).isTrue();
    assertThat(new Filter(Set.of("telemetry"), List.of(), true, false).matches(download)).isFalse();
    assertThat(new Filter(Set.of(), List.of("glow/download"), true, false).matches(download))
        .isTrue();
    assertThat(new Filter(Set.of(), List.of("download"), true, false).matches(download)).isTrue();
    assertThat(new Filter(Set.of(), List.of("glow/share", "main"), true, false).matches(download))
        .isFalse();
    assertThat(new Filter(Set.of(), List.of(), false, true).matches(download)).isFalse();
  }

  @Test
  void shouldTakeErrorRecordsButNeverTheExportsOwn() {
    ExportRecord rejection = ReadRecord.read(Documents.error(0, 1, Documents.rejection("b", T)));
    Filter errors = new Filter(Set.of(), List.of("glow/download"), false, true);
    assertThat(errors.matches(rejection)).isTrue();
    assertThat(new Filter(Set.of(), List.of(), true, false).matches(rejection)).isFalse();
    FailureRecord own =
        new FailureRecord(
            new byte[0],
            rejection.attributes(),
            "export_failed",
            "HTTP 503",
            null,
            "export:other",
            T);
    assertThat(errors.matches(ReadRecord.read(Documents.error(0, 2, own)))).isFalse();
  }
}
