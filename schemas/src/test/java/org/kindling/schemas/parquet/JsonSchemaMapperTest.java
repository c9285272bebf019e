package org.kindling.schemas.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.Test;
import org.kindling.core.Json;

class JsonSchemaMapperTest {

  private static JsonNode fixture(String name) throws IOException {
    try (InputStream in =
        JsonSchemaMapperTest.class.getResourceAsStream("/parquet-fixtures/" + name)) {
      return Json.mapper().readTree(in);
    }
  }

  private static Schema fieldType(Schema record, String name) {
    Schema.Field f = record.getField(name);
    assertThat(f).as("field %s", name).isNotNull();
    Schema s = f.schema();
    assertThat(s.getType()).isEqualTo(Schema.Type.UNION);
    return s.getTypes().get(1);
  }

  @Test
  void shouldMapEveryJsonSchemaShapeToItsColumnType() throws IOException {
    Schema s =
        JsonSchemaMapper.documentLayout("test_shapes_v1", fixture("shapes.1.schema.json")).schema();

    assertThat(fieldType(s, "client_id").getType()).isEqualTo(Schema.Type.STRING);
    assertThat(fieldType(s, "count").getType()).isEqualTo(Schema.Type.LONG);
    assertThat(fieldType(s, "ratio").getType()).isEqualTo(Schema.Type.DOUBLE);
    assertThat(fieldType(s, "enabled").getType()).isEqualTo(Schema.Type.BOOLEAN);
    assertThat(fieldType(s, "tags").getType()).isEqualTo(Schema.Type.ARRAY);
    assertThat(fieldType(s, "labels").getType()).isEqualTo(Schema.Type.MAP);
    assertThat(fieldType(s, "labels").getValueType().getTypes().get(1).getType())
        .isEqualTo(Schema.Type.LONG);
    Schema nested = fieldType(s, "nested");
    assertThat(nested.getType()).isEqualTo(Schema.Type.RECORD);
    Schema point = fieldType(nested, "points").getElementType().getTypes().get(1);
    assertThat(point.getType()).isEqualTo(Schema.Type.RECORD);
    assertThat(fieldType(point, "x").getType()).isEqualTo(Schema.Type.DOUBLE);
    // open shapes are JSON text
    assertThat(fieldType(s, "mixed").getType()).isEqualTo(Schema.Type.STRING);
    assertThat(fieldType(s, "anything").getType()).isEqualTo(Schema.Type.STRING);
    assertThat(fieldType(s, "tuple").getType()).isEqualTo(Schema.Type.STRING);
    assertThat(fieldType(s, "same").getType()).isEqualTo(Schema.Type.STRING);
    // the recursive reference ends in a JSON text column one level down
    Schema tree = fieldType(s, "tree");
    assertThat(tree.getType()).isEqualTo(Schema.Type.RECORD);
    assertThat(fieldType(tree, "children").getElementType().getTypes().get(1).getType())
        .isEqualTo(Schema.Type.STRING);
    assertThat(s.getField("dash_name")).isNotNull();
    // "Count" clashes with "count" ignoring case: not a column
    assertThat(s.getFields().stream().filter(f -> f.name().equalsIgnoreCase("count")).count())
        .isEqualTo(1);
  }

  @Test
  void shouldStartWithStandardColumnsAndEndWithAdditionalProperties() throws IOException {
    Schema s =
        JsonSchemaMapper.documentLayout("test_shapes_v1", fixture("shapes.1.schema.json")).schema();
    List<String> names = s.getFields().stream().map(Schema.Field::name).toList();

    assertThat(names.subList(0, 9))
        .containsExactly(
            "submission_timestamp",
            "document_id",
            "sample_id",
            "normalized_country_code",
            "normalized_channel",
            "normalized_os",
            "normalized_os_version",
            "normalized_app_name",
            "metadata");
    assertThat(names.get(names.size() - 1)).isEqualTo("additional_properties");
    assertThat(fieldType(s, "submission_timestamp").getLogicalType())
        .isEqualTo(LogicalTypes.timestampMicros());
    // the standard document_id (string) wins over the schema's integer
    assertThat(fieldType(s, "document_id").getType()).isEqualTo(Schema.Type.STRING);
    Schema geo = fieldType(fieldType(s, "metadata"), "geo");
    assertThat(fieldType(geo, "latitude").getType()).isEqualTo(Schema.Type.DOUBLE);
  }

  @Test
  void shouldConvertDocumentKeepingUndeclaredFieldsInAdditionalProperties() throws IOException {
    DocumentLayout layout =
        JsonSchemaMapper.documentLayout("test_shapes_v1", fixture("shapes.1.schema.json"));
    JsonNode doc =
        Json.mapper()
            .readTree(
                """
                {"submission_timestamp":"2026-11-24T18:05:00.123456Z","document_id":"d1",
                 "metadata":{"geo":{"country":"DE","latitude":52.5},"extra":1},
                 "client_id":"c","count":3,"ratio":null,"enabled":true,"tags":["a",null,"b"],
                 "labels":{"x":1,"y":"two"},"nested":{"name":"n","points":[{"x":1,"y":2.5},{"x":3,"z":4}],"more":true},
                 "mixed":{"k":[1,2]},"anything":"text","tuple":["a",1],"dash-name":"d","Count":"C",
                 "undeclared":{"deep":[1,{"a":null}]}}
                """);

    GenericData.Record r = layout.toRecord(doc);

    assertThat(r.get("submission_timestamp")).isEqualTo(1_795_543_500_123_456L);
    assertThat(r.get("document_id")).isEqualTo("d1");
    GenericData.Record geo =
        (GenericData.Record) ((GenericData.Record) r.get("metadata")).get("geo");
    assertThat(geo.get("country")).isEqualTo("DE");
    assertThat(geo.get("latitude")).isEqualTo(52.5);
    assertThat(r.get("count")).isEqualTo(3L);
    assertThat(r.get("ratio")).isNull();
    assertThat(r.get("enabled")).isEqualTo(true);
    assertThat(r.get("tags")).isEqualTo(java.util.Arrays.asList("a", null, "b"));
    @SuppressWarnings("unchecked") // MapColumn builds a Map<String, Object>
    Map<String, Object> labels = (Map<String, Object>) r.get("labels");
    assertThat(labels).containsEntry("x", 1L).containsEntry("y", null);
    assertThat(r.get("mixed")).isEqualTo("{\"k\":[1,2]}");
    assertThat(r.get("anything")).isEqualTo("\"text\"");
    assertThat(r.get("tuple")).isEqualTo("[\"a\",1]");
    assertThat(r.get("dash_name")).isEqualTo("d");
    JsonNode additional = Json.mapper().readTree((String) r.get("additional_properties"));
    assertThat(additional)
        .isEqualTo(
            Json.mapper()
                .readTree(
                    """
                    {"metadata":{"extra":1},"labels":{"y":"two"},
                     "nested":{"points":[null,{"z":4}],"more":true},"Count":"C",
                     "undeclared":{"deep":[1,{"a":null}]}}
                    """));
  }

  @Test
  void shouldKeepWholeDocumentWhenThereIsNoSchema() throws IOException {
    DocumentLayout layout = JsonSchemaMapper.documentLayout("none_v1", null);
    JsonNode doc = Json.mapper().readTree("{\"document_id\":\"d\",\"a\":1,\"b\":{\"c\":[true]}}");

    GenericData.Record r = layout.toRecord(doc);

    assertThat(layout.schema().getFields()).hasSize(10);
    assertThat(r.get("document_id")).isEqualTo("d");
    assertThat(Json.mapper().readTree((String) r.get("additional_properties")))
        .isEqualTo(Json.mapper().readTree("{\"a\":1,\"b\":{\"c\":[true]}}"));
  }

  @Test
  void shouldMapDraft4SchemaWithNestedListsAndOpenObjects() throws IOException {
    DocumentLayout layout = JsonSchemaMapper.documentLayout("d4", fixture("draft4.1.schema.json"));
    Schema versions = fieldType(layout.schema(), "versions");
    assertThat(versions.getElementType().getTypes().get(1).getType()).isEqualTo(Schema.Type.ARRAY);

    GenericData.Record r =
        layout.toRecord(
            Json.mapper()
                .readTree(
                    "{\"event\":\"share\",\"payload\":{\"size\":1.0,\"k\":\"v\"},"
                        + "\"versions\":[[1,2],[],null]}"));

    assertThat(r.get("event")).isEqualTo("share");
    assertThat(((GenericData.Record) r.get("payload")).get("size")).isEqualTo(1L);
    assertThat(r.get("versions"))
        .isEqualTo(java.util.Arrays.asList(List.of(1L, 2L), List.of(), null));
    assertThat(r.get("additional_properties")).isEqualTo("{\"payload\":{\"k\":\"v\"}}");
  }

  @Test
  void shouldKeepValuesOfUnexpectedTypeInAdditionalProperties() throws IOException {
    DocumentLayout layout =
        JsonSchemaMapper.documentLayout("test_shapes_v1", fixture("shapes.1.schema.json"));

    GenericData.Record r =
        layout.toRecord(
            Json.mapper()
                .readTree(
                    "{\"count\":\"many\",\"submission_timestamp\":\"yesterday\",\"enabled\":1.5}"));

    assertThat(r.get("count")).isNull();
    assertThat(Json.mapper().readTree((String) r.get("additional_properties")))
        .isEqualTo(
            Json.mapper()
                .readTree(
                    "{\"count\":\"many\",\"submission_timestamp\":\"yesterday\",\"enabled\":1.5}"));
  }

  @Test
  void shouldRefuseDocumentThatIsNotAnObject() {
    DocumentLayout layout = JsonSchemaMapper.documentLayout("x", null);
    assertThatThrownBy(() -> layout.toRecord(Json.mapper().createArrayNode()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
