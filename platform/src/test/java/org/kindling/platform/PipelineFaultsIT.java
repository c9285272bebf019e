package org.kindling.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
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
import org.kindling.platform.simulate.Summary;
import org.kindling.sink.SinkHooks;
import org.kindling.testkit.KafkaClusterExtension;
import org.kindling.testkit.S3ServerExtension;

/**
 * The accounting invariant under faults, each while the simulator sends: the broker stopped for 10
 * s and restarted (the edge spools and drains); the validator and the geo-enricher each stopped and
 * replaced mid-stream; the geo-enricher stopped for 90 s of traffic and started again (every minute
 * file must still equal the lake); the s3-sink crashing between an upload and its offset commit
 * (and after an upload, before the rest of its batch). After them all, every public minute file is
 * compared with the lake, minute by minute. {@link ThreeBrokerPipelineIT} has the faults that need
 * a cluster.
 */
class PipelineFaultsIT {
  @RegisterExtension
  static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();

  @RegisterExtension static final S3ServerExtension S3 = S3ServerExtension.filesystem();

  static final int COUNT = Integer.getInteger("kindling.faults.count", 1500);
  static final double RATE = 150;
  static final double BACKLOG_RATE = 40;

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
    platform = LocalPlatform.start(KAFKA.config(PipelineRig.settings(data, S3)), hooks);
  }

  /** After every fault: each public minute file of the Glow doctypes equals the lake. */
  @AfterAll
  static void stop() throws Exception {
    try {
      if (platform != null) {
        System.out.println(
            "after every fault: "
                + accounting().checkMinutes(Duration.ofSeconds(120))
                + " minute files equal to the lake");
      }
    } finally {
      if (platform != null) {
        platform.close();
      }
    }
  }

  private static Accounting accounting() {
    return PipelineRig.accounting(platform, S3);
  }

  private static CompletableFuture<Summary> send(long seed) throws Exception {
    return send(seed, COUNT);
  }

  private static CompletableFuture<Summary> send(long seed, int count) throws Exception {
    return send(seed, count, RATE);
  }

  private static CompletableFuture<Summary> send(long seed, int count, double rate)
      throws Exception {
    return PipelineRig.send(platform, seed, count, rate);
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

  /**
   * Every minute counted after a backlog: the geo-enricher is stopped while 90 s of traffic
   * accumulates in ingest.validated, then started. Each partition catches up on its own event time,
   * so no record is late, and every minute file equals the lake (checked by the accounting).
   */
  @Test
  void shouldCountEveryMinuteAfterTheGeoEnricherWasStoppedFor90Seconds() throws Exception {
    Accounting accounting = accounting();
    long lateBefore = Accounting.lateRecords(platform);
    platform.stopStage("geo-enricher");
    Summary sent;
    try {
      sent = send(24, (int) (BACKLOG_RATE * 90), BACKLOG_RATE).get();
    } finally {
      platform.startStage("geo-enricher");
    }
    assertThat(sent.accepted()).isEqualTo(sent.sent());
    System.out.println(
        "geo-enricher stopped 90 s: " + accounting.check(sent, Duration.ofMinutes(4)));
    assertThat(Accounting.lateRecords(platform) - lateBefore).as("late records").isZero();
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
}
