package org.kindling.platform.query;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * SQL over a lake folder with DuckDB: every {@code <namespace>/<document_type>/v<version>/} folder
 * becomes a view {@code <namespace>_<document_type>_v<version>} (dashes become underscores) and
 * {@code errors/} becomes {@code errors}, each reading its Parquet files with Hive partitioning, so
 * {@code submission_date} is a column.
 */
public final class LakeQuery implements AutoCloseable {
  /** A query's column names and rows (values as DuckDB returns them). */
  public record Result(List<String> columns, List<List<Object>> rows) {}

  private final Connection connection;
  private final Map<String, Path> views = new LinkedHashMap<>();

  public LakeQuery(Path lake) throws SQLException, IOException {
    this.connection = DriverManager.getConnection("jdbc:duckdb:");
    if (Files.isDirectory(lake)) {
      discover(lake);
    }
    try (Statement st = connection.createStatement()) {
      for (Map.Entry<String, Path> v : views.entrySet()) {
        st.execute(
            "CREATE VIEW "
                + v.getKey()
                + " AS SELECT * FROM read_parquet('"
                + v.getValue().toString().replace("'", "''")
                + "/*/*.parquet', hive_partitioning = true, union_by_name = true)");
      }
    }
  }

  private void discover(Path lake) throws IOException {
    if (hasParquet(lake.resolve("errors"))) {
      views.put("errors", lake.resolve("errors"));
    }
    try (Stream<Path> namespaces = Files.list(lake)) {
      for (Path ns : namespaces.sorted().toList()) {
        if (!Files.isDirectory(ns) || ns.getFileName().toString().equals("errors")) {
          continue;
        }
        try (Stream<Path> types = Files.list(ns)) {
          for (Path type : types.sorted().toList()) {
            if (!Files.isDirectory(type)) {
              continue;
            }
            try (Stream<Path> versions = Files.list(type)) {
              for (Path v : versions.sorted().toList()) {
                String vn = v.getFileName().toString();
                if (Files.isDirectory(v) && vn.matches("v\\d+") && hasParquet(v)) {
                  views.put(
                      viewName(ns.getFileName().toString(), type.getFileName().toString(), vn), v);
                }
              }
            }
          }
        }
      }
    }
  }

  private static boolean hasParquet(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> files = Files.walk(dir, 2)) {
      return files.anyMatch(p -> p.getFileName().toString().endsWith(".parquet"));
    }
  }

  /** {@code glow}, {@code download}, {@code v1} → {@code glow_download_v1}. */
  public static String viewName(String namespace, String type, String version) {
    return (namespace + "_" + type + "_" + version).replaceAll("[^A-Za-z0-9_]", "_");
  }

  /** The views, by name, with the folder each reads. */
  public Map<String, Path> views() {
    return Map.copyOf(views);
  }

  /** Row count of every view. */
  public Map<String, Long> rowCounts() throws SQLException {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String v : views.keySet()) {
      counts.put(v, ((Number) run("SELECT count(*) FROM " + v).rows().get(0).get(0)).longValue());
    }
    return counts;
  }

  /** Runs one SQL statement. */
  public Result run(String sql) throws SQLException {
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      List<String> columns = new ArrayList<>();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        columns.add(md.getColumnLabel(i));
      }
      List<List<Object>> rows = new ArrayList<>();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= columns.size(); i++) {
          row.add(rs.getObject(i));
        }
        rows.add(row);
      }
      return new Result(columns, rows);
    }
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
