package org.kindling.validator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.kindling.core.Attributes;

class StepsTest {
  static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }

  static byte[] gzipUnchecked(byte[] bytes) {
    try {
      return gzip(bytes);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static final String ID = "6c49ec73-4350-45a0-9c8a-6c8f5aff0f4a";

  private static Map<String, String> parse(String uri) throws RejectedSubmission {
    Map<String, String> out = new LinkedHashMap<>();
    ParseUri.parse(uri).putAttributes(out);
    return out;
  }

  @Test
  void shouldParseBothUriForms() throws RejectedSubmission {
    assertThat(parse("/submit/glow/download/1/" + ID + "?x=1"))
        .containsEntry(Attributes.DOCUMENT_NAMESPACE, "glow")
        .containsEntry(Attributes.DOCUMENT_TYPE, "download")
        .containsEntry(Attributes.DOCUMENT_VERSION, "1")
        .containsEntry(Attributes.DOCUMENT_ID, ID);
    assertThat(parse("/submit/telemetry/" + ID + "/main/Firefox/145.0.1/release/20261117092205"))
        .containsEntry(Attributes.DOCUMENT_NAMESPACE, "telemetry")
        .containsEntry(Attributes.DOCUMENT_ID, ID)
        .containsEntry(Attributes.DOCUMENT_TYPE, "main")
        .containsEntry(Attributes.APP_NAME, "Firefox")
        .containsEntry(Attributes.APP_VERSION, "145.0.1")
        .containsEntry(Attributes.APP_UPDATE_CHANNEL, "release")
        .containsEntry(Attributes.APP_BUILD_ID, "20261117092205")
        .doesNotContainKey(Attributes.DOCUMENT_VERSION);
  }

  @Test
  void shouldRejectOtherUriShapes() {
    for (String uri :
        new String[] {
          "/submit/glow/download/1",
          "/submit/glow/download/1/" + ID + "/extra",
          "/submit//download/1/" + ID,
          "/submit/glow/download/one/" + ID,
          "/submit/glow/down load/1/" + ID,
          "/submit/glow/download/1/not-a-uuid",
          "/submit/telemetry/" + ID + "/main/Firefox/1/release",
          "/submit/telemetry/main/1/" + ID,
          "/other/glow/download/1/" + ID,
          "/submit/glow/download/1/" + "x".repeat(200)
        }) {
      assertThatThrownBy(() -> parse(uri))
          .as(uri)
          .isInstanceOfSatisfying(
              RejectedSubmission.class, e -> assertThat(e.errorType()).isEqualTo(ErrorTypes.URI));
    }
  }

  @Test
  void shouldInflateGzipUpToTheCap() throws Exception {
    DecompressPayload d = new DecompressPayload(1000);
    byte[] json = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
    assertThat(d.decode(gzip(json))).isEqualTo(json);
    assertThat(d.decode(json)).isSameAs(json);
    assertThat(d.decode(gzip(new byte[1000]))).hasSize(1000);
    assertThatThrownBy(() -> d.decode(gzip(new byte[1001])))
        .isInstanceOfSatisfying(
            RejectedSubmission.class,
            e -> assertThat(e.errorType()).isEqualTo(ErrorTypes.PAYLOAD_TOO_LARGE));
    assertThatThrownBy(() -> d.decode(new byte[1001]))
        .isInstanceOfSatisfying(
            RejectedSubmission.class,
            e -> assertThat(e.errorType()).isEqualTo(ErrorTypes.PAYLOAD_TOO_LARGE));
    // a 100 MiB bomb stops after the cap, without inflating the rest
    byte[] bomb = gzip(new byte[100 << 20]);
    long t = System.nanoTime();
    assertThatThrownBy(() -> new DecompressPayload(8 << 20).decode(bomb))
        .isInstanceOf(RejectedSubmission.class);
    assertThat(System.nanoTime() - t).isLessThan(2_000_000_000L);
  }

  @Test
  void shouldReadGzipFramingLikeTheJdk() throws Exception {
    DecompressPayload d = new DecompressPayload(1 << 20);
    byte[] a = "{\"a\":".getBytes(StandardCharsets.UTF_8);
    byte[] b = "1}".getBytes(StandardCharsets.UTF_8);
    byte[] ga = gzip(a);
    byte[] gb = gzip(b);
    byte[] twoMembers = new byte[ga.length + gb.length];
    System.arraycopy(ga, 0, twoMembers, 0, ga.length);
    System.arraycopy(gb, 0, twoMembers, ga.length, gb.length);
    assertThat(new String(d.decode(twoMembers), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
    // header with FNAME, as gzip(1) writes it
    byte[] named = new byte[ga.length + 4];
    System.arraycopy(ga, 0, named, 0, 10);
    named[3] = 8;
    named[10] = 'x';
    named[11] = '.';
    named[12] = 'j';
    named[13] = 0;
    System.arraycopy(ga, 10, named, 14, ga.length - 10);
    assertThat(d.decode(named)).isEqualTo(a);
    // a flipped CRC byte and a cut trailer are corrupt streams
    byte[] badCrc = ga.clone();
    badCrc[badCrc.length - 8] ^= 1;
    byte[] cut = Arrays.copyOf(ga, ga.length - 3);
    for (byte[] bad : new byte[][] {badCrc, cut, Arrays.copyOf(ga, 5)}) {
      assertThatThrownBy(() -> d.decode(bad))
          .isInstanceOfSatisfying(
              RejectedSubmission.class,
              e -> assertThat(e.errorType()).isEqualTo(ErrorTypes.DECOMPRESSION));
    }
  }

  @Test
  void shouldTakeTheTelemetryVersionFromThePayload() throws Exception {
    ParsePayload p = new ParsePayload(4);
    Submission s = new Submission(new byte[0], Map.of(Attributes.DOCUMENT_NAMESPACE, "telemetry"));
    s.decoded("{\"version\":5}".getBytes(StandardCharsets.UTF_8));
    p.apply(s);
    assertThat(s.attribute(Attributes.DOCUMENT_VERSION)).isEqualTo("5");
    Submission t = new Submission(new byte[0], Map.of(Attributes.DOCUMENT_NAMESPACE, "telemetry"));
    t.decoded("{\"version\":\"x\"}".getBytes(StandardCharsets.UTF_8));
    p.apply(t);
    assertThat(t.attribute(Attributes.DOCUMENT_VERSION)).isEqualTo("4");
  }

  @Test
  void shouldRefuseNonUtf8Json() {
    byte[] utf16 = "{\"a\":1}".getBytes(StandardCharsets.UTF_16LE);
    assertThatThrownBy(() -> ParsePayload.parse(utf16))
        .isInstanceOfSatisfying(
            RejectedSubmission.class,
            e -> assertThat(e.errorType()).isEqualTo(ErrorTypes.JSON_PARSE));
    byte[] latin1 = {'{', '"', 'a', '"', ':', '"', (byte) 0xe9, '"', '}'};
    assertThatThrownBy(() -> ParsePayload.parse(latin1)).isInstanceOf(RejectedSubmission.class);
  }
}
