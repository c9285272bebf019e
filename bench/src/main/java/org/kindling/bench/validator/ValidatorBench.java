package org.kindling.bench.validator;

import static org.kindling.bench.common.Bench.num;
import static org.kindling.bench.common.Bench.num1;
import static org.kindling.bench.common.Bench.ratio;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.kindling.bench.common.AppTimer;
import org.kindling.bench.common.Bench;
import org.kindling.bench.common.Corpus;
import org.kindling.bench.common.LocalServers;
import org.kindling.bench.common.Medians;
import org.kindling.bench.common.Offsets;
import org.kindling.core.Json;
import org.kindling.core.Topics;
import org.kindling.core.config.CoreConfig;
import org.kindling.core.config.KindlingConfig;
import org.kindling.core.kafka.KafkaDefaults;
import org.kindling.core.kafka.TopicAdmin;
import org.kindling.schemas.SchemaStore;
import org.kindling.validator.DecompressPayload;
import org.kindling.validator.RejectedSubmission;
import org.kindling.validator.Submission;
import org.kindling.validator.ValidationSteps;
import org.kindling.validator.ValidatorMetrics;
import org.kindling.validator.ValidatorService;

/**
 * The validator's cost, in three layers measured in one run:
 *
 * <ol>
 *   <li>(a) Jackson {@code readTree} alone on the decoded bodies: the floor of any JSON stage;
 *   <li>(b) the validator's per-record work in-process ({@link ValidationSteps}: URI, gunzip,
 *       parse, schema validation) on the raw bodies;
 *   <li>(c) the validator Streams app ({@link ValidatorService}, exactly-once) end to end on a
 *       local broker: N raw records pre-loaded into {@code ingest.raw}, timed from the start of the
 *       app until the app has committed the end of {@code ingest.raw} (with exactly-once, its
 *       outputs on {@code ingest.validated} and {@code ingest.errors} are committed in the same
 *       transactions).
 * </ol>
 *
 * Targets: (b) at least 0.25 of (a) per CPU-second; (c) at least 7,500 records/s per CPU-second of
 * the app's process. The broker runs in a child JVM, so the process CPU time is the app's.
 *
 * <p>System properties: {@code bench.records} (200000), {@code bench.rounds} (3, after one warm-up
 * round), {@code bench.seconds} (seconds per in-process iteration, 2).
 */
public final class ValidatorBench {
  private static volatile long sink;

  private ValidatorBench() {}

  public static void main(String[] args) throws Exception {
    Bench.quietLogs();
    int n = Bench.intProperty("bench.records", 200_000);
    int rounds = Math.max(1, Bench.intProperty("bench.rounds", 3));
    int seconds = Bench.intProperty("bench.seconds", 2);
    System.out.println("ValidatorBench: " + Bench.machine());

    List<Corpus.Rec> raw = Corpus.raw(n, 42);
    SchemaStore schemas = SchemaStore.bundled();
    KindlingConfig defaults = Bench.config("localhost:9", Map.of());
    ValidationSteps steps = ValidationSteps.of(defaults, schemas);
    DecompressPayload gunzip = new DecompressPayload(64L << 20);
    List<byte[]> decoded = new ArrayList<>();
    for (Corpus.Rec r : raw.subList(0, Math.min(n, 50_000))) {
      decoded.add(gunzip.decode(r.value()));
    }
    List<Corpus.Rec> sample = raw.subList(0, decoded.size());
    long rawBytes = Corpus.valueBytes(raw);
    long decodedBytes = decoded.stream().mapToLong(b -> b.length).sum() * n / decoded.size();
    System.out.printf(
        "corpus: %s records, %s gzip, %s bytes raw (avg %s), ~%s bytes decoded (avg %s)%n",
        num(n),
        num(Corpus.gzipCount(raw)),
        num(rawBytes),
        num((double) rawBytes / n),
        num(decodedBytes),
        num((double) decodedBytes / n));

    // (a) and (b): one thread, warm-up then measured iterations; rates per CPU-second of the
    // process (the thread plus its garbage collection; robust on a shared machine) and per wall
    // second
    Pass passA =
        (() -> {
          long x = 0;
          for (byte[] b : decoded) {
            JsonNode node = Json.mapper().readTree(b);
            x += node.size();
          }
          sink += x;
          return decoded.size();
        });
    Pass passB =
        (() -> {
          long x = 0;
          for (Corpus.Rec r : sample) {
            try {
              Submission s = steps.apply(r.value(), r.attributes());
              x += s.document().size();
            } catch (RejectedSubmission e) {
              throw new IllegalStateException(e);
            }
          }
          sink += x;
          return sample.size();
        });

    Rate[] ab = measure(seconds, passA, passB);
    Rate a = ab[0];
    Rate b = ab[1];
    System.out.printf(
        "a) Jackson readTree: %s rec/s per CPU-s, %s rec/s wall%n", num(a.perCpu()), num(a.wall()));
    System.out.printf(
        "b) ValidationSteps (uri+gunzip+parse+validate): %s rec/s per CPU-s, %s rec/s wall%n",
        num(b.perCpu()), num(b.wall()));

    // (c) the Streams app on a local broker
    List<AppTimer.Result> results = new ArrayList<>();
    try (LocalServers servers = LocalServers.start(false)) {
      KindlingConfig base = Bench.config(servers.bootstrapServers(), Map.of());
      new TopicAdmin(base).ensureTopics();
      long t0 = System.nanoTime();
      Corpus.load(base, Topics.RAW.name(), raw);
      System.out.printf(
          "c) loaded %s records into %s (%d partitions) in %.1f s%n",
          num(n),
          Topics.RAW.name(),
          base.getInt(CoreConfig.TOPICS_PARTITIONS),
          (System.nanoTime() - t0) / 1e9);
      try (Admin admin = Admin.create(KafkaDefaults.admin(base))) {
        Offsets offsets = new Offsets(admin);
        var ends = offsets.ends(Topics.RAW.name());
        for (int round = 0; round <= rounds; round++) {
          String appId = "validator-bench-" + round;
          KindlingConfig config =
              Bench.config(
                  servers.bootstrapServers(), Map.of("kafka.streams.application.id", appId));
          SimpleMeterRegistry registry = new SimpleMeterRegistry();
          String label = "c) " + (round == 0 ? "warm-up" : "round " + round);
          try (ValidatorService app = new ValidatorService(config, registry, schemas)) {
            AppTimer.Result r =
                AppTimer.time(
                    label,
                    n,
                    app,
                    servers,
                    () -> offsets.committedSum(appId, Topics.RAW.name()),
                    () -> offsets.caughtUp(appId, ends));
            // every input record was counted once: validated, duplicate or one error type
            double out = count(registry);
            if ((long) out != n) {
              throw new IllegalStateException("expected " + n + " outputs, counted " + out);
            }
            if (round > 0) {
              results.add(r);
            }
          }
          Bench.deleteTree(Path.of(config.getString(CoreConfig.STREAMS_STATE_DIR)));
        }
      }
    }

    Medians c = Medians.of(results);
    System.out.println();
    System.out.println("ValidatorBench results (medians)");
    System.out.printf(
        "  a) Jackson readTree              %10s rec/s per CPU-s %10s rec/s wall (%s MB/s of"
            + " decoded JSON per CPU-s)%n",
        num(a.perCpu()), num(a.wall()), num1(a.perCpu() * decodedBytes / n / 1e6));
    System.out.printf(
        "  b) ValidationSteps in-process    %10s rec/s per CPU-s %10s rec/s wall%n",
        num(b.perCpu()), num(b.wall()));
    System.out.printf(
        "  c) ValidatorService on a broker  %10s rec/s per CPU-s %10s rec/s wall from RUNNING"
            + " (rounds: %s); from start %s rec/s per CPU-s, %s rec/s wall%n",
        num(c.steadyPerCpu()), num(c.steadyWall()), c.rounds(), num(c.perCpu()), num(c.wall()));
    double ba = b.perCpu() / a.perCpu();
    System.out.printf(
        "  b/a = %s per CPU-s (wall %s), target >= 0.25: %s%n",
        ratio(ba), ratio(b.wall() / a.wall()), Bench.verdict(ba >= 0.25));
    System.out.printf(
        "  c/b = %s, c/a = %s (per CPU-s, from RUNNING)%n",
        ratio(c.steadyPerCpu() / b.perCpu()), ratio(c.steadyPerCpu() / a.perCpu()));
    System.out.printf(
        "  c = %s rec/s per core of the app from RUNNING (%s from start), target >= 7,500: %s%n",
        num(c.steadyPerCpu()), num(c.perCpu()), Bench.verdict(c.steadyPerCpu() >= 7_500));
  }

  private static double count(SimpleMeterRegistry registry) {
    double n = 0;
    for (var m : registry.getMeters()) {
      String name = m.getId().getName();
      if (m instanceof Counter c
          && (name.equals(ValidatorMetrics.VALIDATED)
              || name.equals(ValidatorMetrics.DUPLICATE)
              || name.startsWith(ValidatorMetrics.ERROR_PREFIX))) {
        n += c.count();
      }
    }
    return n;
  }

  /** Records per CPU-second of the measuring thread and per wall second. */
  record Rate(double perCpu, double wall) {}

  /** One pass over the sample; returns the number of records. */
  @FunctionalInterface
  interface Pass {
    int run() throws Exception;
  }

  /**
   * Warms both passes up (long enough for C2 to compile their hot paths), then measures them in
   * alternation, so that a change in the machine's load hits both alike; medians of 5 iterations.
   */
  static Rate[] measure(int seconds, Pass... passes) throws Exception {
    for (Pass p : passes) {
      long warmEnd = System.nanoTime() + Math.max(8, seconds * 4) * 1_000_000_000L;
      while (System.nanoTime() < warmEnd) {
        p.run();
      }
    }
    List<List<Double>> cpu = new ArrayList<>();
    List<List<Double>> wall = new ArrayList<>();
    for (int k = 0; k < passes.length; k++) {
      cpu.add(new ArrayList<>());
      wall.add(new ArrayList<>());
    }
    for (int i = 0; i < 5; i++) {
      for (int k = 0; k < passes.length; k++) {
        long records = 0;
        long t0 = System.nanoTime();
        long c0 = Bench.processCpuNanos();
        long stop = t0 + seconds * 1_000_000_000L;
        do {
          records += passes[k].run();
        } while (System.nanoTime() < stop);
        long c = Bench.processCpuNanos() - c0;
        long t = System.nanoTime() - t0;
        cpu.get(k).add(records / (c / 1e9));
        wall.get(k).add(records / (t / 1e9));
      }
    }
    Rate[] out = new Rate[passes.length];
    for (int k = 0; k < passes.length; k++) {
      out[k] = new Rate(Bench.median(cpu.get(k)), Bench.median(wall.get(k)));
      System.out.printf("pass %d iterations, rec/s per CPU-s: %s%n", k + 1, Bench.list(cpu.get(k)));
    }
    return out;
  }
}
