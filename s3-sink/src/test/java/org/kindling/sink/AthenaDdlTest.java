package org.kindling.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.core.failure.FailureRecord;
import org.kindling.core.failure.FailureRecordSerde;

/** The DDL against the Parquet files the sink writes, read by DuckDB. */
class AthenaDdlTest {
  @TempDir Path dir;

  private static final Pattern COLUMN = Pattern.compile("^  `([^`]+)` (.+?),?$", Pattern.MULTILINE);

  /** Column name to type, in the order of the statement. */
  static Map<String, String> columns(String ddl) {
    Map<String, String> out = new LinkedHashMap<>();
    String body = ddl.substring(ddl.indexOf("(\n") + 2, ddl.indexOf("\n)\nPARTITIONED"));
    Matcher m = COLUMN.matcher(body);
    while (m.find()) {
      out.put(m.group(1), m.group(2));
    }
    return out;
  }

  /** A Hive type as DuckDB names the same Parquet type. */
  static String duckType(String hive) {
    String h = hive.trim();
    if (h.startsWith("array<")) {
      return duckType(h.substring(6, h.length() - 1)) + "[]";
    }
    if (h.startsWith("map<string,")) {
      return "MAP(VARCHAR, " + duckType(h.substring(11, h.length() - 1)) + ")";
    }
    if (h.startsWith("struct<")) {
      List<String> parts = new ArrayList<>();
      for (String f : splitTop(h.substring(7, h.length() - 1))) {
        int colon = f.indexOf(':');
        parts.add(f.substring(0, colon).replace("`", "") + " " + duckType(f.substring(colon + 1)));
      }
      return "STRUCT(" + String.join(", ", parts) + ")";
    }
    switch (h) {
      case "string":
        return "VARCHAR";
      case "timestamp":
        return "TIMESTAMP WITH TIME ZONE";
      case "binary":
        return "BLOB";
      default:
        return h.toUpperCase(Locale.ROOT);
    }
  }

  private static List<String> splitTop(String s) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '<') {
        depth++;
      } else if (c == '>') {
        depth--;
      } else if (c == ',' && depth == 0) {
        out.add(s.substring(start, i));
        start = i + 1;
      }
    }
    out.add(s.substring(start));
    return out;
  }

  static Map<String, String> described(String glob) throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "DESCRIBE SELECT * FROM read_parquet('" + glob + "', hive_partitioning=false)")) {
      while (rs.next()) {
        // DuckDB quotes reserved words in struct fields ("version"); the DDL uses backticks
        out.put(rs.getString(1), rs.getString(2).replace("\"", ""));
      }
    }
    return out;
  }

  @Test
  void shouldDescribeExactlyTheColumnsTheSinkWrites() throws Exception {
    SchemaLookup schemas = FormatsTest.testSchemas();
    List<String> ddl = AthenaDdl.statements(schemas, "s3://kindling-lake");
    assertThat(ddl).hasSize(2);
    assertThat(ddl.get(0))
        .startsWith("CREATE EXTERNAL TABLE IF NOT EXISTS `glow_download_v1` (")
        .contains("LOCATION 's3://kindling-lake/glow/download/v1/'")
        .contains("PARTITIONED BY (`submission_date` string)")
        .contains("'projection.submission_date.type'='date'")
        .contains(
            "'storage.location.template'='s3://kindling-lake/glow/download/v1/"
                + "submission_date=${submission_date}/'");

    // write one document and one error with the sink's formats
    new FormatsTest().writeForDdl(dir, schemas);
    Map<String, String> expected = new LinkedHashMap<>();
    columns(ddl.get(0)).forEach((k, v) -> expected.put(k, duckType(v)));
    assertThat(described(dir.resolve("s3/lake") + "/glow/download/v1/*/*.parquet"))
        .containsExactlyEntriesOf(expected);

    Map<String, String> expectedErrors = new LinkedHashMap<>();
    columns(ddl.get(1)).forEach((k, v) -> expectedErrors.put(k, duckType(v)));
    assertThat(described(dir.resolve("s3/lake") + "/errors/*/*.parquet"))
        .containsExactlyEntriesOf(expectedErrors);
  }

  static byte[] errorBytes() {
    return FailureRecordSerde.encode(
        new FailureRecord(
            "x".getBytes(StandardCharsets.UTF_8),
            Map.of("uri", "/submit/x"),
            "uri",
            "bad uri",
            null,
            "validator",
            java.time.Instant.parse("2026-11-24T00:00:00Z")));
  }
}
