package org.kindling.bench.geo;

import static org.kindling.bench.common.Bench.num;
import static org.kindling.bench.common.Bench.ratio;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.kindling.bench.common.AppTimer;
import org.kindling.bench.common.Bench;
import org.kindling.bench.common.Corpus;
import org.kindling.bench.common.LocalServers;
import org.kindling.bench.common.Medians;
import org.kindling.bench.common.Offsets;
import org.kindling.core.Attributes;
import org.kindling.core.Service;
import org.kindling.core.Topics;
import org.kindling.core.config.CoreConfig;
import org.kindling.core.config.KindlingConfig;
import org.kindling.core.kafka.KafkaDefaults;
import org.kindling.core.kafka.StreamsRunner;
import org.kindling.core.kafka.TopicAdmin;
import org.kindling.geo.GeoDatabase;
import org.kindling.geo.GeoEnricherService;
import org.kindling.geo.LookupGeo;
import org.kindling.geo.ParseUserAgent;
import org.kindling.schemas.SchemaStore;
import org.kindling.validator.ValidationSteps;

/**
 * The geo-enricher against the cheapest possible Streams app on the same input: N records shaped
 * like {@code ingest.validated} (produced by the validator's own steps from the benchmark corpus)
 * are read by
 *
 * <ul>
 *   <li>a pass-through app that writes every record unchanged to another topic, with the same
 *       Streams settings as the real apps ({@link KafkaDefaults#streams}: exactly-once v2, zstd,
 *       100 ms commits), and
 *   <li>the geo-enricher ({@link GeoEnricherService}) with the bundled GeoLite2 City database and
 *       its default configuration (enrich, count events through the repartition topic, counters).
 * </ul>
 *
 * Each app is timed from the start of the app until it has committed the end of {@code
 * ingest.validated} (the geo-enricher also the end of its count repartition topic). One warm-up
 * round, then {@code bench.rounds} rounds alternating the two apps; medians. Target: geo-enricher
 * at least 0.5 of the pass-through's records/s. System properties: {@code bench.records} (100000),
 * {@code bench.rounds} (3).
 */
public final class GeoBench {
  static final String PASSTHROUGH_TOPIC = "bench.passthrough";

  private GeoBench() {}

  public static void main(String[] args) throws Exception {
    Bench.quietLogs();
    int n = Bench.intProperty("bench.records", 100_000);
    int rounds = Math.max(1, Bench.intProperty("bench.rounds", 3));
    System.out.println("GeoBench: " + Bench.machine());

    KindlingConfig defaults = Bench.config("localhost:9", Map.of());
    List<Corpus.Rec> validated =
        Corpus.validated(Corpus.raw(n, 43), ValidationSteps.of(defaults, SchemaStore.bundled()));
    try (GeoDatabase db = GeoDatabase.openBundled()) {
      LookupGeo lookup = LookupGeo.fromConfig(defaults, db);
      long resolved =
          validated.stream()
              .filter(
                  r -> lookup.lookup(r.attributes().get(Attributes.REMOTE_ADDR)).country() != null)
              .count();
      System.out.printf(
          "corpus: %s records, %s bytes, %s client addresses resolve to a country (%s)%n",
          num(n), num(Corpus.valueBytes(validated)), num(resolved), db.version());

      List<AppTimer.Result> pass = new ArrayList<>();
      List<AppTimer.Result> geo = new ArrayList<>();
      try (LocalServers servers = LocalServers.start(false)) {
        KindlingConfig base = Bench.config(servers.bootstrapServers(), Map.of());
        TopicAdmin topics = new TopicAdmin(base);
        topics.ensureTopics();
        topics.ensure(List.of(topics.newTopic(PASSTHROUGH_TOPIC, false)));
        long t0 = System.nanoTime();
        Corpus.load(base, Topics.VALIDATED.name(), validated);
        System.out.printf(
            "loaded %s records into %s (%d partitions) in %.1f s%n",
            num(n),
            Topics.VALIDATED.name(),
            base.getInt(CoreConfig.TOPICS_PARTITIONS),
            (System.nanoTime() - t0) / 1e9);
        try (Admin admin = Admin.create(KafkaDefaults.admin(base))) {
          Offsets offsets = new Offsets(admin);
          Map<TopicPartition, Long> ends = offsets.ends(Topics.VALIDATED.name());
          for (int round = 0; round <= rounds; round++) {
            String label = round == 0 ? "warm-up" : "round " + round;
            String passId = "bench-passthrough-" + round;
            AppTimer.Result p =
                run(
                    label + " pass-through",
                    n,
                    servers,
                    offsets,
                    passId,
                    config -> new PassThrough(config, passId),
                    () -> offsets.caughtUp(passId, ends));
            String geoId = "geo-enricher-bench-" + round;
            AppTimer.Result g =
                run(
                    label + " geo-enricher",
                    n,
                    servers,
                    offsets,
                    geoId,
                    config ->
                        new GeoEnricherService(
                            config,
                            new SimpleMeterRegistry(),
                            db,
                            ParseUserAgent.fromConfig(config),
                            Clock.systemUTC()),
                    () -> offsets.caughtUp(geoId, ends));
            if (round > 0) {
              pass.add(p);
              geo.add(g);
            }
          }
        }
      }

      System.out.println();
      System.out.println("GeoBench results (medians of " + rounds + " rounds)");
      Medians p = Medians.of(pass);
      Medians g = Medians.of(geo);
      System.out.printf(
          "  pass-through Streams app  from RUNNING %10s rec/s wall %10s rec/s per CPU-s;"
              + "  from start %10s rec/s wall %10s rec/s per CPU-s  (rounds: %s)%n",
          num(p.steadyWall()), num(p.steadyPerCpu()), num(p.wall()), num(p.perCpu()), p.rounds());
      System.out.printf(
          "  geo-enricher              from RUNNING %10s rec/s wall %10s rec/s per CPU-s;"
              + "  from start %10s rec/s wall %10s rec/s per CPU-s  (rounds: %s)%n",
          num(g.steadyWall()), num(g.steadyPerCpu()), num(g.wall()), num(g.perCpu()), g.rounds());
      double ratio = g.steadyWall() / p.steadyWall();
      System.out.printf(
          "  geo / pass-through from RUNNING = %s wall (%s per CPU-s); from start = %s wall (%s per"
              + " CPU-s); target >= 0.5 (from RUNNING, wall): %s%n",
          ratio(ratio),
          ratio(g.steadyPerCpu() / p.steadyPerCpu()),
          ratio(g.wall() / p.wall()),
          ratio(g.perCpu() / p.perCpu()),
          Bench.verdict(ratio >= 0.5));
    }
  }

  @FunctionalInterface
  interface AppFactory {
    Service create(KindlingConfig config) throws Exception;
  }

  /** Runs one app until {@code done}. */
  static AppTimer.Result run(
      String label,
      int n,
      LocalServers servers,
      Offsets offsets,
      String appId,
      AppFactory factory,
      Offsets.Check done)
      throws Exception {
    KindlingConfig config =
        Bench.config(servers.bootstrapServers(), Map.of("kafka.streams.application.id", appId));
    AppTimer.Result r;
    // the app is built before the clock starts (the geo-enricher's user-agent parser loads its
    // expressions here); its start-up (group join, transactions, stores) is timed
    try (Service app = factory.create(config)) {
      r =
          AppTimer.time(
              label,
              n,
              app,
              servers,
              () -> offsets.committedSum(appId, Topics.VALIDATED.name()),
              done);
    }
    Bench.deleteTree(Path.of(config.getString(CoreConfig.STREAMS_STATE_DIR)));
    return r;
  }

  /**
   * {@code ingest.validated} copied unchanged (key, value, headers) to {@value #PASSTHROUGH_TOPIC}.
   */
  static final class PassThrough implements Service {
    private final KindlingConfig config;
    private final String appId;
    private StreamsRunner runner;

    PassThrough(KindlingConfig config, String appId) {
      this.config = config;
      this.appId = appId;
    }

    static Topology topology() {
      StreamsBuilder b = new StreamsBuilder();
      b.stream(Topics.VALIDATED.name(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
          .to(PASSTHROUGH_TOPIC, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
      return b.build();
    }

    @Override
    public String name() {
      return appId;
    }

    @Override
    public void start() {
      runner =
          new StreamsRunner(
                  appId,
                  topology(),
                  KafkaDefaults.streams(config, appId),
                  new SimpleMeterRegistry())
              .start(config.getDuration(CoreConfig.STREAMS_START_TIMEOUT));
    }

    @Override
    public List<org.kindling.core.ops.HealthCheck> healthChecks() {
      return List.of();
    }

    @Override
    public void close() {
      if (runner != null) {
        runner.close();
      }
    }
  }
}
