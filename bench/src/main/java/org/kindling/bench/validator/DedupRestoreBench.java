package org.kindling.bench.validator;

import static org.kindling.bench.common.Bench.num;
import static org.kindling.bench.common.Bench.num1;
import static org.kindling.bench.common.Bench.ratio;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.kindling.bench.common.Bench;
import org.kindling.bench.common.Corpus;
import org.kindling.bench.common.LocalServers;
import org.kindling.bench.common.Offsets;
import org.kindling.core.Topics;
import org.kindling.core.config.CoreConfig;
import org.kindling.core.config.KindlingConfig;
import org.kindling.core.kafka.KafkaDefaults;
import org.kindling.core.kafka.StreamsRunner;
import org.kindling.core.kafka.TopicAdmin;
import org.kindling.schemas.SchemaStore;
import org.kindling.validator.ValidatorTopology;

/**
 * How long the validator takes to restore its dedup store from the changelog when its state
 * directory is empty (a new machine, a lost disk, a task moved to an instance without a standby),
 * per million document ids, against a start on the same state directory (the baseline: the store is
 * there, nothing to restore), both in one run.
 *
 * <p>The validator first processes N records (default 1,000,000) of the benchmark corpus, so the
 * changelog holds one entry per valid document; then, for each round, it is started once on its
 * state directory (warm) and once on an empty one (cold). A restore listener times the restore
 * (first batch to last) and counts the restored entries; the start is timed to RUNNING. CPU time is
 * this process's (the broker runs in a child JVM).
 *
 * <p>System properties: {@code bench.records} (1000000), {@code bench.rounds} (2).
 */
public final class DedupRestoreBench {
  private static final String APP = "validator-restore-bench";
  private static final String STORE_CHANGELOG = APP + "-dedup-store-changelog";

  private DedupRestoreBench() {}

  /** One start: to RUNNING, and the restore inside it. */
  record Start(double toRunningSeconds, double restoreSeconds, long restored, double cpuSeconds) {}

  public static void main(String[] args) throws Exception {
    Bench.quietLogs();
    int n = Bench.intProperty("bench.records", 1_000_000);
    int rounds = Math.max(1, Bench.intProperty("bench.rounds", 2));
    System.out.println("DedupRestoreBench: " + Bench.machine());
    SchemaStore schemas = SchemaStore.bundled();
    try (LocalServers servers = LocalServers.start(false)) {
      KindlingConfig config =
          Bench.config(
              servers.bootstrapServers(),
              Map.of("kafka.streams.application.id", APP, CoreConfig.STREAMS_START_TIMEOUT, "30m"));
      Path state = Path.of(config.getString(CoreConfig.STREAMS_STATE_DIR));
      new TopicAdmin(config).ensureTopics();
      long t0 = System.nanoTime();
      int chunk = 200_000;
      for (int done = 0, seed = 1; done < n; done += chunk, seed++) {
        Corpus.load(config, Topics.RAW.name(), Corpus.raw(Math.min(chunk, n - done), seed));
      }
      System.out.printf(
          "loaded %s records into %s in %.1f s%n",
          num(n), Topics.RAW.name(), (System.nanoTime() - t0) / 1e9);

      try (Admin admin = Admin.create(KafkaDefaults.admin(config))) {
        Offsets offsets = new Offsets(admin);
        var ends = offsets.ends(Topics.RAW.name());
        long f0 = System.nanoTime();
        try (StreamsRunner app = runner(config, schemas, null)) {
          app.start(Duration.ofMinutes(30));
          Offsets.await(
              Duration.ofMinutes(60),
              Duration.ofMillis(200),
              () -> offsets.caughtUp(APP, ends),
              "validator caught up");
        }
        long ids = offsets.total(STORE_CHANGELOG);
        System.out.printf(
            "filled the dedup store: %s records processed in %.1f s; changelog %s holds %s"
                + " entries%n",
            num(n), (System.nanoTime() - f0) / 1e9, STORE_CHANGELOG, num(ids));

        List<Start> warm = new ArrayList<>();
        List<Start> cold = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
          Start w = start(config, schemas);
          print("round " + round + " warm (state kept)", w);
          warm.add(w);
          Bench.deleteTree(state);
          Start c = start(config, schemas);
          print("round " + round + " cold (state deleted)", c);
          cold.add(c);
        }
        double warmRun = Bench.median(warm.stream().map(Start::toRunningSeconds).toList());
        double coldRun = Bench.median(cold.stream().map(Start::toRunningSeconds).toList());
        double restore = Bench.median(cold.stream().map(Start::restoreSeconds).toList());
        double cpu = Bench.median(cold.stream().map(Start::cpuSeconds).toList());
        double warmCpu = Bench.median(warm.stream().map(Start::cpuSeconds).toList());
        long restored = cold.get(cold.size() - 1).restored();
        System.out.println();
        System.out.println("DedupRestoreBench results (medians of " + rounds + " rounds)");
        System.out.printf(
            "  warm start (baseline)  %6.1f s to RUNNING, app CPU %5.1f s%n", warmRun, warmCpu);
        System.out.printf(
            "  cold start             %6.1f s to RUNNING, app CPU %5.1f s; restore %5.1f s of"
                + " %s entries%n",
            coldRun, cpu, restore, num(restored));
        System.out.printf(
            "  restore per million ids: %s s wall, %s s app CPU (%s entries/s); cold/warm to"
                + " RUNNING = %s%n",
            num1(restore * 1e6 / restored),
            num1((cpu - warmCpu) * 1e6 / restored),
            num(restored / restore),
            ratio(coldRun / warmRun));
      }
    }
  }

  private static StreamsRunner runner(
      KindlingConfig config, SchemaStore schemas, StateRestoreListener listener) {
    StreamsRunner r =
        new StreamsRunner(
            APP,
            ValidatorTopology.build(config, schemas, new SimpleMeterRegistry()),
            KafkaDefaults.streams(config, APP),
            null);
    if (listener != null) {
      r.streams().setGlobalStateRestoreListener(listener);
    }
    return r;
  }

  private static Start start(KindlingConfig config, SchemaStore schemas) {
    AtomicLong first = new AtomicLong();
    AtomicLong last = new AtomicLong();
    AtomicLong restored = new AtomicLong();
    StateRestoreListener listener =
        new StateRestoreListener() {
          @Override
          public void onRestoreStart(
              TopicPartition tp, String store, long startingOffset, long endingOffset) {
            first.compareAndSet(0, System.nanoTime());
          }

          @Override
          public void onBatchRestored(
              TopicPartition tp, String store, long batchEndOffset, long numRestored) {
            restored.addAndGet(numRestored);
            last.set(System.nanoTime());
          }

          @Override
          public void onRestoreEnd(TopicPartition tp, String store, long totalRestored) {
            last.set(System.nanoTime());
          }
        };
    long c0 = Bench.processCpuNanos();
    long s0 = System.nanoTime();
    try (StreamsRunner app = runner(config, schemas, listener)) {
      app.start(Duration.ofMinutes(30));
      long running = System.nanoTime();
      // with the state updater, RUNNING may come before the last restore ends: wait until no
      // entry has been restored for 3 s
      long deadline = running + Duration.ofMinutes(30).toNanos();
      while (System.nanoTime() < deadline
          && System.nanoTime() - Math.max(running, last.get()) < 3_000_000_000L) {
        Bench.sleep(Duration.ofMillis(100));
      }
      // app CPU includes the 3 s of quiet, in the warm and in the cold start alike
      double cpu = (Bench.processCpuNanos() - c0) / 1e9;
      long ready = Math.max(running, last.get());
      double restoreSecs = first.get() == 0 ? 0 : (last.get() - first.get()) / 1e9;
      return new Start((ready - s0) / 1e9, restoreSecs, restored.get(), cpu);
    }
  }

  private static void print(String label, Start s) {
    System.out.printf(
        "%s: %.1f s until RUNNING and restored, restore %.1f s of %s entries, app CPU %.1f s%n",
        label, s.toRunningSeconds(), s.restoreSeconds(), num(s.restored()), s.cpuSeconds());
  }
}
