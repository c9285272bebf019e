package org.kindling.platform.cli;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.kindling.core.Service;
import org.kindling.core.config.KindlingConfig;
import org.kindling.edge.EdgeConfig;
import org.kindling.edge.EdgeService;
import picocli.CommandLine.Command;

/** {@code kindling edge}: the HTTP edge on its own. */
@Command(
    name = "edge",
    description =
        "Run the ingest edge: HTTP submissions to ingest.raw, answered 200 only once Kafka (or the"
            + " local spool) holds them. Serves /__heartbeat__, /__lbheartbeat__ and /__version__"
            + " on edge.port for the load balancer, and /metrics and the detailed heartbeat on"
            + " ops.port.")
public final class EdgeCommand extends StageCommand {
  @Override
  protected Service create(KindlingConfig config, PrometheusMeterRegistry registry) {
    return new EdgeService(config, registry);
  }

  @Override
  protected void checkPorts(KindlingConfig c) {
    super.checkPorts(c);
    Ports.requireFree(c, EdgeConfig.PORT, c.getString(EdgeConfig.HOST), "the edge");
  }
}
