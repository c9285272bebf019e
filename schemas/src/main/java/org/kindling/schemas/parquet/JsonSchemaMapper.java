package org.kindling.schemas.parquet;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.kindling.core.Json;

/**
 * Maps a document's JSON schema (draft 4 or 7) to the Parquet columns of its lake table, as an Avro
 * schema for parquet-avro, together with the converter that turns a document into a row.
 *
 * <ul>
 *   <li>objects with properties become structs; objects with no properties whose {@code
 *       additionalProperties} is a schema become maps from string to that schema's column;
 *   <li>arrays with one {@code items} schema become lists;
 *   <li>string, integer, number and boolean become string, bigint (long), double and boolean;
 *       {@code [T, "null"]} is T (every column is nullable);
 *   <li>anything open — no type, several types, a {@code oneOf}/{@code anyOf} whose branches are
 *       not all the same scalar, tuple arrays, objects with neither properties nor an
 *       additionalProperties schema, recursive references — becomes a string column holding the
 *       value's JSON text;
 *   <li>local {@code $ref}s ({@code #/definitions/x}, {@code #/$defs/x}) are followed.
 * </ul>
 *
 * <p>Every table starts with the standard columns ({@code submission_timestamp} as a UTC timestamp,
 * {@code document_id}, {@code sample_id}, {@code normalized_country_code}, the {@code metadata}
 * struct) and ends with {@code additional_properties}: the JSON text of everything in the document
 * that the columns do not hold (undeclared properties at any depth, kept at their path). Property
 * names that are not valid column names are sanitized ({@code a-b} to {@code a_b}); a property
 * whose name clashes, ignoring case, with an earlier one stays in {@code additional_properties},
 * because Athena and DuckDB resolve column names without case.
 */
public final class JsonSchemaMapper {
  /** The column holding everything the declared columns do not. */
  public static final String ADDITIONAL_PROPERTIES = "additional_properties";

  public static final String SUBMISSION_TIMESTAMP = "submission_timestamp";

  private static final JsonNode STANDARD = loadStandard();

  private final JsonNode root;
  private final Set<String> collapsed;
  private final Set<String> recordNames = new HashSet<>();
  private final Deque<String> refStack = new ArrayDeque<>();
  private final Map<Schema, String> recordPointers = new IdentityHashMap<>();

  private JsonSchemaMapper(JsonNode root, Set<String> collapsed) {
    this.root = root;
    this.collapsed = collapsed;
  }

  /**
   * The layout of a document table: the standard columns, then the columns of {@code schema} (which
   * may be null: a doctype without a schema gets only the standard columns), then {@code
   * additional_properties}, kept within {@link LakeLimits}: when the columns would not fit, the
   * widest struct is stored as a map (when all its fields have the same scalar type) or as JSON
   * text, until they do; types nested deeper than {@link LakeLimits#MAX_NESTING} are JSON text.
   *
   * @param name the Avro record name, e.g. {@code glow_download_v1}; sanitized
   */
  public static DocumentLayout documentLayout(String name, JsonNode schema) {
    Set<String> collapsed = new HashSet<>();
    int maxDocFields = Integer.MAX_VALUE;
    while (true) {
      Built b = build(name, schema, collapsed, maxDocFields);
      String widest = b.violation();
      if (widest == null) {
        return b.layout();
      }
      if (!widest.isEmpty()) {
        collapsed.add(widest);
      } else {
        // only scalar columns are left and still too many: keep the last ones as JSON
        maxDocFields = b.docFields() - Math.max(1, b.docFields() / 10);
      }
    }
  }

  /** One attempt at a layout, and what it would need to fit the limits. */
  private record Built(
      DocumentLayout layout, Map<Schema, String> records, int docStart, int docFields) {

    /**
     * Null when the layout fits; else the pointer of the widest struct among the document's
     * columns, or "" when none is left to collapse.
     */
    String violation() {
      Schema avro = layout.schema();
      long list = 0;
      int leaves = 0;
      boolean tooWide = false;
      for (Schema.Field f : avro.getFields()) {
        int def = LakeLimits.columnDefinitionBytes(f);
        list += def;
        tooWide |= def > LakeLimits.MAX_COLUMN_TYPE_BYTES;
        leaves += LakeLimits.leafColumns(f.schema());
      }
      if (!tooWide
          && list <= LakeLimits.MAX_COLUMN_LIST_BYTES
          && leaves <= LakeLimits.MAX_LEAF_COLUMNS) {
        return null;
      }
      String widest = "";
      int widestBytes = -1;
      List<Schema.Field> fields = avro.getFields();
      for (int i = docStart; i < docStart + docFields; i++) {
        java.util.Deque<Schema> todo = new ArrayDeque<>();
        todo.push(fields.get(i).schema());
        while (!todo.isEmpty()) {
          Schema s = todo.pop();
          switch (s.getType()) {
            case UNION -> s.getTypes().forEach(todo::push);
            case ARRAY -> todo.push(s.getElementType());
            case MAP -> todo.push(s.getValueType());
            case RECORD -> {
              // own width: its type text without the text of the structs inside it, so that a
              // wide struct is chosen rather than the ancestor that contains it
              String ptr = records.get(s);
              int bytes = LakeLimits.hiveType(s).length();
              for (Schema.Field x : s.getFields()) {
                Schema t = nonNull(x.schema());
                if (t.getType() == Schema.Type.RECORD) {
                  bytes -= LakeLimits.hiveType(t).length();
                }
              }
              if (ptr != null && bytes > widestBytes) {
                widest = ptr;
                widestBytes = bytes;
              }
              s.getFields().forEach(x -> todo.push(x.schema()));
            }
            default -> {}
          }
        }
      }
      return widest;
    }
  }

  private static Schema nonNull(Schema s) {
    if (s.getType() == Schema.Type.UNION) {
      for (Schema t : s.getTypes()) {
        if (t.getType() != Schema.Type.NULL) {
          return t;
        }
      }
    }
    return s;
  }

  private static Built build(
      String name, JsonNode schema, Set<String> collapsed, int maxDocFields) {
    JsonSchemaMapper standard = new JsonSchemaMapper(STANDARD, Set.of());
    JsonSchemaMapper doc =
        new JsonSchemaMapper(schema == null ? Column.NODES.objectNode() : schema, collapsed);
    String recordName = sanitize(name);
    standard.recordNames.add(recordName.toLowerCase(Locale.ROOT));

    List<Schema.Field> fields = new ArrayList<>();
    Map<String, Column.StructColumn.Field> byJsonName = new LinkedHashMap<>();
    Set<String> lowerNames = new HashSet<>();
    lowerNames.add(ADDITIONAL_PROPERTIES);
    for (Map.Entry<String, JsonNode> p : STANDARD.get("properties").properties()) {
      Column c = standard.column(p.getValue(), p.getKey(), "/" + p.getKey(), 0);
      addField(fields, byJsonName, lowerNames, p.getKey(), c);
    }
    int docStart = fields.size();
    doc.recordNames.addAll(standard.recordNames);
    JsonNode docRoot = schema == null ? Column.NODES.objectNode() : doc.resolve(schema);
    JsonNode props = docRoot == null ? null : docRoot.path("properties");
    if (props != null && props.isObject()) {
      for (Map.Entry<String, JsonNode> p : props.properties()) {
        if (byJsonName.containsKey(p.getKey())) {
          continue; // the standard column wins: the enricher writes those values
        }
        if (fields.size() - docStart >= maxDocFields) {
          break; // what does not fit stays in additional_properties
        }
        Column c = doc.column(p.getValue(), p.getKey(), "/" + p.getKey(), 0);
        addField(fields, byJsonName, lowerNames, p.getKey(), c);
      }
    }
    int docFields = fields.size() - docStart;
    int additionalPos = fields.size();
    fields.add(
        new Schema.Field(
            ADDITIONAL_PROPERTIES,
            new Column.JsonColumn().nullable(),
            "JSON text of what the declared columns do not hold",
            Schema.Field.NULL_DEFAULT_VALUE));
    Schema avro = Schema.createRecord(recordName, null, "org.kindling.lake", false, fields);
    DocumentLayout layout =
        new DocumentLayout(avro, new Column.StructColumn(avro, byJsonName), additionalPos);
    return new Built(layout, doc.recordPointers, docStart, docFields);
  }

  private static void addField(
      List<Schema.Field> fields,
      Map<String, Column.StructColumn.Field> byJsonName,
      Set<String> lowerNames,
      String jsonName,
      Column c) {
    String name = sanitize(jsonName);
    if (!lowerNames.add(name.toLowerCase(Locale.ROOT))) {
      return; // clashes with an earlier column: the value stays in additional_properties
    }
    byJsonName.put(jsonName, new Column.StructColumn.Field(fields.size(), c));
    fields.add(new Schema.Field(name, c.nullable(), null, Schema.Field.NULL_DEFAULT_VALUE));
  }

  /**
   * The column of {@code schema} at {@code path} (record names) and {@code ptr} (its JSON pointer
   * in the document, which names a struct to collapse), inside {@code depth} nested types.
   */
  private Column column(JsonNode schema, String path, String ptr, int depth) {
    JsonNode s = resolve(schema);
    if (s == null) {
      return new Column.JsonColumn(); // unresolvable or recursive reference
    }
    try {
      return columnOfResolved(s, path, ptr, depth);
    } finally {
      if (schema.has("$ref")) {
        refStack.pop();
      }
    }
  }

  /**
   * Follows a local $ref. Pushes exactly one entry on the reference stack when {@code schema} has a
   * $ref (the caller pops it); returns null when the reference cannot be followed or recurses.
   */
  private JsonNode resolve(JsonNode schema) {
    JsonNode ref = schema.get("$ref");
    if (ref == null) {
      return schema;
    }
    String r = ref.asText();
    boolean recursive = refStack.contains(r);
    refStack.push(r);
    if (recursive || !r.startsWith("#")) {
      return null;
    }
    JsonNode target = r.length() <= 1 ? root : root.at(r.substring(1));
    for (int hops = 0; target.has("$ref") && hops < 16; hops++) {
      String next = target.get("$ref").asText();
      if (!next.startsWith("#") || refStack.contains(next)) {
        return null;
      }
      target = next.length() <= 1 ? root : root.at(next.substring(1));
    }
    return target.isMissingNode() || target.has("$ref") ? null : target;
  }

  private Column columnOfResolved(JsonNode s, String path, String ptr, int depth) {
    if (!s.isObject()) {
      return new Column.JsonColumn(); // true / false schemas
    }
    if (s.path("x-parquet").asText("").equals("timestamp")) {
      return new Column.TimestampColumn();
    }
    String type = singleType(s);
    if (type == null) {
      return new Column.JsonColumn();
    }
    switch (type) {
      case "string":
        return new Column.StringColumn();
      case "integer":
        return new Column.LongColumn();
      case "number":
        return new Column.DoubleColumn();
      case "boolean":
        return new Column.BooleanColumn();
      case "array":
        return depth >= LakeLimits.MAX_NESTING
            ? new Column.JsonColumn()
            : arrayColumn(s, path, ptr, depth);
      case "object":
        return depth >= LakeLimits.MAX_NESTING
            ? new Column.JsonColumn()
            : objectColumn(s, path, ptr, depth);
      default:
        return new Column.JsonColumn();
    }
  }

  private Column arrayColumn(JsonNode s, String path, String ptr, int depth) {
    JsonNode items = s.get("items");
    if (items == null) {
      return new Column.ListColumn(new Column.JsonColumn());
    }
    if (!items.isObject()) {
      return new Column.JsonColumn(); // tuple form: positions of different types
    }
    return new Column.ListColumn(column(items, path + "_item", ptr + "/[]", depth + 1));
  }

  private Column objectColumn(JsonNode s, String path, String ptr, int depth) {
    JsonNode props = s.get("properties");
    if (props != null && props.isObject() && !props.isEmpty() && collapsed.contains(ptr)) {
      return collapsedColumn(props, path, ptr, depth);
    }
    if (props != null && props.isObject() && !props.isEmpty()) {
      List<Schema.Field> fields = new ArrayList<>();
      Map<String, Column.StructColumn.Field> byJsonName = new LinkedHashMap<>();
      Set<String> lowerNames = new HashSet<>();
      List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
      props.properties().forEach(entries::add);
      for (Map.Entry<String, JsonNode> p : entries) {
        Column c = column(p.getValue(), path + "_" + p.getKey(), ptr + "/" + p.getKey(), depth + 1);
        addField(fields, byJsonName, lowerNames, p.getKey(), c);
      }
      Schema record =
          Schema.createRecord(recordName(path), null, "org.kindling.lake", false, fields);
      recordPointers.put(record, ptr);
      return new Column.StructColumn(record, byJsonName);
    }
    JsonNode additional = s.get("additionalProperties");
    boolean noPatterns = !s.has("patternProperties") || s.get("patternProperties").isEmpty();
    if (additional != null && additional.isObject() && noPatterns) {
      return new Column.MapColumn(column(additional, path + "_value", ptr + "/*", depth + 1));
    }
    return new Column.JsonColumn();
  }

  /**
   * A struct too wide for the limits: a map from property name to the one scalar column all of its
   * properties have (every key of the object is then kept in the map), else JSON text.
   */
  private Column collapsedColumn(JsonNode props, String path, String ptr, int depth) {
    Column common = null;
    for (Map.Entry<String, JsonNode> p : props.properties()) {
      Column c = column(p.getValue(), path + "_" + p.getKey(), ptr + "/" + p.getKey(), depth + 1);
      boolean scalar =
          c instanceof Column.StringColumn
              || c instanceof Column.LongColumn
              || c instanceof Column.DoubleColumn
              || c instanceof Column.BooleanColumn;
      if (!scalar || (common != null && common.getClass() != c.getClass())) {
        return new Column.JsonColumn();
      }
      common = c;
    }
    return new Column.MapColumn(common);
  }

  /**
   * The one JSON type a schema stands for, or null when it is open. Looks at {@code type}, then at
   * {@code oneOf}/{@code anyOf}/{@code allOf} branches, then at the keywords that imply a type.
   */
  private String singleType(JsonNode s) {
    JsonNode type = s.get("type");
    if (type != null) {
      if (type.isTextual()) {
        return type.asText();
      }
      if (type.isArray()) {
        Set<String> types = new HashSet<>();
        type.forEach(t -> types.add(t.asText()));
        types.remove("null");
        if (types.equals(Set.of("integer", "number"))) {
          return "number";
        }
        return types.size() == 1 ? types.iterator().next() : null;
      }
      return null;
    }
    for (String combinator : List.of("oneOf", "anyOf")) {
      JsonNode branches = s.get(combinator);
      if (branches != null && branches.isArray() && !branches.isEmpty()) {
        return sameScalarType(branches);
      }
    }
    JsonNode allOf = s.get("allOf");
    if (allOf != null && allOf.isArray() && allOf.size() == 1) {
      JsonNode b = resolve(allOf.get(0));
      String t = b == null ? null : singleType(b);
      if (allOf.get(0).has("$ref")) {
        refStack.pop();
      }
      return t;
    }
    if (allOf != null) {
      return null;
    }
    if (s.has("properties")) {
      return "object";
    }
    if (s.has("items")) {
      return "array";
    }
    JsonNode e = s.get("enum");
    if (e != null && e.isArray() && !e.isEmpty()) {
      boolean strings = true;
      for (JsonNode v : e) {
        strings &= v.isTextual() || v.isNull();
      }
      return strings ? "string" : null;
    }
    return null;
  }

  /** The common scalar type of all branches (ignoring null branches), or null. */
  private String sameScalarType(JsonNode branches) {
    Set<String> types = new HashSet<>();
    for (JsonNode b : branches) {
      JsonNode r = resolve(b);
      String t = r == null || !r.isObject() ? null : singleType(r);
      if (b.has("$ref")) {
        refStack.pop();
      }
      if (t == null) {
        return null;
      }
      types.add(t);
    }
    types.remove("null");
    if (types.equals(Set.of("integer", "number"))) {
      return "number";
    }
    if (types.size() != 1) {
      return null;
    }
    String t = types.iterator().next();
    return t.equals("object") || t.equals("array") ? null : t;
  }

  private String recordName(String path) {
    String base = sanitize(path);
    String name = base;
    int i = 2;
    while (!recordNames.add(name.toLowerCase(Locale.ROOT))) {
      name = base + "_" + i++;
    }
    return name;
  }

  /**
   * A valid Avro/Parquet/Athena name: letters, digits and underscores, not starting with a digit.
   */
  static String sanitize(String name) {
    StringBuilder b = new StringBuilder(name.length() + 1);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
      ok |= c >= '0' && c <= '9';
      b.append(ok ? c : '_');
    }
    if (b.length() == 0 || Character.isDigit(b.charAt(0))) {
      b.insert(0, '_');
    }
    if (b.length() > LakeLimits.MAX_NAME_BYTES) {
      b.setLength(LakeLimits.MAX_NAME_BYTES); // Glue's limit; a clash then keeps it as JSON
    }
    return b.toString();
  }

  /**
   * The standard columns every lake table has ({@code standard-columns.schema.json}): the fields
   * the geo-enricher adds to a document. A copy.
   */
  public static JsonNode standardColumns() {
    return loadStandard();
  }

  private static JsonNode loadStandard() {
    try (InputStream in =
        JsonSchemaMapper.class.getResourceAsStream("standard-columns.schema.json")) {
      if (in == null) {
        throw new IllegalStateException("standard-columns.schema.json missing from the class path");
      }
      return Json.mapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
