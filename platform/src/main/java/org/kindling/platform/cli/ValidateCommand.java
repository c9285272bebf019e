package org.kindling.platform.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.kindling.core.config.KindlingConfig;
import org.kindling.schemas.SchemaEntry;
import org.kindling.schemas.SchemaStore;
import org.kindling.validator.OfflineValidator;
import org.kindling.validator.ValidatorConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kindling validate}: validates documents in files against the schemas, offline. */
@Command(
    name = "validate",
    description =
        "Validate JSON documents (plain or gzip) against the schemas without Kafka. Prints pass"
            + " or fail per file with the violations; exits 1 when any file fails. The schema"
            + " comes from --namespace/--type/--version, from --uri, or from the file name"
            + " <namespace>/<type>.<version>.<name>.json. With --schemas and no file, checks the"
            + " schema set itself: every schema is compiled; exits 1 when one cannot be used, 2"
            + " when the set cannot be loaded.")
public final class ValidateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConfigOptions config;

  @Option(
      names = "--schemas",
      paramLabel = "DIR",
      description =
          "Schema directory in the mozilla-pipeline-schemas layout (a checkout, its root or its"
              + " schemas/ folder) instead of the bundled schemas (sets validator.schemas.dir).")
  Path schemas;

  @Option(
      names = "--uri",
      paramLabel = "URI",
      description = "Submission URI that names the document, e.g. /submit/glow/download/1/x.")
  String uri;

  @Option(names = "--namespace", description = "Document namespace.")
  String namespace;

  @Option(names = "--type", description = "Document type.")
  String type;

  @Option(names = "--version", description = "Document version.")
  String version;

  // Its own --version is the document's, so the inherited -V/--version does not apply here.
  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  boolean help;

  @Parameters(
      paramLabel = "FILE",
      arity = "0..*",
      description = "Documents to validate (none with --schemas: check the schema set).")
  List<Path> files;

  @Override
  public Integer call() {
    if (schemas != null) {
      config.set(ValidatorConfig.SCHEMAS_DIR, schemas.toString());
    }
    PrintWriter out = spec.commandLine().getOut();
    if ((files == null || files.isEmpty()) && schemas == null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "give the documents to validate, or --schemas DIR to check a set");
    }
    KindlingConfig c = config.load();
    SchemaStore store = ValidatorConfig.schemaStore(c); // a broken set: one line, exit 2
    OfflineValidator validator =
        new OfflineValidator(
            store,
            c.getSize(ValidatorConfig.MAX_DECOMPRESSED_BYTES),
            ValidatorConfig.telemetryDefaultVersion(c));
    if (files == null || files.isEmpty()) {
      return checkSet(out, store, validator);
    }
    int failed = 0;
    for (OfflineValidator.Result r :
        validator.validateAll(files, new OfflineValidator.Target(namespace, type, version, uri))) {
      out.println(
          (r.pass() ? "pass " : "fail ")
              + r.file()
              + (r.schema() == null ? "" : " (" + r.schema() + ")"));
      for (String p : r.problems()) {
        out.println("    " + p);
      }
      if (!r.pass()) {
        failed++;
      }
    }
    out.println((files.size() - failed) + " passed, " + failed + " failed");
    out.flush();
    return failed == 0 ? 0 : 1;
  }

  /** Loads and compiles every schema of the set; one line per schema that cannot be used. */
  private static int checkSet(PrintWriter out, SchemaStore store, OfflineValidator validator) {
    out.println(store.summary());
    Map<SchemaEntry, String> problems = validator.checkSchemas();
    problems.forEach((e, p) -> out.println("unusable " + e + ": " + p));
    out.println(
        (store.size() - problems.size()) + " schemas compiled, " + problems.size() + " unusable");
    out.flush();
    return problems.isEmpty() ? 0 : 1;
  }
}
