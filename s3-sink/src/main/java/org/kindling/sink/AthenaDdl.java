package org.kindling.sink;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.kindling.schemas.SchemaEntry;
import org.kindling.schemas.parquet.LakeLimits;

/**
 * {@code CREATE EXTERNAL TABLE} statements (Athena, also Hive/Trino-compatible) for the lake: one
 * table per doctype version with exactly the columns the sink writes (the same {@link
 * LakeFormat#layout} drives both), and the errors table. {@code submission_date} is a partition
 * column found by partition projection, so new days need no {@code MSCK REPAIR}.
 */
public final class AthenaDdl {
  /** First day partition projection considers. */
  static final String PROJECTION_START = "2020-01-01";

  private AthenaDdl() {}

  /**
   * Every statement: one per doctype version of {@code schemas}, then the errors table. Each fits
   * Athena's limits ({@link LakeLimits}: the mapper keeps the columns within them).
   *
   * @throws IllegalStateException when a statement would not fit anyway (an overlong location)
   */
  public static List<String> statements(SchemaLookup schemas, String location) {
    String base = location.endsWith("/") ? location : location + "/";
    List<String> out = new ArrayList<>();
    for (SchemaLookup.DocType d : schemas.docTypes()) {
      Optional<SchemaEntry> entry = schemas.schema(d.namespace(), d.type(), d.version());
      Schema avro = LakeFormat.layout(schemas, d.namespace(), d.type(), d.version()).schema();
      Map<String, String> properties = new LinkedHashMap<>();
      Integer days = entry.map(e -> e.pipeline().deleteAfterDays()).orElse(null);
      if (days != null) {
        // documented, not enforced: an S3 lifecycle rule on the table's prefix does the deleting
        properties.put(DELETE_AFTER_DAYS, days.toString());
      }
      out.add(
          checked(
              table(
                  tableName(d),
                  avro,
                  base + d.namespace() + "/" + d.type() + "/v" + d.version() + "/",
                  properties)));
    }
    out.add(checked(table("errors", ErrorsFormat.SCHEMA, base + "errors/", Map.of())));
    return out;
  }

  /** Table property holding the schema's {@code expiration_policy.delete_after_days}. */
  public static final String DELETE_AFTER_DAYS = "kindling.expiration_policy.delete_after_days";

  private static String checked(String statement) {
    int bytes = statement.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > LakeLimits.MAX_STATEMENT_BYTES) {
      throw new IllegalStateException(
          "a CREATE TABLE of "
              + bytes
              + " bytes is over Athena's "
              + LakeLimits.MAX_STATEMENT_BYTES
              + ": "
              + statement.substring(0, Math.min(120, statement.length())));
    }
    return statement;
  }

  /** {@code glow_download_v1}. */
  public static String tableName(SchemaLookup.DocType d) {
    return (d.namespace() + "_" + d.type() + "_v" + d.version())
        .replaceAll("[^A-Za-z0-9_]", "_")
        .toLowerCase(Locale.ROOT);
  }

  /** The statement for one table of rows of {@code schema} under {@code location}. */
  public static String table(String name, Schema schema, String location) {
    return table(name, schema, location, Map.of());
  }

  /** As {@link #table(String, Schema, String)}, with extra table properties. */
  public static String table(
      String name, Schema schema, String location, Map<String, String> properties) {
    StringBuilder b = new StringBuilder();
    b.append("CREATE EXTERNAL TABLE IF NOT EXISTS `").append(name).append("` (\n");
    List<Schema.Field> fields = schema.getFields();
    for (int i = 0; i < fields.size(); i++) {
      Schema.Field f = fields.get(i);
      b.append("  `").append(f.name()).append("` ").append(hiveType(f.schema()));
      b.append(i < fields.size() - 1 ? ",\n" : "\n");
    }
    b.append(")\n");
    b.append("PARTITIONED BY (`submission_date` string)\n");
    b.append("STORED AS PARQUET\n");
    b.append("LOCATION '").append(location).append("'\n");
    b.append("TBLPROPERTIES (\n");
    properties.forEach((k, v) -> b.append("  '").append(k).append("'='").append(v).append("',\n"));
    b.append("  'projection.enabled'='true',\n");
    b.append("  'projection.submission_date.type'='date',\n");
    b.append("  'projection.submission_date.format'='yyyy-MM-dd',\n");
    b.append("  'projection.submission_date.range'='" + PROJECTION_START + ",NOW',\n");
    b.append("  'projection.submission_date.interval'='1',\n");
    b.append("  'projection.submission_date.interval.unit'='DAYS',\n");
    b.append("  'storage.location.template'='")
        .append(location)
        .append("submission_date=${submission_date}/'\n");
    b.append(");");
    return b.toString();
  }

  /** The Hive type of an Avro type as parquet-avro writes it. */
  public static String hiveType(Schema s) {
    return LakeLimits.hiveType(s);
  }
}
