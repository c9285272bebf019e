package org.kindling.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.kindling.sink.SinkHooks;
import org.kindling.testkit.GeoIpTestData;
import org.kindling.testkit.KafkaClusterExtension;
import org.kindling.testkit.S3ServerExtension;

/**
 * The accounting invariant under faults, each while the simulator sends: the broker stopped for 10
 * s and restarted (the edge spools and drains); the validator and the geo-enricher each stopped and
 * replaced mid-stream; the s3-sink crashing between an upload and its offset commit (and after an
 * upload, before the rest of its batch); the edge killed with a non-empty spool and started again.
 */
class PipelineFaultsIT {
  @RegisterExtension
  static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();

  @RegisterExtension static final S3ServerExtension S3 = S3ServerExtension.filesystem();

  static final int COUNT = Integer.getInteger("kindling.faults.count", 1500);
  static final double RATE = 150;

  @TempDir static Path data;
  static LocalPlatform platform;

  /** Crashes still to cause in the sink's flush of ingest.enriched, by point. */
  static final Map<SinkHooks.Point, AtomicInteger> SINK_CRASHES =
      new ConcurrentHashMap<>(
          Map.of(
              SinkHooks.Point.BEFORE_COMMIT, new AtomicInteger(),
              SinkHooks.Point.AFTER_UPLOAD, new AtomicInteger()));

  static final AtomicInteger SINK_CRASHED = new AtomicInteger();

  /** A crash of the sink process at a point of its flush, as a test hook throws it. */
  static final class SimulatedCrash extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SimulatedCrash(SinkHooks.Point point) {
      super("simulated crash at " + point);
    }
  }

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
    o.put("edge.port", Integer.toString(freePort()));
    o.put("ops.port", "0");
    o.put("edge.produce.timeout", "2s");
    o.put("geo.database", GeoIpTestData.cityDatabase().toString());
    o.put("sink.idle.flush", "2s");
    o.put("sink.public.summary.interval", "1s");
    SinkHooks hooks =
        (point, tp) -> {
          AtomicInteger left = SINK_CRASHES.get(point);
          if (tp.topic().equals("ingest.enriched")
              && left != null
              && left.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            SINK_CRASHED.incrementAndGet();
            throw new SimulatedCrash(point);
          }
        };
    platform = LocalPlatform.start(KAFKA.config(o), hooks);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
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
    return send(seed, COUNT);
  }

  private static CompletableFuture<Summary> send(long seed, int count) throws Exception {
    ClientAddresses clients = ClientAddresses.from(GeoIpTestData.cityDatabase(), seed, 20);
    SyntheticTraffic traffic = new SyntheticTraffic(seed, clients, Mix.parse(Mix.DEFAULT));
    Simulator sim = new Simulator(platform.edgeUrl(), traffic, RATE, 64);
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return sim.run(count, null, null);
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

  @Test
  void shouldLoseNothingWhenTheSinkCrashesBetweenUploadAndCommit() throws Exception {
    Accounting accounting = accounting();
    int before = SINK_CRASHED.get();
    SINK_CRASHES.get(SinkHooks.Point.BEFORE_COMMIT).set(2);
    SINK_CRASHES.get(SinkHooks.Point.AFTER_UPLOAD).set(1);
    Summary sent = send(23).get();
    assertThat(sent.sent()).isEqualTo(COUNT);
    System.out.println("sink crashes: " + accounting.check(sent, Duration.ofMinutes(4)));
    assertThat(SINK_CRASHED.get() - before).as("crashes caused").isEqualTo(3);
  }

  @Test
  void shouldLoseNothingWhenTheEdgeIsKilledWithANonEmptySpool() throws Exception {
    Accounting accounting = accounting();
    CompletableFuture<Summary> first = send(24, COUNT / 2);
    Thread.sleep(2000);
    int broker = KAFKA.brokerIds().iterator().next();
    KAFKA.stopBroker(broker);
    Summary spooled = first.get();
    double depth = platform.registry().get("edge.spool.depth.records").gauge().value();
    assertThat(depth).as("submissions in the spool when the edge is killed").isPositive();
    platform.haltEdge();
    KAFKA.startBroker(broker);
    platform.startEdge();
    Summary after = send(25, COUNT / 2).get();
    System.out.println(
        "edge killed with "
            + (long) depth
            + " spooled: "
            + accounting.check(Duration.ofMinutes(4), spooled, after));
  }
}
