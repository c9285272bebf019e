package org.kindling.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParseSubmitUriTest {
  static final String ID = "6c49ec73-4350-45a0-9c8a-6c8f5aff0f4a";

  @Test
  void shouldParseGenericForm() throws Exception {
    ParseSubmitUri.SubmitUri u = ParseSubmitUri.parse("/submit/glow/download/1/" + ID);
    assertThat(u.namespace()).isEqualTo("glow");
    assertThat(u.documentType()).isEqualTo("download");
    assertThat(u.documentVersion()).isEqualTo("1");
    assertThat(u.documentId()).isEqualTo(ID);
  }

  @Test
  void shouldParseTelemetryForm() throws Exception {
    ParseSubmitUri.SubmitUri u =
        ParseSubmitUri.parse(
            "/submit/telemetry/" + ID + "/main/Firefox/121.0a1/nightly/20231120093722");
    assertThat(u.namespace()).isEqualTo("telemetry");
    assertThat(u.documentType()).isEqualTo("main");
    assertThat(u.documentVersion()).isNull();
    assertThat(u.documentId()).isEqualTo(ID);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/",
        "/foo",
        "/submitx/a/b/1/" + ID,
        "/submit/",
        "/submit/glow",
        "/submit/glow/download/1",
        "/submit/glow/download/1/" + ID + "/extra",
        "/submit/glow/download/1/" + ID + "/",
        "/submit/telemetry/" + ID + "/main/Firefox/121.0/release",
        "/submit/telemetry/" + ID + "/main/Firefox/121.0/release/2023/x",
        "/submit/telemetry/main/4/" + ID
      })
  void shouldAnswerNotFoundForWrongShape(String path) {
    assertThatThrownBy(() -> ParseSubmitUri.parse(path))
        .isInstanceOfSatisfying(
            ParseSubmitUri.InvalidUriException.class, e -> assertThat(e.status()).isEqualTo(404));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/submit/glow/download/1/not-a-uuid",
        "/submit/glow/download/1/6c49ec73435045a09c8a6c8f5aff0f4a",
        "/submit/gl.ow/download/1/" + ID,
        "/submit/glow/down%20load/1/" + ID,
        "/submit/glow//1/" + ID,
        "/submit/glow/download/v1/" + ID,
        "/submit/glow/download//" + ID,
        "/submit/telemetry/not-a-uuid/main/Firefox/121.0/release/2023",
        "/submit/telemetry/" + ID + "/main/Fire fox/121.0/release/2023",
        "/submit/telemetry/" + ID + "/ma.in/Firefox/121.0/release/2023"
      })
  void shouldAnswerBadRequestForInvalidParts(String path) {
    assertThatThrownBy(() -> ParseSubmitUri.parse(path))
        .isInstanceOfSatisfying(
            ParseSubmitUri.InvalidUriException.class, e -> assertThat(e.status()).isEqualTo(400));
  }

  @Test
  void shouldRecogniseSubmitArea() {
    assertThat(ParseSubmitUri.isSubmitPath("/submit")).isTrue();
    assertThat(ParseSubmitUri.isSubmitPath("/submit/x")).isTrue();
    assertThat(ParseSubmitUri.isSubmitPath("/submitx")).isFalse();
    assertThat(ParseSubmitUri.isSubmitPath("/__heartbeat__")).isFalse();
  }
}
