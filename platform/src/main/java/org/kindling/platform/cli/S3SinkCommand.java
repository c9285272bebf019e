package org.kindling.platform.cli;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.kindling.core.Service;
import org.kindling.core.config.KindlingConfig;
import org.kindling.sink.S3SinkService;
import picocli.CommandLine.Command;

/** {@code kindling s3-sink}: the sink on its own. */
@Command(
    name = "s3-sink",
    description =
        "Run the s3-sink: ingest.enriched to the Parquet lake, ingest.errors to the errors lake,"
            + " ingest.raw to the landfill, ingest.counts to the public JSON files.")
public final class S3SinkCommand extends StageCommand {
  @Override
  protected Service create(KindlingConfig config, PrometheusMeterRegistry registry) {
    return new S3SinkService(config, registry);
  }
}
