package org.kindling.export.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kindling.export.Documents;
import org.kindling.export.ExportRecord;
import org.kindling.export.Item;
import org.kindling.export.Outcome;
import org.kindling.export.ReadRecord;
import org.kindling.export.TestConfigs;

class LogDestinationTest {
  private static final Instant T = Instant.parse("2026-11-30T12:00:00Z");

  @Test
  void shouldPrintOneLinePerRecord() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    LogDestination json =
        LogDestination.create(TestConfigs.destination("echo", "log", "log.output", "stdout"), out);
    LogDestination summary =
        LogDestination.create(
            TestConfigs.destination("echo", "log", "log.output", "stdout", "log.format", "summary"),
            out);
    ExportRecord doc = Documents.record("glow", "d-1", T, 0);
    ExportRecord err = ReadRecord.read(Documents.error(0, 1, Documents.rejection("e-1", T)));
    assertThat(json.send(List.of(Item.of(doc, json.encode(doc)), Item.of(err, json.encode(err)))))
        .isInstanceOf(Outcome.Delivered.class);
    summary.send(List.of(Item.of(doc, summary.encode(doc)), Item.of(err, summary.encode(err))));
    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0))
        .startsWith("{\"product\":\"firefox\"")
        .contains("\"document_id\":\"d-1\"");
    assertThat(lines.get(1)).contains("\"error_type\":\"schema_validation\"");
    assertThat(lines.get(2))
        .isEqualTo("glow/download/1 d-1 2026-11-30T12:00:00Z country=DE os=Windows");
    assertThat(lines.get(3))
        .isEqualTo(
            "error glow/download/1 e-1 2026-11-30T12:00:00Z stage=validator"
                + " error_type=schema_validation message=$.product: integer found, string"
                + " expected");
    assertThat(bytes.toString(StandardCharsets.UTF_8)).doesNotContain("203.0.113.7");
  }
}
