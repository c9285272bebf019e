package org.kindling.core.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Properties;
import org.kindling.core.Json;

/**
 * Version, commit and build time, from {@code kindling-version.properties} filtered by the build;
 * and, in {@code /__version__}, the identity of the schema set each stage of the process uses.
 *
 * <p>The schema sets are read from the metrics registry (the meters below, which the schema store
 * of the validator and of the s3-sink keep current), so {@code /__version__} and {@code /metrics}
 * always name the same set, and the edge of {@code kindling local}, which shares the registry,
 * shows them too:
 *
 * <pre>
 * {"name":"kindling","version":"0.1.0","commit":"...","build_time":"...",
 *  "schemas":{"validator":{"id":"git:88a4adf...","source":"/srv/schemas/schemas","schemas":1043,
 *             "loaded_at":"2026-11-27T10:15:02Z"}}}
 * </pre>
 *
 * @param version the project version
 * @param commit the source commit, or "unknown"
 * @param buildTime when the build ran (UTC)
 */
public record VersionInfo(String version, String commit, String buildTime) {

  /**
   * Gauge (always 1) naming the schema set in use: tags {@code stage}, {@code id}, {@code source}.
   */
  public static final String SCHEMA_SET_INFO = "schema_set_in_use";

  /** Gauge: schemas in the set in use, tag {@code stage}. */
  public static final String SCHEMA_SET_SIZE = "schema_set_schemas";

  /** Gauge: when the set in use was loaded (epoch seconds), tag {@code stage}. */
  public static final String SCHEMA_SET_LOADED = "schema_set_loaded_timestamp_seconds";

  /** The version of the running build. */
  public static VersionInfo current() {
    Properties p = new Properties();
    try (InputStream in = VersionInfo.class.getResourceAsStream("/kindling-version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException ignored) {
      // fall through to "unknown"
    }
    return new VersionInfo(
        p.getProperty("version", "unknown"),
        p.getProperty("commit", "unknown"),
        p.getProperty("build.time", "unknown"));
  }

  /** As the JSON served by {@code /__version__}, without schema sets. */
  public String toJson() {
    return base().toString();
  }

  /**
   * As the JSON served by {@code /__version__}: the fields of {@link #toJson()} and, when stages in
   * this process use schema sets, {@code schemas} with each stage's set.
   */
  public String toJson(MeterRegistry registry) {
    ObjectNode o = base();
    if (registry != null) {
      ObjectNode schemas = null;
      for (Gauge g : registry.find(SCHEMA_SET_INFO).gauges()) {
        String stage = g.getId().getTag("stage");
        if (stage == null) {
          continue;
        }
        if (schemas == null) {
          schemas = o.putObject("schemas");
        }
        ObjectNode s = schemas.putObject(stage);
        s.put("id", g.getId().getTag("id"));
        s.put("source", g.getId().getTag("source"));
        Gauge size = registry.find(SCHEMA_SET_SIZE).tag("stage", stage).gauge();
        if (size != null) {
          s.put("schemas", (long) size.value());
        }
        Gauge loaded = registry.find(SCHEMA_SET_LOADED).tag("stage", stage).gauge();
        if (loaded != null && !Double.isNaN(loaded.value())) {
          s.put("loaded_at", Instant.ofEpochSecond((long) loaded.value()).toString());
        }
      }
    }
    return o.toString();
  }

  private ObjectNode base() {
    ObjectNode o = Json.mapper().createObjectNode();
    o.put("name", "kindling");
    o.put("version", version);
    o.put("commit", commit);
    o.put("build_time", buildTime);
    return o;
  }
}
