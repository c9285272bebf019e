package org.kindling.platform.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.kindling.core.config.KindlingConfig;
import org.kindling.schemas.SchemaStore;
import org.kindling.sink.AthenaDdl;
import org.kindling.sink.SchemaLookup;
import org.kindling.sink.SchemaStoreLookup;
import org.kindling.sink.SinkConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kindling ddl}: Athena tables for the lake. */
@Command(
    name = "ddl",
    description =
        "Print CREATE EXTERNAL TABLE statements (Athena) for every doctype version with a schema"
            + " and for the errors table, with the column types the sink writes and partition"
            + " projection on submission_date.")
public final class DdlCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConfigOptions config;

  @Option(
      names = "--location",
      paramLabel = "S3_URL",
      description = "Where the lake is, e.g. s3://my-lake/prefix (default: s3://<s3.bucket.lake>).")
  String location;

  @Option(
      names = "--schemas",
      paramLabel = "DIR",
      description = "Schema directory (default: sink.schemas.dir, else the bundled schemas).")
  Path schemas;

  @Override
  public Integer call() {
    KindlingConfig c = config.load();
    String loc = location != null ? location : "s3://" + c.getString(SinkConfig.BUCKET_LAKE);
    Path dir = schemas != null ? schemas : c.getPath(SinkConfig.SCHEMAS_DIR);
    SchemaLookup lookup =
        new SchemaStoreLookup(
            SchemaStore.load(
                dir,
                SchemaStore.GleanFallback.parse(c.getString(SinkConfig.SCHEMAS_GLEAN_FALLBACK))));
    for (String statement : AthenaDdl.statements(lookup, loc)) {
      spec.commandLine().getOut().println(statement);
      spec.commandLine().getOut().println();
    }
    return 0;
  }
}
