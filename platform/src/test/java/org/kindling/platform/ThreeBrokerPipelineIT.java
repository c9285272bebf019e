package org.kindling.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.core.config.CoreConfig;
import org.kindling.platform.local.LocalPlatform;
import org.kindling.platform.simulate.Summary;
import org.kindling.testkit.KafkaClusterExtension;
import org.kindling.testkit.S3ServerExtension;

/**
 * The accounting invariant on a three-broker cluster (replication 3, {@code min.insync.replicas=2},
 * the controller on its own node): one broker stopped during load and started again (partitions
 * move to the other leaders, acks=all still holds with two replicas); and the edge killed with a
 * non-empty spool while two brokers are down, then started again once they are back.
 */
class ThreeBrokerPipelineIT {
  @RegisterExtension
  static final KafkaClusterExtension KAFKA = KafkaClusterExtension.withBrokers(3);

  @RegisterExtension static final S3ServerExtension S3 = S3ServerExtension.filesystem();

  static final int COUNT = Integer.getInteger("kindling.faults.count", 1500);

  @TempDir static Path data;
  static LocalPlatform platform;

  @BeforeAll
  static void start() throws Exception {
    platform = LocalPlatform.start(KAFKA.config(PipelineRig.settings(data, S3)));
    assertThat(platform.config().getInt(CoreConfig.TOPICS_REPLICATION_FACTOR)).isEqualTo(3);
    assertThat(platform.config().getInt(CoreConfig.TOPICS_MIN_INSYNC_REPLICAS)).isEqualTo(2);
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void shouldLoseNothingWhenOneOfThreeBrokersIsStoppedDuringLoad() throws Exception {
    Accounting accounting = PipelineRig.accounting(platform, S3);
    CompletableFuture<Summary> run = PipelineRig.send(platform, 31, COUNT, 150);
    Thread.sleep(3000);
    int broker = KAFKA.brokerIds().iterator().next();
    KAFKA.stopBroker(broker);
    Thread.sleep(8000);
    KAFKA.startBroker(broker);
    Summary sent = run.get();
    assertThat(sent.sent()).isEqualTo(COUNT);
    assertThat(sent.accepted()).isEqualTo(COUNT);
    System.out.println(
        "one of three brokers stopped: " + accounting.check(sent, Duration.ofMinutes(4)));
  }

  @Test
  void shouldLoseNothingWhenTheEdgeIsKilledWithANonEmptySpool() throws Exception {
    Accounting accounting = PipelineRig.accounting(platform, S3);
    // With two of three brokers down, acks=all with min.insync.replicas=2 cannot be met: the edge
    // answers from its spool. It is then killed with the spool full of answered submissions.
    List<Integer> ids = new ArrayList<>(KAFKA.brokerIds());
    List<Integer> stopped = ids.subList(0, 2);
    stopped.forEach(KAFKA::stopBroker);
    CompletableFuture<Summary> first = PipelineRig.send(platform, 32, COUNT / 2, 150);
    Summary spooled = first.get();
    double depth = platform.registry().get("edge_spool_depth_records").gauge().value();
    assertThat(depth).as("submissions in the spool when the edge is killed").isPositive();
    platform.haltEdge();
    stopped.forEach(KAFKA::startBroker);
    platform.startEdge();
    Summary after = PipelineRig.send(platform, 33, COUNT / 2, 150).get();
    System.out.println(
        "edge killed with "
            + (long) depth
            + " spooled: "
            + accounting.check(Duration.ofMinutes(4), spooled, after));
  }
}
