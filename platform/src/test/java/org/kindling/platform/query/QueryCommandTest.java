package org.kindling.platform.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.platform.Kindling;
import picocli.CommandLine;

class QueryCommandTest {
  @TempDir Path lake;

  /** Writes a small Hive-partitioned Parquet lake with DuckDB itself. */
  private void writeLake() throws Exception {
    Path d1 = lake.resolve("glow/download/v1/submission_date=2026-11-23");
    Path d2 = lake.resolve("glow/download/v1/submission_date=2026-11-24");
    Path e = lake.resolve("errors/submission_date=2026-11-24");
    Path g = lake.resolve("org-mozilla-fenix/baseline/v1/submission_date=2026-11-24");
    for (Path p : new Path[] {d1, d2, e, g}) {
      Files.createDirectories(p);
    }
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      st.execute(
          "COPY (SELECT 'DE' AS normalized_country_code, 'firefox' AS product UNION ALL SELECT"
              + " 'FR', 'firefox') TO '"
              + d1.resolve("ingest.enriched+0+00000000000000000000.parquet")
              + "' (FORMAT parquet)");
      st.execute(
          "COPY (SELECT 'DE' AS normalized_country_code, 'thunderbird' AS product) TO '"
              + d2.resolve("ingest.enriched+1+00000000000000000007.parquet")
              + "' (FORMAT parquet)");
      st.execute(
          "COPY (SELECT 'json_parse' AS error_type) TO '"
              + e.resolve("ingest.errors+0+00000000000000000000.parquet")
              + "' (FORMAT parquet)");
      st.execute(
          "COPY (SELECT 42 AS seq) TO '"
              + g.resolve("ingest.enriched+0+00000000000000000000.parquet")
              + "' (FORMAT parquet)");
    }
  }

  private String run(String... args) {
    StringWriter out = new StringWriter();
    CommandLine cl = Kindling.newCommandLine();
    cl.setOut(new PrintWriter(out));
    int code = cl.execute(args);
    assertThat(code).as(out.toString()).isZero();
    return out.toString();
  }

  @Test
  void shouldListEveryDoctypeViewWithRowCounts() throws Exception {
    writeLake();
    String out = run("query", "--lake", lake.toString(), "--tables", "--format", "csv");
    assertThat(out.lines())
        .containsExactly(
            "table,rows", "errors,1", "glow_download_v1,3", "org_mozilla_fenix_baseline_v1,1");
  }

  @Test
  void shouldQueryWithThePartitionColumnAsATable() throws Exception {
    writeLake();
    String out =
        run(
            "query",
            "--lake",
            lake.toString(),
            "SELECT submission_date, count(*) AS n FROM glow_download_v1"
                + " WHERE normalized_country_code = 'DE' GROUP BY 1 ORDER BY 1");
    assertThat(out.lines())
        .containsExactly(
            "submission_date  n",
            "---------------  -",
            "2026-11-23       1",
            "2026-11-24       1",
            "(2 rows)");
  }

  @Test
  void shouldPrintJsonLines() throws Exception {
    writeLake();
    String out =
        run(
            "query",
            "--lake",
            lake.toString(),
            "--format",
            "json",
            "SELECT error_type, count(*) AS n FROM errors GROUP BY 1");
    assertThat(out.trim()).isEqualTo("{\"error_type\":\"json_parse\",\"n\":1}");
  }
}
