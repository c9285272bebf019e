package org.kindling.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.KeywordFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion.VersionFlag;
import com.networknt.schema.SpecVersionDetector;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.regex.JoniRegularExpressionFactory;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates documents against schemas with networknt json-schema-validator. The {@code $schema}
 * keyword of each schema picks the draft (04, 06, 07, 2019-09, 2020-12); a schema without one is
 * read as draft-07. Regular expressions ({@code pattern}, {@code patternProperties}) follow
 * ECMA-262 as every draft specifies, through joni, rather than {@link java.util.regex}, whose
 * syntax differs (e.g. {@code \d} and possessive quantifiers).
 *
 * <p><b>Keywords.</b> As JSON Schema specifies and Mozilla's pipeline does, a keyword the draft
 * does not define is an annotation without effect: {@code mozPipelineMetadata}, {@code $comment}
 * and {@code examples} in draft-04 schemas, {@code $id} in draft-04 (which spells it {@code id}),
 * the schema repository's {@code comment}, or a property definition placed one level too high (as
 * in {@code telemetry/core/core.10}). They are accepted silently: one warning per keyword and
 * schema, the library's default, would fill the log of a stage that loads thousands of schemas.
 * Formats the draft does not define ({@code datetime}, {@code json} and {@code bytes} in Mozilla's
 * Glean schemas) are not checked, as in Mozilla's pipeline: Glean sends {@code datetime} values
 * with minute precision ({@code 2026-11-23T00:36-00:00}), which {@code date-time} would refuse.
 *
 * <p><b>Compilation</b> happens when a schema is first used and is kept per schema digest, so an
 * unchanged schema is not compiled again after a reload; {@link #retainOnly} drops what a new set
 * no longer holds. Thread-safe.
 */
public final class SchemaValidator {
  /** The draft of a schema without {@code $schema}. */
  public static final VersionFlag DEFAULT_DRAFT = VersionFlag.V7;

  /** Unknown keywords become annotations without a word in the log. */
  private static final KeywordFactory QUIET_UNKNOWN_KEYWORDS =
      (keyword, context) -> new NonValidationKeyword(keyword);

  private final Map<VersionFlag, JsonSchemaFactory> factories = new EnumMap<>(VersionFlag.class);
  private final SchemaValidatorsConfig config;
  private final Map<String, Compiled> compiled = new ConcurrentHashMap<>();
  private final SchemaStore store;

  /** A compiled schema, or why it cannot be compiled (kept so it is not tried per document). */
  private record Compiled(JsonSchema schema, String problem) {}

  /** A validator of any schema entry. */
  public SchemaValidator() {
    this(null);
  }

  /** A validator whose {@link #store()} is {@code store} (tools that validate one set). */
  public SchemaValidator(SchemaStore store) {
    this.store = store;
    this.config =
        SchemaValidatorsConfig.builder()
            .regularExpressionFactory(JoniRegularExpressionFactory.getInstance())
            // "$.payload.info: ..." reads better in an error message than a JSON pointer
            .pathType(PathType.JSON_PATH)
            .build();
    Map<VersionFlag, JsonMetaSchema> metas =
        Map.of(
            VersionFlag.V4, JsonMetaSchema.getV4(),
            VersionFlag.V6, JsonMetaSchema.getV6(),
            VersionFlag.V7, JsonMetaSchema.getV7(),
            VersionFlag.V201909, JsonMetaSchema.getV201909(),
            VersionFlag.V202012, JsonMetaSchema.getV202012());
    for (VersionFlag v : VersionFlag.values()) {
      JsonMetaSchema quiet =
          JsonMetaSchema.builder(metas.get(v))
              .unknownKeywordFactory(QUIET_UNKNOWN_KEYWORDS)
              .build();
      factories.put(v, JsonSchemaFactory.getInstance(v, b -> b.metaSchema(quiet)));
    }
  }

  /** The draft a schema declares with {@code $schema}, or {@link #DEFAULT_DRAFT}. */
  public static VersionFlag draftOf(JsonNode schema) {
    return SpecVersionDetector.detectOptionalVersion(schema, false).orElse(DEFAULT_DRAFT);
  }

  /**
   * The draft of a {@code $schema} value.
   *
   * @throws IllegalArgumentException when it names no draft this validator knows
   */
  static VersionFlag draftOf(String metaSchemaUri) {
    try {
      return SpecVersionDetector.detectOptionalVersion(
              JsonNodeFactory.instance.objectNode().put("$schema", metaSchemaUri), true)
          .orElseThrow();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("unknown $schema " + metaSchemaUri);
    }
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

  /** The store this validator was made for, or null. */
  public SchemaStore store() {
    return store;
  }

  /** Compiles every schema of the store up front, so that a bad schema fails now. */
  public SchemaValidator precompile() {
    if (store != null) {
      Map<SchemaEntry, String> problems = compileAll(store);
      if (!problems.isEmpty()) {
        Map.Entry<SchemaEntry, String> first = problems.entrySet().iterator().next();
        throw new IllegalArgumentException(first.getKey() + ": " + first.getValue());
      }
    }
    return this;
  }

  /** Compiles every schema of {@code set}; returns the ones that cannot be used, with why. */
  public Map<SchemaEntry, String> compileAll(SchemaStore set) {
    Map<SchemaEntry, String> problems = new LinkedHashMap<>();
    for (SchemaEntry e : set.all()) {
      String p = compiled(e).problem();
      if (p != null) {
        problems.put(e, p);
      }
    }
    return problems;
  }

  /**
   * Compiles {@code entry} now; returns why it cannot be used, or null. Used to check a new set
   * before it replaces the one in use.
   */
  public String check(SchemaEntry entry) {
    return compiled(entry).problem();
  }

  /** Whether {@code entry}'s schema is compiled (its doctype, or an equal schema, was used). */
  public boolean isCompiled(SchemaEntry entry) {
    Compiled c = compiled.get(entry.validationDigest());
    return c != null && c.schema() != null;
  }

  /** Drops the compiled schemas that {@code set} does not hold. */
  public void retainOnly(SchemaStore set) {
    Set<String> keep = new java.util.HashSet<>();
    set.all().forEach(e -> keep.add(e.validationDigest()));
    compiled.keySet().retainAll(keep);
  }

  /** How many schemas are compiled. */
  public int compiledCount() {
    return compiled.size();
  }

  private Compiled compiled(SchemaEntry entry) {
    return compiled.computeIfAbsent(
        entry.validationDigest(),
        x -> {
          try {
            return new Compiled(compile(entry.schema()), null);
          } catch (RuntimeException e) {
            return new Compiled(null, e.getMessage());
          }
        });
  }

  /**
   * The violations of {@code document} against {@code entry}; empty when it is valid.
   *
   * @throws UnusableSchemaException when the schema cannot be compiled
   */
  public List<String> validate(SchemaEntry entry, JsonNode document) {
    Compiled c = compiled(entry);
    if (c.schema() == null) {
      throw new UnusableSchemaException(entry + " cannot be used: " + c.problem());
    }
    Set<ValidationMessage> messages = c.schema().validate(document);
    if (messages.isEmpty()) {
      return List.of();
    }
    List<String> out = new ArrayList<>(messages.size());
    for (ValidationMessage m : messages) {
      out.add(m.getMessage());
    }
    return out;
  }

  /** A schema of the set that does not compile. */
  public static final class UnusableSchemaException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public UnusableSchemaException(String message) {
      super(message);
    }
  }
}
