package org.kindling.bench.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Watches the lake bucket's folder of the embedded S3 server: notes when each Parquet object first
 * appears (polling every 100 ms), then reads its {@code submission_timestamp} column with DuckDB. A
 * row's end-to-end latency is the time its object appeared minus its submission timestamp (set by
 * the edge when the request arrived). The errors lake ({@code errors/}) is not counted.
 */
final class LakeWatcher implements AutoCloseable {
  /** One landed row: when the edge received it and when its object appeared (epoch ms). */
  record Row(long submittedMillis, long landedMillis) {}

  private final Path lake;
  private final ScheduledExecutorService poller =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "lake-watcher");
            t.setDaemon(true);
            return t;
          });
  private final Map<Path, Long> firstSeen = new HashMap<>();
  private final Map<Path, Long> unread = new LinkedHashMap<>();
  private final List<Row> rows = new ArrayList<>();
  private final Connection duckdb;

  LakeWatcher(Path lake) throws SQLException {
    this.lake = lake;
    this.duckdb = DriverManager.getConnection("jdbc:duckdb:");
    poller.scheduleWithFixedDelay(this::poll, 0, 100, TimeUnit.MILLISECONDS);
  }

  private void poll() {
    long now = System.currentTimeMillis();
    if (!Files.isDirectory(lake)) {
      return;
    }
    try (Stream<Path> files = Files.walk(lake)) {
      List<Path> found =
          files
              .filter(p -> p.getFileName().toString().endsWith(".parquet"))
              .filter(p -> !lake.relativize(p).startsWith("errors"))
              .toList();
      synchronized (this) {
        for (Path p : found) {
          if (firstSeen.putIfAbsent(p, now) == null) {
            unread.put(p, now);
          }
        }
      }
    } catch (IOException | UncheckedIOException e) {
      // a file renamed or removed during the walk: the next poll sees the folder as it is
    }
  }

  /**
   * Reads the objects that appeared since the last call (without holding up the poller, whose
   * first-seen times are the measurement); returns all rows seen so far.
   */
  List<Row> collect() throws SQLException {
    Map<Path, Long> todo;
    synchronized (this) {
      todo = new LinkedHashMap<>(unread);
    }
    for (Map.Entry<Path, Long> e : todo.entrySet()) {
      List<Row> fileRows = new ArrayList<>();
      try (Statement st = duckdb.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT epoch_ms(submission_timestamp) FROM read_parquet('"
                      + e.getKey().toString().replace("'", "''")
                      + "')")) {
        while (rs.next()) {
          fileRows.add(new Row(rs.getLong(1), e.getValue()));
        }
      } catch (SQLException ex) {
        if (!Files.exists(e.getKey())) {
          synchronized (this) {
            unread.remove(e.getKey());
          }
        }
        // otherwise an object still being written: read it on the next call
        continue;
      }
      synchronized (this) {
        rows.addAll(fileRows);
        unread.remove(e.getKey());
      }
    }
    synchronized (this) {
      return List.copyOf(rows);
    }
  }

  /** Objects seen so far. */
  synchronized int files() {
    return firstSeen.size();
  }

  @Override
  public void close() throws SQLException {
    poller.shutdownNow();
    duckdb.close();
  }
}
