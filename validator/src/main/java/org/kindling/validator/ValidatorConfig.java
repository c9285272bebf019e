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
            "Directory of JSON schemas in the `<namespace>/<type>/<type>.<version>.schema.json`"
                + " layout that replaces the bundled set; unset uses the schemas bundled in the"
                + " schemas jar."),
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
            "4",
            1,
            1000,
            "Document version of a /submit/telemetry/... submission (whose URI has none) when the"
                + " payload has no numeric top-level \"version\"; 4 is the current Firefox ping"
                + " format."),
        ConfigKey.intRange(
            MAX_VIOLATIONS,
            "5",
            1,
            100,
            "How many schema violations an ingest.errors record lists in its error_message; the"
                + " first few locate the problem, all of them can be long."));
  }

  /** The schema store the configuration selects: {@value #SCHEMAS_DIR}, or the bundled set. */
  public static SchemaStore schemaStore(KindlingConfig config) {
    return SchemaStore.load(config.getPath(SCHEMAS_DIR));
  }
}
