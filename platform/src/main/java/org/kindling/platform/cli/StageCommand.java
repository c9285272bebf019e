package org.kindling.platform.cli;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.kindling.core.Service;
import org.kindling.core.config.CoreConfig;
import org.kindling.core.config.KindlingConfig;
import org.kindling.core.kafka.TopicAdmin;
import org.kindling.core.ops.Meters;
import org.kindling.core.ops.OpsServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Mixin;

/**
 * Runs one stage on its own, as in production: read the configuration, make sure the topics exist,
 * start the stage and its operations endpoint, and run until Ctrl-C (or SIGTERM), then stop
 * gracefully.
 */
public abstract class StageCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(StageCommand.class);

  @Mixin protected ConfigOptions config;

  /** Creates the stage. */
  protected abstract Service create(KindlingConfig config, PrometheusMeterRegistry registry)
      throws Exception;

  /** Fails with one line when a port the stage listens on is taken (the ops port by default). */
  protected void checkPorts(KindlingConfig c) {
    Ports.requireFree(c, CoreConfig.OPS_PORT, c.getString(CoreConfig.OPS_HOST), "operations");
  }

  @Override
  public Integer call() throws Exception {
    KindlingConfig c = config.load();
    checkPorts(c);
    new TopicAdmin(c).ensureTopics();
    PrometheusMeterRegistry registry = Meters.prometheus();
    Service service = create(c, registry);
    CountDownLatch stopped = new CountDownLatch(1);
    service.start();
    OpsServer ops = OpsServer.forServices(c, registry, () -> List.of(service));
    LOG.info("{} running; operations endpoint on port {}", service.name(), ops.port());
    OpsServer opsToClose = ops;
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LOG.info("{} stopping", service.name());
                  service.close();
                  opsToClose.close();
                  stopped.countDown();
                },
                "kindling-shutdown"));
    stopped.await();
    return 0;
  }
}
