package org.kindling.schemas.parquet;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * The limits a lake table must fit so that Athena (with the AWS Glue catalog) accepts its {@code
 * CREATE EXTERNAL TABLE}, and the writer's memory stays bounded; and the Hive type of a column as
 * the DDL spells it. {@link JsonSchemaMapper} keeps every layout within them, so the Parquet files
 * and the DDL always agree.
 *
 * <ul>
 *   <li>{@value #MAX_STATEMENT_BYTES} bytes per statement: Athena's query string limit, not
 *       adjustable. The column list gets {@value #MAX_COLUMN_LIST_BYTES} of it; the rest is for the
 *       table name, location and properties.
 *   <li>{@value #MAX_COLUMN_TYPE_BYTES} bytes per column type: Glue's limit on a column's type
 *       string (a struct's type spells out all of its fields).
 *   <li>{@value #MAX_NAME_BYTES} bytes per name (table, column, struct field): Glue's limit. Names
 *       are lower-cased by Athena, so the mapper keeps them unique ignoring case.
 *   <li>{@value #MAX_NESTING} levels of nested types: Athena documents no nesting limit; 24 is the
 *       most Hive's text serde supports, so the DDL stays usable on Hive-based engines too.
 *   <li>{@value #MAX_LEAF_COLUMNS} Parquet leaf columns: Athena documents no column limit, but
 *       every leaf column of an open Parquet writer holds its own page buffers; this bounds the
 *       memory of one open file (see the s3-sink README for the figures).
 * </ul>
 */
public final class LakeLimits {
  private LakeLimits() {}

  public static final int MAX_STATEMENT_BYTES = 262_144;
  public static final int MAX_COLUMN_LIST_BYTES = MAX_STATEMENT_BYTES - 16_384;
  public static final int MAX_COLUMN_TYPE_BYTES = 131_072;
  public static final int MAX_NAME_BYTES = 255;
  public static final int MAX_NESTING = 24;
  public static final int MAX_LEAF_COLUMNS = 2_000;

  /** The Hive type of an Avro type as parquet-avro writes it. */
  public static String hiveType(Schema s) {
    StringBuilder b = new StringBuilder();
    appendHiveType(b, s);
    return b.toString();
  }

  private static void appendHiveType(StringBuilder b, Schema s) {
    if (s.getType() == Schema.Type.UNION) {
      for (Schema t : s.getTypes()) {
        if (t.getType() != Schema.Type.NULL) {
          appendHiveType(b, t);
          return;
        }
      }
      b.append("string");
      return;
    }
    LogicalType lt = s.getLogicalType();
    if (lt instanceof LogicalTypes.TimestampMicros || lt instanceof LogicalTypes.TimestampMillis) {
      b.append("timestamp");
      return;
    }
    switch (s.getType()) {
      case STRING, ENUM -> b.append("string");
      case LONG -> b.append("bigint");
      case INT -> b.append("int");
      case DOUBLE -> b.append("double");
      case FLOAT -> b.append("float");
      case BOOLEAN -> b.append("boolean");
      case BYTES, FIXED -> b.append("binary");
      case ARRAY -> {
        b.append("array<");
        appendHiveType(b, s.getElementType());
        b.append('>');
      }
      case MAP -> {
        b.append("map<string,");
        appendHiveType(b, s.getValueType());
        b.append('>');
      }
      case RECORD -> {
        b.append("struct<");
        List<Schema.Field> fields = s.getFields();
        for (int i = 0; i < fields.size(); i++) {
          // quoted: struct fields such as date or header are reserved words in Hive DDL
          b.append('`').append(fields.get(i).name()).append("`:");
          appendHiveType(b, fields.get(i).schema());
          if (i < fields.size() - 1) {
            b.append(',');
          }
        }
        b.append('>');
      }
      default -> throw new IllegalArgumentException("no Hive type for " + s);
    }
  }

  /** The bytes of one column's definition in the DDL: {@code `name` type,\n}. */
  public static int columnDefinitionBytes(Schema.Field f) {
    return f.name().getBytes(StandardCharsets.UTF_8).length
        + hiveType(f.schema()).getBytes(StandardCharsets.UTF_8).length
        + 6;
  }

  /** Levels of nested types in {@code s}: 0 for a scalar, 1 for a struct of scalars. */
  public static int nesting(Schema s) {
    return switch (s.getType()) {
      case UNION -> {
        int n = 0;
        for (Schema t : s.getTypes()) {
          n = Math.max(n, nesting(t));
        }
        yield n;
      }
      case ARRAY -> 1 + nesting(s.getElementType());
      case MAP -> 1 + nesting(s.getValueType());
      case RECORD -> {
        int n = 0;
        for (Schema.Field f : s.getFields()) {
          n = Math.max(n, nesting(f.schema()));
        }
        yield 1 + n;
      }
      default -> 0;
    };
  }

  /** Parquet leaf columns of {@code s} (a map has a key column beside its values'). */
  public static int leafColumns(Schema s) {
    return switch (s.getType()) {
      case UNION -> {
        int n = 0;
        for (Schema t : s.getTypes()) {
          if (t.getType() != Schema.Type.NULL) {
            n += leafColumns(t);
          }
        }
        yield n;
      }
      case ARRAY -> leafColumns(s.getElementType());
      case MAP -> 1 + leafColumns(s.getValueType());
      case RECORD -> {
        int n = 0;
        for (Schema.Field f : s.getFields()) {
          n += leafColumns(f.schema());
        }
        yield n;
      }
      default -> 1;
    };
  }
}
