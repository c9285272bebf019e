package org.kindling.export.influxdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.kindling.export.Documents;
import org.kindling.export.ExportRecord;
import org.kindling.export.ReadRecord;
import org.kindling.export.TestConfigs;
import org.kindling.export.UnencodableException;

class InfluxDestinationTest {
  private static final Instant T = Instant.parse("2026-11-30T12:00:00.123456Z");

  private static InfluxDestination influx(String... kv) {
    String[] all = new String[kv.length + 4];
    all[0] = "influxdb.url";
    all[1] = "http://influx.example:8086/";
    all[2] = "influxdb.database";
    all[3] = "kindling";
    System.arraycopy(kv, 0, all, 4, kv.length);
    return InfluxDestination.create(
        TestConfigs.destination("grafana", "influxdb", all), Clock.systemUTC());
  }

  private static String line(InfluxDestination d, ExportRecord r) throws Exception {
    return new String(d.encode(r), StandardCharsets.UTF_8);
  }

  @Test
  void shouldWriteToTheVersionsWriteApis() {
    assertThat(influx().writeUri())
        .hasToString("http://influx.example:8086/write?db=kindling&precision=ns");
    assertThat(
            influx("influxdb.retention.policy", "one week", "influxdb.precision", "ms").writeUri())
        .hasToString("http://influx.example:8086/write?db=kindling&rp=one+week&precision=ms");
    InfluxDestination v2 =
        InfluxDestination.create(
            TestConfigs.destination(
                "grafana",
                "influxdb",
                "influxdb.url",
                "https://eu.influx.example/base",
                "influxdb.version",
                "2",
                "influxdb.org",
                "glow team",
                "influxdb.bucket",
                "kindling",
                "influxdb.token",
                "t0k3n"),
            Clock.systemUTC());
    assertThat(v2.writeUri())
        .hasToString(
            "https://eu.influx.example/base/api/v2/write?org=glow+team&bucket=kindling"
                + "&precision=ns");
    assertThat(v2.target()).doesNotContain("t0k3n");
  }

  @Test
  void shouldWriteAPointPerDocumentWithTheChosenTagsAndFields() throws Exception {
    InfluxDestination d = influx("influxdb.precision", "ms");
    ExportRecord r = Documents.record("glow", "d-1", T, 0);
    assertThat(line(d, r))
        .isEqualTo(
            "glow_download,channel=release,country=DE,os=Windows count=1i " + T.toEpochMilli());
    ObjectNode doc = Documents.download("d-2", T, "US", "Mac OS X");
    doc.put("response_time_ms", 12.5);
    doc.put("queue_length", 3);
    doc.put("not_a_number", "12");
    doc.putObject("timing").put("ms", 40);
    ExportRecord r2 =
        ReadRecord.read(
            Documents.enriched(
                0, 1, Documents.bytes(doc), Documents.attributes("service", "health", "d-2", T)));
    InfluxDestination fields =
        influx(
            "influxdb.precision",
            "ms",
            "influxdb.tags",
            "country=metadata.geo.country,os=metadata.user_agent.os,missing=metadata.nothing",
            "influxdb.fields",
            "response_time_ms,queue_length,not_a_number,latency=timing.ms,absent");
    assertThat(line(fields, r2))
        .isEqualTo(
            "service_health,country=US,os=Mac\\ OS\\ X"
                + " count=1i,response_time_ms=12.5,queue_length=3,latency=40 "
                + T.toEpochMilli());
  }

  @Test
  void shouldGiveEachDocumentItsOwnNanosecondsAndTheSameOnAResend() throws Exception {
    InfluxDestination d = influx();
    long a = d.time(T, "id-a");
    long b = d.time(T, "id-b");
    assertThat(a / 1_000_000).isEqualTo(T.toEpochMilli());
    assertThat(b / 1_000_000).isEqualTo(T.toEpochMilli());
    assertThat(a).isNotEqualTo(b).isEqualTo(d.time(T, "id-a"));
    assertThat(line(d, Documents.record("glow", "id-a", T, 0))).endsWith(" " + a);
  }

  @Test
  void shouldWriteErrorRecordsToTheErrorsMeasurement() throws Exception {
    ExportRecord r = ReadRecord.read(Documents.error(0, 4, Documents.rejection("e", T)));
    assertThat(line(influx("influxdb.precision", "ms"), r))
        .isEqualTo(
            "ingest_errors,document_namespace=glow,document_type=download,"
                + "error_type=schema_validation,stage=validator count=1i "
                + T.toEpochMilli());
  }

  @Test
  void shouldRefuseARecordWithoutJsonOrTime() {
    ExportRecord notJson =
        ReadRecord.read(
            Documents.enriched(
                0,
                0,
                "not json".getBytes(StandardCharsets.UTF_8),
                Documents.attributes("glow", "download", "x", T)));
    assertThatThrownBy(() -> influx().encode(notJson)).isInstanceOf(UnencodableException.class);
    ObjectNode doc = Documents.download("y", T, "DE", "Linux");
    doc.remove("submission_timestamp");
    var attrs = Documents.attributes("glow", "download", "y", T);
    attrs.remove("submission_timestamp");
    ExportRecord noTime = ReadRecord.read(Documents.enriched(0, 0, Documents.bytes(doc), attrs));
    assertThatThrownBy(() -> influx().encode(noTime))
        .hasMessageContaining("no submission_timestamp");
  }
}
