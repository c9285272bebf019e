package org.kindling.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.core.Json;
import org.kindling.schemas.SchemaStore;
import org.kindling.schemas.parquet.LakeLimits;
import org.kindling.sink.parquet.ParquetFiles;
import org.kindling.sink.store.FileSystemObjectStore;

/**
 * Real Mozilla schemas in the lake: the fixture of real schemas (schemas module, {@code
 * src/test/resources/mozilla}) and the 6,000-leaf {@code main-use-counter.4} give DDL that Athena
 * accepts, and the real main ping lands as typed columns that DuckDB reads as the DDL says.
 */
class MozillaLakeTest {
  static final Path MOZILLA = Path.of("..", "schemas", "src", "test", "resources", "mozilla");

  @TempDir Path dir;

  /** The fixture's schemas plus main-use-counter.4, in the repository's layout. */
  private Path schemaFolder() throws IOException {
    Path root = dir.resolve("schemas");
    Path src = MOZILLA.resolve("schemas");
    try (Stream<Path> files = Files.walk(src)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        Path to = root.resolve(src.relativize(p).toString());
        Files.createDirectories(to.getParent());
        Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Path wide = root.resolve("telemetry/main-use-counter/main-use-counter.4.schema.json");
    Files.createDirectories(wide.getParent());
    try (InputStream in =
        new GZIPInputStream(
            Files.newInputStream(MOZILLA.resolve("wide/main-use-counter.4.schema.json.gz")))) {
      Files.copy(in, wide);
    }
    return root;
  }

  private static final Pattern NAME = Pattern.compile("`([^`]*)`");

  @Test
  void shouldPrintTablesAthenaAccepts() throws IOException {
    SchemaLookup schemas = new SchemaStoreLookup(SchemaStore.fromDirectory(schemaFolder()));
    List<String> ddl = AthenaDdl.statements(schemas, "s3://lake-bucket/some/prefix");
    assertThat(ddl).hasSize(9); // 8 doctypes and the errors table
    for (String statement : ddl) {
      String table = statement.substring(statement.indexOf('`') + 1, statement.indexOf("` ("));
      // Athena: table names lower case letters, digits, underscore; at most 255 bytes
      assertThat(table).matches("[a-z0-9_]{1,255}");
      assertThat(statement.getBytes(StandardCharsets.UTF_8).length)
          .as(table)
          .isLessThanOrEqualTo(LakeLimits.MAX_STATEMENT_BYTES);
      for (Map.Entry<String, String> c : AthenaDdlTest.columns(statement).entrySet()) {
        assertThat(c.getValue().getBytes(StandardCharsets.UTF_8).length)
            .as(table + "." + c.getKey() + " (Glue's column type limit)")
            .isLessThanOrEqualTo(LakeLimits.MAX_COLUMN_TYPE_BYTES);
        assertThat(nesting(c.getValue())).isLessThanOrEqualTo(LakeLimits.MAX_NESTING);
        assertUniqueLowerCaseNames(table + "." + c.getKey(), c.getValue());
      }
      Set<String> columns = new HashSet<>();
      for (String column : AthenaDdlTest.columns(statement).keySet()) {
        assertThat(column).matches("[A-Za-z_][A-Za-z0-9_]{0,254}");
        assertThat(columns.add(column.toLowerCase(Locale.ROOT))).as(table + "." + column).isTrue();
      }
    }
    String main = statement(ddl, "telemetry_main_v4");
    assertThat(main).contains("'kindling.expiration_policy.delete_after_days'='775'");
    Map<String, String> mainColumns = AthenaDdlTest.columns(main);
    assertThat(mainColumns.get("environment"))
        .contains("`os`:struct<`distro`:string,", "`name`:string");
    String wide = statement(ddl, "telemetry_main_use_counter_v4");
    assertThat(AthenaDdlTest.columns(wide).get("payload"))
        .isEqualTo(
            "struct<`histograms`:map<string,string>,"
                + "`processes`:struct<`content`:struct<`histograms`:map<string,string>>>>");
    assertThat(statement(ddl, "org_mozilla_fenix_baseline_v1")).contains("`ping_info` struct<");
  }

  private static String statement(List<String> ddl, String table) {
    return ddl.stream()
        .filter(s -> s.startsWith("CREATE EXTERNAL TABLE IF NOT EXISTS `" + table + "`"))
        .findFirst()
        .orElseThrow();
  }

  private static int nesting(String type) {
    int depth = 0;
    int max = 0;
    for (char c : type.toCharArray()) {
      if (c == '<') {
        max = Math.max(max, ++depth);
      } else if (c == '>') {
        depth--;
      }
    }
    return max;
  }

  /** Struct field names are unique ignoring case within each struct (Athena lower-cases them). */
  private static void assertUniqueLowerCaseNames(String where, String type) {
    assertThat(parseType(where, type, 0)).isEqualTo(type.length());
  }

  /** Reads the Hive type at {@code at}; returns where it ends. */
  private static int parseType(String where, String t, int at) {
    if (t.startsWith("struct<", at)) {
      Set<String> names = new HashSet<>();
      int i = at + 7;
      while (true) {
        Matcher m = NAME.matcher(t);
        assertThat(m.find(i) && m.start() == i).as(where + " at " + i).isTrue();
        String name = m.group(1);
        assertThat(name.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(255);
        assertThat(names.add(name.toLowerCase(Locale.ROOT))).as(where + ": " + name).isTrue();
        assertThat(t.charAt(m.end())).isEqualTo(':');
        i = parseType(where + "." + name, t, m.end() + 1);
        if (t.charAt(i) == '>') {
          return i + 1;
        }
        assertThat(t.charAt(i)).isEqualTo(',');
        i++;
      }
    }
    for (String open : List.of("array<", "map<string,")) {
      if (t.startsWith(open, at)) {
        int i = parseType(where, t, at + open.length());
        assertThat(t.charAt(i)).isEqualTo('>');
        return i + 1;
      }
    }
    int i = at;
    while (i < t.length() && Character.isLetter(t.charAt(i))) {
      i++;
    }
    assertThat(i).as(where + ": a type at " + at).isGreaterThan(at);
    return i;
  }

  @Test
  void shouldLandTheRealMainPingAsTypedColumnsThatDuckDbReadsAsTheDdlSays() throws Exception {
    SchemaLookup schemas = new SchemaStoreLookup(SchemaStore.fromDirectory(MOZILLA));
    ObjectNode ping =
        (ObjectNode)
            Json.mapper().readTree(MOZILLA.resolve("pings/telemetry-main.4.json").toFile());
    ping.put("submission_timestamp", "2026-11-23T00:41:07.123456Z");
    ping.put("document_id", "9d1a1c1e-4f6b-4c59-9a3e-3a8cbe4a3f2d");
    ping.put("normalized_os", "Mac");
    write(schemas, "telemetry", "main", "4", ping);

    String ddl = statement(AthenaDdl.statements(schemas, "s3://lake"), "telemetry_main_v4");
    Map<String, String> expected = new LinkedHashMap<>();
    AthenaDdlTest.columns(ddl).forEach((k, v) -> expected.put(k, AthenaDdlTest.duckType(v)));
    String glob = dir.resolve("s3/lake") + "/telemetry/main/v4/*/*.parquet";
    assertThat(AthenaDdlTest.described(glob)).containsExactlyEntriesOf(expected);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT environment.system.os.name, environment.system.os.version,"
                    + " payload.info.sessionLength, application.channel, normalized_os,"
                    + " typeof(payload.info.sessionLength), additional_properties IS NULL"
                    + " FROM read_parquet('"
                    + glob
                    + "')")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("Darwin");
      assertThat(rs.getString(2)).isEqualTo("14.5.0");
      assertThat(rs.getLong(3)).isEqualTo(ping.at("/payload/info/sessionLength").asLong());
      assertThat(rs.getString(4)).isEqualTo("beta");
      assertThat(rs.getString(5)).isEqualTo("Mac");
      assertThat(rs.getString(6)).isEqualTo("BIGINT");
    }
  }

  @Test
  void shouldKeepTheColumnsOfAnOpenFileWhenANewSchemaSetArrives() throws Exception {
    Path folder = dir.resolve("set");
    Path schema = folder.resolve("acme/click/click.1.schema.json");
    Files.createDirectories(schema.getParent());
    Files.writeString(
        schema, "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"}}}");
    AtomicReference<SchemaStore> current = new AtomicReference<>(SchemaStore.fromDirectory(folder));
    SchemaLookup schemas = new SchemaStoreLookup(current::get);
    LakeFormat format = new LakeFormat(schemas, files(), new SimpleMeterRegistry());
    FileSink<LakeFormat.Item> sink = sink(format);
    sink.accept(record(0, "acme", "click", "1", "{\"a\":1,\"b\":\"x\"}"));
    // a deploy adds column b while the file is open
    Files.writeString(
        schema,
        "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"},"
            + "\"b\":{\"type\":\"string\"}}}");
    current.set(SchemaStore.fromDirectory(folder));
    sink.accept(record(1, "acme", "click", "1", "{\"a\":2,\"b\":\"y\"}"));
    sink.flushAll();
    sink.accept(record(2, "acme", "click", "1", "{\"a\":3,\"b\":\"z\"}"));
    sink.flushAll();
    String base = dir.resolve("s3/lake") + "/acme/click/v1/submission_date=2026-11-23/";
    Map<String, String> first =
        AthenaDdlTest.described(base + "ingest.enriched+0+" + "0".repeat(20) + ".parquet");
    Map<String, String> second =
        AthenaDdlTest.described(base + "ingest.enriched+0+" + "0".repeat(19) + "2.parquet");
    assertThat(first).containsKey("a").doesNotContainKey("b");
    assertThat(second).containsKeys("a", "b");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT a, additional_properties FROM read_parquet('"
                    + base
                    + "ingest.enriched+0+"
                    + "0".repeat(20)
                    + ".parquet') ORDER BY a")) {
      // both rows of the open file, written with its columns; b kept as JSON
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(2)).isEqualTo("{\"b\":\"x\"}");
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(2)).isEqualTo("{\"b\":\"y\"}");
    }
  }

  private static ParquetFiles files() {
    return new ParquetFiles("zstd", 1 << 20, 64 << 10);
  }

  private FileSink<LakeFormat.Item> sink(LakeFormat format) throws IOException {
    FileSink<LakeFormat.Item> sink =
        new FileSink<>(
            "ingest.enriched",
            "lake",
            format,
            new FileSystemObjectStore(dir.resolve("s3")),
            (tp, o, m) -> {},
            new FileSink.Limits(
                1000, 1 << 30, Duration.ofDays(1), Duration.ofDays(1), 100, 1L << 30),
            Files.createDirectories(dir.resolve("tmp")),
            SinkHooks.NONE,
            new SimpleMeterRegistry());
    sink.assigned(new TopicPartition("ingest.enriched", 0));
    return sink;
  }

  private static ConsumerRecord<byte[], byte[]> record(
      long offset, String ns, String type, String version, String doc) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("document_namespace", ns);
    h.put("document_type", type);
    h.put("document_version", version);
    h.put("submission_timestamp", "2026-11-23T00:41:07Z");
    return FormatsTest.record(
        "ingest.enriched", offset, "id-" + offset, doc.getBytes(StandardCharsets.UTF_8), h);
  }

  private void write(SchemaLookup schemas, String ns, String type, String version, ObjectNode doc)
      throws IOException {
    FileSink<LakeFormat.Item> sink =
        sink(new LakeFormat(schemas, files(), new SimpleMeterRegistry()));
    sink.accept(record(0, ns, type, version, doc.toString()));
    sink.flushAll();
  }
}
