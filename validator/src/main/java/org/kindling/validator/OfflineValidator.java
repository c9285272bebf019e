package org.kindling.validator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.kindling.core.Attributes;
import org.kindling.schemas.SchemaEntry;
import org.kindling.schemas.SchemaStore;
import org.kindling.schemas.SchemaValidator;

/**
 * Validates documents in files, without Kafka ({@code kindling validate}). The same steps as the
 * Streams app decide (gzip by magic bytes, the same JSON limits, the same schema resolution with
 * the Glean fallback), but every violation is reported, not only the first few.
 *
 * <p>The schema is chosen, in this order, by an explicit namespace/type/version, by a submission
 * URI ({@code /submit/...}, either form), or by the file's location: a file named {@code
 * <type>.<version>[.<name>...].json} in a directory named {@code <namespace>} (the layout of the
 * bundled examples, e.g. {@code glow/download.1.minimal.pass.json}).
 */
public final class OfflineValidator {
  private final SchemaStore store;
  private final SchemaValidator validator = new SchemaValidator();
  private final DecompressPayload decompress;
  private final ParsePayload parsePayload;

  /**
   * @param store the schemas
   * @param maxDecompressedBytes the inflation cap
   * @param telemetryDefaultVersion the version of telemetry documents without one, or null
   */
  public OfflineValidator(
      SchemaStore store, long maxDecompressedBytes, Integer telemetryDefaultVersion) {
    this.store = store;
    this.decompress = new DecompressPayload(maxDecompressedBytes);
    this.parsePayload = new ParsePayload(telemetryDefaultVersion);
  }

  /** With the defaults of {@link ValidatorConfig} (8 MiB, no default telemetry version). */
  public OfflineValidator(SchemaStore store) {
    this(store, 8L << 20, null);
  }

  /**
   * Compiles every schema of the set (what {@code kindling validate --schemas DIR} without files
   * checks); returns the ones that cannot be used, with why.
   */
  public Map<SchemaEntry, String> checkSchemas() {
    return validator.compileAll(store);
  }

  /**
   * What to validate a file against; all fields null means "from the file name".
   *
   * @param namespace document namespace, or null
   * @param type document type, or null
   * @param version document version, or null
   * @param uri a submission URI, or null
   */
  public record Target(String namespace, String type, String version, String uri) {
    public static final Target FROM_FILE_NAME = new Target(null, null, null, null);
  }

  /**
   * The verdict on one file.
   *
   * @param file the file
   * @param schema the schema used ({@code glow/download/download.1}), or null when none was found
   * @param pass whether the document is valid
   * @param problems the violations, or why the file could not be validated
   */
  public record Result(Path file, String schema, boolean pass, List<String> problems) {}

  /** Validates one file. */
  public Result validate(Path file, Target target) {
    Map<String, String> attrs = new LinkedHashMap<>();
    try {
      if (target.namespace() != null || target.type() != null || target.version() != null) {
        if (target.namespace() == null || target.type() == null || target.version() == null) {
          return fail(file, null, "give all of --namespace, --type and --version");
        }
        attrs.put(Attributes.DOCUMENT_NAMESPACE, target.namespace());
        attrs.put(Attributes.DOCUMENT_TYPE, target.type());
        attrs.put(Attributes.DOCUMENT_VERSION, target.version());
      } else if (target.uri() != null) {
        ParseUri.parse(target.uri()).putAttributes(attrs);
      } else if (!fromFileName(file, attrs)) {
        return fail(
            file,
            null,
            "cannot tell the schema: use --namespace/--type/--version or --uri, or name the file"
                + " <namespace>/<type>.<version>.<name>.json");
      }
      Submission s = new Submission(Files.readAllBytes(file), attrs);
      decompress.apply(s);
      parsePayload.apply(s);
      String ns = s.attribute(Attributes.DOCUMENT_NAMESPACE);
      String type = s.attribute(Attributes.DOCUMENT_TYPE);
      String version = s.attribute(Attributes.DOCUMENT_VERSION);
      Optional<SchemaEntry> entry = store.resolve(ns, type, version);
      if (entry.isEmpty()) {
        return fail(file, null, "no schema for " + ns + "/" + type + "/" + type + "." + version);
      }
      try {
        List<String> violations = validator.validate(entry.get(), s.document());
        return new Result(file, entry.get().toString(), violations.isEmpty(), violations);
      } catch (SchemaValidator.UnusableSchemaException e) {
        return fail(file, entry.get().toString(), e.getMessage());
      }
    } catch (RejectedSubmission e) {
      return fail(file, null, e.errorType() + ": " + e.getMessage());
    } catch (IOException e) {
      return fail(file, null, "cannot read: " + e.getMessage());
    }
  }

  private static Result fail(Path file, String schema, String problem) {
    return new Result(file, schema, false, List.of(problem));
  }

  /** {@code .../<namespace>/<type>.<version>[.<name>...].json}. */
  static boolean fromFileName(Path file, Map<String, String> attrs) {
    Path parent = file.toAbsolutePath().normalize().getParent();
    String name = file.getFileName().toString();
    if (parent == null || parent.getFileName() == null || !name.endsWith(".json")) {
      return false;
    }
    String[] parts = name.substring(0, name.length() - ".json".length()).split("\\.");
    if (parts.length < 2 || parts[0].isEmpty() || !parts[1].matches("\\d{1,9}")) {
      return false;
    }
    attrs.put(Attributes.DOCUMENT_NAMESPACE, parent.getFileName().toString());
    attrs.put(Attributes.DOCUMENT_TYPE, parts[0]);
    attrs.put(Attributes.DOCUMENT_VERSION, parts[1]);
    return true;
  }

  /** Validates several files. */
  public List<Result> validateAll(List<Path> files, Target target) {
    List<Result> out = new ArrayList<>();
    for (Path f : files) {
      out.add(validate(f, target));
    }
    return out;
  }
}
