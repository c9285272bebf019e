package org.kindling.validator;

import java.util.List;
import org.kindling.core.config.ConfigKey;
import org.kindling.core.config.ConfigModule;
import org.kindling.core.config.ConfigType;
import org.kindling.core.config.KindlingConfig;
import org.kindling.schemas.SchemaStore;

/** Configuration keys of the validator ({@code validator.*}). */
public final class ValidatorConfig implements ConfigModule {
  public static final String SCHEMAS_DIR = "validator.schemas.dir";
  public static final String SCHEMAS_CHECK_INTERVAL = "validator.schemas.check.interval";
  public static final String SCHEMAS_GLEAN_FALLBACK = "validator.schemas.glean.fallback";
  public static final String MAX_DECOMPRESSED_BYTES = "validator.max.decompressed.bytes";
  public static final String DEDUP_WINDOW = "validator.dedup.window";
  public static final String TELEMETRY_DEFAULT_VERSION = "validator.telemetry.default.version";
  public static final String MAX_VIOLATIONS = "validator.max.violations";

  @Override
  public String title() {
    return "Validator";
  }

  @Override
  public List<ConfigKey> keys() {
    return List.of(
        ConfigKey.of(
            SCHEMAS_DIR,
            ConfigType.PATH,
            null,
            "Directory of JSON schemas in the mozilla-pipeline-schemas layout"
                + " (`<namespace>/<type>/<type>.<version>.schema.json`; a checkout of that"
                + " repository, its root or its schemas/ folder, works as it is) that replaces the"
                + " bundled set; unset uses the schemas bundled in the schemas jar. Watched for"
                + " changes (validator.schemas.check.interval)."),
        ConfigKey.positive(
            SCHEMAS_CHECK_INTERVAL,
            ConfigType.DURATION,
            "30s",
            "How often validator.schemas.dir is checked for a deploy (one stat per schema file and"
                + " a git rev-parse when it is a checkout); a changed folder is loaded whole and"
                + " replaces the set in use without a restart. Schema authors deploy several times"
                + " a day, and a new doctype's pings are errors until it is loaded, so half a"
                + " minute; the check of 3,000 files takes a fraction of a second."),
        ConfigKey.oneOf(
            SCHEMAS_GLEAN_FALLBACK,
            "auto",
            List.of("auto", "true", "false"),
            "Whether a submission to a namespace the schema set does not know is validated as a"
                + " Glean ping (glean/<type>/<type>.<version>, else glean/glean/glean.<version>)."
                + " auto: on for the bundled set, whose Glean schema stands in for every"
                + " application; off for a directory, where, as in Mozilla's pipeline, each"
                + " application has its own schemas and an unknown one is schema_not_found."),
        ConfigKey.positive(
            MAX_DECOMPRESSED_BYTES,
            ConfigType.SIZE,
            "8MiB",
            "Largest gzip-inflated payload. The edge caps bodies at 1 MiB and telemetry"
                + " compresses about 5-10x, so 8 MiB passes real pings and stops gzip bombs"
                + " (error payload_too_large)."),
        ConfigKey.positive(
            DEDUP_WINDOW,
            ConfigType.DURATION,
            "24h",
            "A submission whose (namespace, document type, document id) was seen this close in"
                + " time is dropped as a duplicate. Clients retry for hours at most; 24 h covers"
                + " that while keeping the dedup store to one day of ids."),
        ConfigKey.intRange(
            TELEMETRY_DEFAULT_VERSION,
            null,
            1,
            1000,
            "Document version of a /submit/telemetry/... submission (whose URI has none) whose"
                + " payload has neither a top-level \"version\" nor \"v\". Unset: such a ping"
                + " is schema_not_found, as in Mozilla's decoder; a guessed version would validate"
                + " a broken client's ping against the wrong schema. Set it only for old clients"
                + " known to omit it."),
        ConfigKey.intRange(
            MAX_VIOLATIONS,
            "5",
            1,
            100,
            "How many schema violations an ingest.errors record lists in its error_message; the"
                + " first few locate the problem, all of them can be long."));
  }

  /**
   * The schema set the configuration selects: {@value #SCHEMAS_DIR}, or the bundled set, with the
   * Glean fallback of {@value #SCHEMAS_GLEAN_FALLBACK}.
   */
  public static SchemaStore schemaStore(KindlingConfig config) {
    return SchemaStore.load(config.getPath(SCHEMAS_DIR), gleanFallback(config));
  }

  /** {@value #SCHEMAS_GLEAN_FALLBACK}. */
  public static SchemaStore.GleanFallback gleanFallback(KindlingConfig config) {
    return SchemaStore.GleanFallback.parse(config.getString(SCHEMAS_GLEAN_FALLBACK));
  }

  /** {@value #TELEMETRY_DEFAULT_VERSION}, or null when unset. */
  public static Integer telemetryDefaultVersion(KindlingConfig config) {
    return config.has(TELEMETRY_DEFAULT_VERSION) ? config.getInt(TELEMETRY_DEFAULT_VERSION) : null;
  }
}
