package org.kindling.sink;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

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

  /** Every statement: one per doctype version of {@code schemas}, then the errors table. */
  public static List<String> statements(SchemaLookup schemas, String location) {
    String base = location.endsWith("/") ? location : location + "/";
    List<String> out = new ArrayList<>();
    for (SchemaLookup.DocType d : schemas.docTypes()) {
      Schema avro = LakeFormat.layout(schemas, d.namespace(), d.type(), d.version()).schema();
      out.add(
          table(
              tableName(d),
              avro,
              base + d.namespace() + "/" + d.type() + "/v" + d.version() + "/"));
    }
    out.add(table("errors", ErrorsFormat.SCHEMA, base + "errors/"));
    return out;
  }

  /** {@code glow_download_v1}. */
  public static String tableName(SchemaLookup.DocType d) {
    return (d.namespace() + "_" + d.type() + "_v" + d.version())
        .replaceAll("[^A-Za-z0-9_]", "_")
        .toLowerCase(Locale.ROOT);
  }

  /** The statement for one table of rows of {@code schema} under {@code location}. */
  public static String table(String name, Schema schema, String location) {
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
    if (s.getType() == Schema.Type.UNION) {
      for (Schema t : s.getTypes()) {
        if (t.getType() != Schema.Type.NULL) {
          return hiveType(t);
        }
      }
      return "string";
    }
    LogicalType lt = s.getLogicalType();
    if (lt instanceof LogicalTypes.TimestampMicros || lt instanceof LogicalTypes.TimestampMillis) {
      return "timestamp";
    }
    switch (s.getType()) {
      case STRING:
      case ENUM:
        return "string";
      case LONG:
        return "bigint";
      case INT:
        return "int";
      case DOUBLE:
        return "double";
      case FLOAT:
        return "float";
      case BOOLEAN:
        return "boolean";
      case BYTES:
      case FIXED:
        return "binary";
      case ARRAY:
        return "array<" + hiveType(s.getElementType()) + ">";
      case MAP:
        return "map<string," + hiveType(s.getValueType()) + ">";
      case RECORD:
        StringBuilder b = new StringBuilder("struct<");
        List<Schema.Field> fields = s.getFields();
        for (int i = 0; i < fields.size(); i++) {
          Schema.Field f = fields.get(i);
          // quoted: struct fields such as date or header are reserved words in Hive DDL
          b.append('`').append(f.name()).append("`:").append(hiveType(f.schema()));
          if (i < fields.size() - 1) {
            b.append(',');
          }
        }
        return b.append('>').toString();
      default:
        throw new IllegalArgumentException("no Hive type for " + s);
    }
  }
}
