package org.kindling.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SubmitUriTest {
  static final String ID = "6c49ec73-4350-45a0-9c8a-6c8f5aff0f4a";

  @Test
  void shouldParseGenericForm() throws Exception {
    SubmitUri u = SubmitUri.parse("/submit/glow/download/1/" + ID);
    assertThat(u.namespace()).isEqualTo("glow");
    assertThat(u.documentType()).isEqualTo("download");
    assertThat(u.documentVersion()).isEqualTo("1");
    assertThat(u.documentId()).isEqualTo(ID);
  }

  @Test
  void shouldParseTelemetryForm() throws Exception {
    SubmitUri u =
        SubmitUri.parse("/submit/telemetry/" + ID + "/main/Firefox/121.0a1/nightly/20231120093722");
    assertThat(u.namespace()).isEqualTo("telemetry");
    assertThat(u.documentType()).isEqualTo("main");
    assertThat(u.documentVersion()).isNull();
    assertThat(u.documentId()).isEqualTo(ID);
    assertThat(u.appName()).isEqualTo("Firefox");
    assertThat(u.appVersion()).isEqualTo("121.0a1");
    assertThat(u.appUpdateChannel()).isEqualTo("nightly");
    assertThat(u.appBuildId()).isEqualTo("20231120093722");
    assertThat(u.isTelemetry()).isTrue();
  }

  @Test
  void shouldKeepTheDocumentIdInLowerCase() throws Exception {
    String upper = ID.toUpperCase(java.util.Locale.ROOT);
    SubmitUri u = SubmitUri.parse("/submit/glow/download/1/" + upper);
    assertThat(u.documentId()).isEqualTo(ID);
    assertThat(u.path()).isEqualTo("/submit/glow/download/1/" + ID);
    assertThat(SubmitUri.parse("/submit/telemetry/" + upper + "/main/Firefox/1/release/2").path())
        .isEqualTo("/submit/telemetry/" + ID + "/main/Firefox/1/release/2");
  }

  @Test
  void shouldIgnoreTheQueryAndBuildBothForms() throws Exception {
    assertThat(SubmitUri.parse("/submit/glow/download/1/" + ID + "?v=2"))
        .isEqualTo(SubmitUri.generic("glow", "download", "1", ID));
    assertThat(SubmitUri.telemetry(ID, "main", "Firefox", "145.0.1", "release", "2026").path())
        .isEqualTo("/submit/telemetry/" + ID + "/main/Firefox/145.0.1/release/2026");
    java.util.Map<String, String> a = new java.util.LinkedHashMap<>();
    SubmitUri.parse("/submit/telemetry/" + ID + "/main/Firefox/145.0.1/release/2026")
        .putAttributes(a);
    assertThat(a)
        .containsEntry(Attributes.DOCUMENT_NAMESPACE, "telemetry")
        .containsEntry(Attributes.DOCUMENT_TYPE, "main")
        .containsEntry(Attributes.DOCUMENT_ID, ID)
        .containsEntry(Attributes.APP_NAME, "Firefox")
        .containsEntry(Attributes.APP_VERSION, "145.0.1")
        .containsEntry(Attributes.APP_UPDATE_CHANNEL, "release")
        .containsEntry(Attributes.APP_BUILD_ID, "2026")
        .doesNotContainKey(Attributes.DOCUMENT_VERSION);
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
    assertThatThrownBy(() -> SubmitUri.parse(path))
        .isInstanceOfSatisfying(
            SubmitUri.InvalidException.class, e -> assertThat(e.status()).isEqualTo(404));
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
        "/submit/telemetry/" + ID + "/ma.in/Firefox/121.0/release/2023",
        "/submit/gl~ow/download/1/" + ID,
        "/submit/telemetry/" + ID + "/main/Firefox/121.0:1/release/2023",
        "/submit/glow/download/1234567890/" + ID,
        "/submit/nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn/download/1/"
            + ID
      })
  void shouldAnswerBadRequestForInvalidParts(String path) {
    assertThatThrownBy(() -> SubmitUri.parse(path))
        .isInstanceOfSatisfying(
            SubmitUri.InvalidException.class, e -> assertThat(e.status()).isEqualTo(400));
  }

  @Test
  void shouldRecogniseSubmitArea() {
    assertThat(SubmitUri.isSubmitPath("/submit")).isTrue();
    assertThat(SubmitUri.isSubmitPath("/submit/x")).isTrue();
    assertThat(SubmitUri.isSubmitPath("/submitx")).isFalse();
    assertThat(SubmitUri.isSubmitPath("/__heartbeat__")).isFalse();
  }
}
