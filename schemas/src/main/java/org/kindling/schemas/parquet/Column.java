package org.kindling.schemas.parquet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

/**
 * How one JSON value becomes one column value. Built once per document schema by {@link
 * JsonSchemaMapper}; {@link #convert} then runs once per value without looking at the JSON schema
 * again.
 *
 * <p>Every conversion returns the column value and, separately, whatever part of the JSON value the
 * column cannot hold (undeclared properties, values of an unexpected type). Those leftovers are
 * collected, with their paths, into the {@code additional_properties} JSON column, so nothing in a
 * document is lost.
 */
abstract class Column {
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** The Avro type of the column, not nullable (the caller wraps it). */
  abstract Schema type();

  /**
   * Converts {@code node} (never null, never JSON null) into a value of {@link #type()}, or null
   * when it does not fit; adds what the value cannot hold to {@code leftover}, which the caller
   * reads back with {@link Result}.
   */
  abstract Object convert(JsonNode node, Result result);

  /** The Avro union {@code [null, type]} used for every field, list item and map value. */
  final Schema nullable() {
    return Schema.createUnion(Schema.create(Schema.Type.NULL), type());
  }

  /** The leftover of one conversion: null when everything fitted. */
  static final class Result {
    JsonNode leftover;

    JsonNode take() {
      JsonNode l = leftover;
      leftover = null;
      return l;
    }
  }

  static final class StringColumn extends Column {
    @Override
    Schema type() {
      return Schema.create(Schema.Type.STRING);
    }

    @Override
    Object convert(JsonNode node, Result result) {
      if (node.isTextual()) {
        return node.textValue();
      }
      result.leftover = node;
      return null;
    }
  }

  static final class LongColumn extends Column {
    private static final BigDecimal MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    @Override
    Schema type() {
      return Schema.create(Schema.Type.LONG);
    }

    @Override
    Object convert(JsonNode node, Result result) {
      if (node.isIntegralNumber() && node.canConvertToLong()) {
        return node.longValue();
      }
      if (node.isFloatingPointNumber()) {
        // JSON schema's "integer" accepts 1.0 (draft 6 and later); keep it when it is exact.
        BigDecimal d = node.decimalValue();
        if (d.signum() == 0
            || (d.stripTrailingZeros().scale() <= 0
                && d.compareTo(MIN) >= 0
                && d.compareTo(MAX) <= 0)) {
          return d.longValueExact();
        }
      }
      result.leftover = node;
      return null;
    }
  }

  static final class DoubleColumn extends Column {
    private static final BigInteger EXACT = BigInteger.ONE.shiftLeft(53);

    @Override
    Schema type() {
      return Schema.create(Schema.Type.DOUBLE);
    }

    @Override
    Object convert(JsonNode node, Result result) {
      if (node.isNumber()) {
        if (node.isBigInteger() && node.bigIntegerValue().abs().compareTo(EXACT) > 0) {
          // A double cannot hold it exactly: keep the exact text as well.
          result.leftover = node;
        }
        return node.doubleValue();
      }
      result.leftover = node;
      return null;
    }
  }

  static final class BooleanColumn extends Column {
    @Override
    Schema type() {
      return Schema.create(Schema.Type.BOOLEAN);
    }

    @Override
    Object convert(JsonNode node, Result result) {
      if (node.isBoolean()) {
        return node.booleanValue();
      }
      result.leftover = node;
      return null;
    }
  }

  /** An ISO-8601 date-time text stored as microseconds since the epoch, UTC. */
  static final class TimestampColumn extends Column {
    @Override
    Schema type() {
      Schema s = Schema.create(Schema.Type.LONG);
      return org.apache.avro.LogicalTypes.timestampMicros().addToSchema(s);
    }

    @Override
    Object convert(JsonNode node, Result result) {
      if (node.isTextual()) {
        try {
          Instant t = OffsetDateTime.parse(node.textValue()).toInstant();
          return Math.addExact(
              Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000L);
        } catch (DateTimeParseException | ArithmeticException e) {
          result.leftover = node;
          return null;
        }
      }
      result.leftover = node;
      return null;
    }
  }

  /** Any JSON value, kept as its compact JSON text: the column for everything open. */
  static final class JsonColumn extends Column {
    @Override
    Schema type() {
      return Schema.create(Schema.Type.STRING);
    }

    @Override
    Object convert(JsonNode node, Result result) {
      return node.toString();
    }
  }

  static final class ListColumn extends Column {
    final Column items;

    ListColumn(Column items) {
      this.items = items;
    }

    @Override
    Schema type() {
      return Schema.createArray(items.nullable());
    }

    @Override
    Object convert(JsonNode node, Result result) {
      if (!node.isArray()) {
        result.leftover = node;
        return null;
      }
      List<Object> out = new ArrayList<>(node.size());
      ArrayNode leftovers = null;
      int i = 0;
      for (JsonNode item : node) {
        Object v = item.isNull() ? null : items.convert(item, result);
        out.add(v);
        JsonNode l = result.take();
        if (l != null) {
          if (leftovers == null) {
            // One entry per item, null where the item fitted, so positions line up.
            leftovers = NODES.arrayNode(node.size());
            for (int j = 0; j < i; j++) {
              leftovers.addNull();
            }
          }
          leftovers.add(l);
        } else if (leftovers != null) {
          leftovers.addNull();
        }
        i++;
      }
      result.leftover = leftovers;
      return out;
    }
  }

  static final class MapColumn extends Column {
    final Column values;

    MapColumn(Column values) {
      this.values = values;
    }

    @Override
    Schema type() {
      return Schema.createMap(values.nullable());
    }

    @Override
    Object convert(JsonNode node, Result result) {
      if (!node.isObject()) {
        result.leftover = node;
        return null;
      }
      Map<String, Object> out = new LinkedHashMap<>();
      ObjectNode leftovers = null;
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        JsonNode v = e.getValue();
        out.put(e.getKey(), v.isNull() ? null : values.convert(v, result));
        JsonNode l = result.take();
        if (l != null) {
          if (leftovers == null) {
            leftovers = NODES.objectNode();
          }
          leftovers.set(e.getKey(), l);
        }
      }
      result.leftover = leftovers;
      return out;
    }
  }

  /** A struct: declared properties become fields; the rest is leftover. */
  static final class StructColumn extends Column {
    final Schema schema;

    /** JSON property name to field, for the declared properties. */
    final Map<String, Field> fields;

    record Field(int pos, Column column) {}

    StructColumn(Schema schema, Map<String, Field> fields) {
      this.schema = schema;
      this.fields = fields;
    }

    @Override
    Schema type() {
      return schema;
    }

    @Override
    Object convert(JsonNode node, Result result) {
      if (!node.isObject()) {
        result.leftover = node;
        return null;
      }
      GenericData.Record record = new GenericData.Record(schema);
      result.leftover = fill(record, node, result);
      return record;
    }

    /** Fills the declared fields of {@code record} from {@code node}; returns the leftovers. */
    ObjectNode fill(GenericData.Record record, JsonNode node, Result result) {
      ObjectNode leftovers = null;
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        Field f = fields.get(e.getKey());
        JsonNode v = e.getValue();
        JsonNode l;
        if (f == null) {
          l = v;
        } else {
          if (!v.isNull()) {
            record.put(f.pos(), f.column().convert(v, result));
          }
          l = result.take();
        }
        if (l != null) {
          if (leftovers == null) {
            leftovers = NODES.objectNode();
          }
          leftovers.set(e.getKey(), l);
        }
      }
      return leftovers;
    }
  }
}
