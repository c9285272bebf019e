package org.kindling.platform.cli;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import org.kindling.core.Service;
import org.kindling.core.config.KindlingConfig;
import org.kindling.validator.ValidatorConfig;
import org.kindling.validator.ValidatorService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kindling validator}: runs the validator stage on its own. */
@Command(
    name = "validator",
    description =
        "Run the validator (Kafka Streams, application.id validator): ingest.raw ->"
            + " ingest.validated | ingest.errors, with schema validation and deduplication.")
public final class ValidatorCommand extends StageCommand {
  @Option(
      names = "--schemas",
      paramLabel = "DIR",
      description = "Schema directory instead of the bundled schemas (sets validator.schemas.dir).")
  Path schemas;

  @Override
  public Integer call() throws Exception {
    if (schemas != null) {
      config.set(ValidatorConfig.SCHEMAS_DIR, schemas.toString());
    }
    return super.call();
  }

  @Override
  protected Service create(KindlingConfig config, PrometheusMeterRegistry registry) {
    return new ValidatorService(config, registry);
  }
}
