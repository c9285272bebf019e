package org.kindling.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.platform.local.LocalPlatform;
import org.kindling.platform.simulate.ClientAddresses;
import org.kindling.platform.simulate.Mix;
import org.kindling.platform.simulate.Simulator;
import org.kindling.platform.simulate.Summary;
import org.kindling.platform.simulate.SyntheticTraffic;
import org.kindling.testkit.GeoIpTestData;
import org.kindling.testkit.KafkaClusterExtension;
import org.kindling.testkit.S3ServerExtension;

/**
 * The accounting invariant under faults, each while the simulator sends: the broker stopped for 10
 * s and restarted (the edge spools and drains), and the validator and the geo-enricher each stopped
 * and replaced mid-stream.
 */
class PipelineFaultsIT {
  @RegisterExtension
  static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();

  @RegisterExtension static final S3ServerExtension S3 = S3ServerExtension.filesystem();

  static final int COUNT = Integer.getInteger("kindling.faults.count", 3000);
  static final double RATE = 150;

  @TempDir static Path data;
  static LocalPlatform platform;

  @BeforeAll
  static void start() throws Exception {
    S3.createBucket("kindling-lake");
    S3.createBucket("kindling-landfill");
    S3.createPublicBucket("kindling-public");
    Map<String, String> o = new HashMap<>();
    o.put("local.data.dir", data.toString());
    o.put("local.kafka.embedded", "false");
    o.put("local.s3.embedded", "false");
    o.put("local.dashboard.enabled", "false");
    o.put("s3.endpoint", S3.endpoint().toString());
    o.put("s3.access.key.id", S3.accessKey());
    o.put("s3.secret.access.key", S3.secretKey());
    o.put("s3.path.style", "true");
    o.put("edge.port", "0");
    o.put("ops.port", "0");
    o.put("edge.produce.timeout", "2s");
    o.put("geo.database", GeoIpTestData.cityDatabase().toString());
    o.put("sink.idle.flush", "2s");
    o.put("sink.public.summary.interval", "1s");
    platform = LocalPlatform.start(KAFKA.config(o));
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  private static Accounting accounting() {
    return new Accounting(
        platform, S3.basedir().resolve("kindling-lake"), S3.basedir().resolve("kindling-public"));
  }

  private static CompletableFuture<Summary> send(long seed) throws Exception {
    ClientAddresses clients = ClientAddresses.from(GeoIpTestData.cityDatabase(), seed, 20);
    SyntheticTraffic traffic = new SyntheticTraffic(seed, clients, Mix.parse(Mix.DEFAULT));
    Simulator sim = new Simulator(platform.edgeUrl(), traffic, RATE, 64);
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return sim.run(COUNT, null, null);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  @Test
  void shouldLoseNothingWhenTheBrokerIsDownForTenSeconds() throws Exception {
    Accounting accounting = accounting();
    CompletableFuture<Summary> run = send(21);
    Thread.sleep(4000);
    int broker = KAFKA.brokerIds().iterator().next();
    KAFKA.stopBroker(broker);
    Thread.sleep(10_000);
    KAFKA.startBroker(broker);
    Summary sent = run.get();
    assertThat(sent.sent()).isEqualTo(COUNT);
    assertThat(sent.accepted()).isPositive();
    System.out.println("broker outage: " + accounting.check(sent, Duration.ofMinutes(4)));
  }

  @Test
  void shouldLoseNothingWhenTheStreamsAppsAreReplacedMidStream() throws Exception {
    Accounting accounting = accounting();
    CompletableFuture<Summary> run = send(22);
    Thread.sleep(5000);
    platform.restart("validator");
    Thread.sleep(4000);
    platform.restart("geo-enricher");
    Summary sent = run.get();
    assertThat(sent.sent()).isEqualTo(COUNT);
    System.out.println("app restarts: " + accounting.check(sent, Duration.ofMinutes(4)));
  }
}
