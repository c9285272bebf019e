package org.kindling.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion.VersionFlag;
import com.networknt.schema.SpecVersionDetector;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.regex.JoniRegularExpressionFactory;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates documents against the schemas of a {@link SchemaStore} with networknt
 * json-schema-validator. The {@code $schema} keyword of each schema picks the draft (04, 06, 07,
 * 2019-09, 2020-12); a schema without one is read as draft-07. Regular expressions ({@code
 * pattern}, {@code patternProperties}) follow ECMA-262 as every draft specifies, through joni,
 * rather than {@link java.util.regex}, whose syntax differs (e.g. {@code \d} and possessive
 * quantifiers). Compiled schemas are cached per entry of the store; the class is thread-safe.
 */
public final class SchemaValidator {
  /** The draft of a schema without {@code $schema}. */
  public static final VersionFlag DEFAULT_DRAFT = VersionFlag.V7;

  private final Map<VersionFlag, JsonSchemaFactory> factories = new EnumMap<>(VersionFlag.class);
  private final SchemaValidatorsConfig config;
  // keyed by namespace/type/version: a record's own hashCode would hash the whole schema tree
  private final Map<String, JsonSchema> compiled = new ConcurrentHashMap<>();
  private final SchemaStore store;

  /** A validator for the schemas of {@code store}. */
  public SchemaValidator(SchemaStore store) {
    this.store = store;
    this.config =
        SchemaValidatorsConfig.builder()
            .regularExpressionFactory(JoniRegularExpressionFactory.getInstance())
            // "$.payload.info: ..." reads better in an error message than a JSON pointer
            .pathType(PathType.JSON_PATH)
            .build();
    for (VersionFlag v : VersionFlag.values()) {
      factories.put(v, JsonSchemaFactory.getInstance(v));
    }
  }

  /** The draft a schema declares with {@code $schema}, or {@link #DEFAULT_DRAFT}. */
  public static VersionFlag draftOf(JsonNode schema) {
    return SpecVersionDetector.detectOptionalVersion(schema, false).orElse(DEFAULT_DRAFT);
  }

  /** Compiles a schema; throws IllegalArgumentException when the schema itself is unusable. */
  public JsonSchema compile(JsonNode schema) {
    try {
      JsonSchema s = factories.get(draftOf(schema)).getSchema(schema, config);
      s.initializeValidators();
      return s;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("unusable schema: " + e.getMessage(), e);
    }
  }

  public SchemaStore store() {
    return store;
  }

  /** Compiles every schema of the store up front, so that a bad schema fails at start-up. */
  public SchemaValidator precompile() {
    for (SchemaEntry e : store.all()) {
      try {
        compiled(e);
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException(e + ": " + ex.getMessage(), ex);
      }
    }
    return this;
  }

  private JsonSchema compiled(SchemaEntry entry) {
    return compiled.computeIfAbsent(entry.toString(), x -> compile(entry.schema()));
  }

  /**
   * The violations of {@code document} against {@code entry} (an entry of this validator's store);
   * empty when it is valid.
   */
  public List<String> validate(SchemaEntry entry, JsonNode document) {
    JsonSchema schema = compiled(entry);
    Set<ValidationMessage> messages = schema.validate(document);
    if (messages.isEmpty()) {
      return List.of();
    }
    List<String> out = new ArrayList<>(messages.size());
    for (ValidationMessage m : messages) {
      out.add(m.getMessage());
    }
    return out;
  }
}
