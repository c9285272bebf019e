package org.kindling.platform.cli;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.kindling.core.Service;
import org.kindling.core.config.KindlingConfig;
import org.kindling.edge.EdgeService;
import picocli.CommandLine.Command;

/** {@code kindling edge}: the HTTP edge on its own. */
@Command(
    name = "edge",
    description =
        "Run the ingest edge: HTTP submissions to ingest.raw, answered 200 only once Kafka (or the"
            + " local spool) holds them. Serves /__heartbeat__, /__lbheartbeat__, /__version__"
            + " and /metrics on its own port.")
public final class EdgeCommand extends StageCommand {
  @Override
  protected Service create(KindlingConfig config, PrometheusMeterRegistry registry) {
    return new EdgeService(config, registry);
  }

  @Override
  protected boolean ownOpsEndpoint() {
    return true;
  }
}
