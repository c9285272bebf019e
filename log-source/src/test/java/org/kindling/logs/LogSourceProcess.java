package org.kindling.logs;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.Map;
import org.kindling.core.config.ConfigDefinitions;
import org.kindling.core.config.KindlingConfig;
import org.kindling.core.ops.OpsServer;

/**
 * The log source as its own process, for the tests that kill it: {@code LogSourceProcess
 * <properties file>}. Prints {@code ops=<port>} (its /metrics endpoint) once it runs.
 */
public final class LogSourceProcess {
  private LogSourceProcess() {}

  public static void main(String[] args) throws Exception {
    KindlingConfig config =
        KindlingConfig.load(ConfigDefinitions.discover(), Path.of(args[0]), Map.of(), Map.of());
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    LogSourceService service = new LogSourceService(config, registry);
    service.start();
    OpsServer ops = new OpsServer("127.0.0.1", 0, registry, service::healthChecks, null);
    Runtime.getRuntime().addShutdownHook(new Thread(service::close));
    System.out.println("ops=" + ops.port());
    System.out.flush();
    Thread.currentThread().join();
  }
}
