package org.kindling.platform.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.kindling.core.config.KindlingConfig;
import org.kindling.platform.local.LocalConfig;
import org.kindling.platform.query.LakeQuery;
import org.kindling.platform.query.ResultFormat;
import org.kindling.sink.SinkConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kindling query}: SQL over the local lake with DuckDB. */
@Command(
    name = "query",
    description =
        "Run SQL over the local lake with DuckDB. Every doctype is a view"
            + " <namespace>_<document_type>_v<version> (dashes become underscores), plus `errors`;"
            + " submission_date is a partition column.")
public final class QueryCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConfigOptions config;

  @Parameters(arity = "0..1", paramLabel = "SQL", description = "The query.")
  String sql;

  @Option(names = "--tables", description = "List the views with their row counts.")
  boolean tables;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description =
          "The data folder of `kindling local --data DIR` (local.data.dir, default ./data): the"
              + " lake is its embedded S3 server's lake bucket.")
  Path data;

  @Option(
      names = "--lake",
      paramLabel = "DIR",
      description = "The lake folder itself (default: the lake bucket under the data folder).")
  Path lake;

  @Option(
      names = "--format",
      defaultValue = "table",
      description = "table, csv or json (one object per line); default: ${DEFAULT-VALUE}.")
  String format;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    ResultFormat f;
    try {
      f = ResultFormat.valueOf(format.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--format must be table, csv or json, not " + format);
    }
    if (data != null) {
      config.set(LocalConfig.DATA_DIR, data.toString());
    }
    Path dir = lake != null ? lake : defaultLake(config.load());
    if (!Files.isDirectory(dir)) {
      throw new Failures.KindlingFailure(
          "no lake at "
              + dir.toAbsolutePath().normalize()
              + ": point --data at the folder of `kindling local --data DIR` (or --lake at the"
              + " lake folder)");
    }
    try (LakeQuery q = new LakeQuery(dir)) {
      if (tables || sql == null) {
        Map<String, Long> counts = q.rowCounts();
        List<List<Object>> rows =
            counts.entrySet().stream().map(e -> List.<Object>of(e.getKey(), e.getValue())).toList();
        if (counts.isEmpty()) {
          spec.commandLine().getErr().println("no Parquet files under " + dir + " yet");
        }
        f.print(new LakeQuery.Result(List.of("table", "rows"), rows), out);
        return 0;
      }
      f.print(q.run(sql), out);
      return 0;
    }
  }

  static Path defaultLake(KindlingConfig c) {
    return c.getPath(LocalConfig.DATA_DIR)
        .resolve("s3")
        .resolve(c.getString(SinkConfig.BUCKET_LAKE));
  }
}
