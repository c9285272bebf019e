package org.kindling.platform.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft Kafka (broker and controller in one process) from Kafka's production jars,
 * for {@code kindling local}. Its log directory is formatted once and kept, so a second start finds
 * the earlier data.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

  private final Path dataDir;
  private final int brokerPort;
  private final int controllerPort;
  private KafkaRaftServer server;

  /**
   * @param dataDir log directory (created and formatted when empty)
   * @param brokerPort client port; 0 picks a free one
   */
  public EmbeddedKafka(Path dataDir, int brokerPort) {
    this.dataDir = dataDir.toAbsolutePath();
    this.brokerPort = brokerPort == 0 ? freePort() : brokerPort;
    this.controllerPort = freePort();
  }

  /** Formats the log directory if needed and starts the broker. */
  public EmbeddedKafka start() throws Exception {
    Files.createDirectories(dataDir);
    if (!Files.exists(dataDir.resolve("meta.properties"))) {
      new Formatter()
          .setNodeId(1)
          .setClusterId(Uuid.randomUuid().toString())
          .setDirectories(List.of(dataDir.toString()))
          .setMetadataLogDirectory(dataDir.toString())
          .setReleaseVersion(MetadataVersion.latestProduction())
          .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
          .setControllerListenerName("CONTROLLER")
          .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
          .run();
      LOG.info("formatted a new Kafka log directory at {}", dataDir);
    } else {
      LOG.info("reusing the Kafka log directory at {}", dataDir);
    }
    server = new KafkaRaftServer(KafkaConfig.fromProps(properties(), false), Time.SYSTEM);
    server.startup();
    return this;
  }

  private Properties properties() {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put(
        "listeners",
        "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", dataDir.toString());
    // One node: internal topics cannot have more than one replica.
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "4");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "4");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    // Kindling creates its topics explicitly; a typo must not create a new one.
    p.put("auto.create.topics.enable", "false");
    // Local mode: consumers join at once instead of waiting for more members.
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
    // After a crash the controller keeps the dead incarnation's registration until its session
    // times out (9 s by default), and the restarted broker cannot register before: with the
    // controller in the same process, heartbeats never cross a network, so a short session brings
    // the broker (and the edge in front of it) back within seconds.
    p.put("broker.heartbeat.interval.ms", "500");
    p.put("broker.session.timeout.ms", "2000");
    return p;
  }

  /** host:port for clients. */
  public String bootstrapServers() {
    return "127.0.0.1:" + brokerPort;
  }

  public Path dataDir() {
    return dataDir;
  }

  @Override
  public void close() {
    if (server != null) {
      server.shutdown();
      server.awaitShutdown();
      server = null;
    }
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port", e);
    }
  }
}
