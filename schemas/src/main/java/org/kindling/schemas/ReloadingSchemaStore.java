package org.kindling.schemas;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.kindling.core.ops.VersionInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schema set a stage uses, replaced while it runs when its folder changes (schema authors
 * deploy several times a day; no restart is needed).
 *
 * <p>Every check interval the folder's fingerprint ({@link SchemaSource#fingerprint}: one {@code
 * stat} per schema file, and the checkout's {@code HEAD}) is compared with the one the current set
 * was loaded from. When it changed, a new set is loaded completely and checked ({@link Check}: the
 * validator compiles the new versions of the doctypes it has been using); only then does it replace
 * the current set, in one reference swap, so every record sees either the old set or the new one. A
 * set that cannot be loaded or fails its check is refused with one log line, the current set stays,
 * and that same folder state is not tried again (the next change is). A folder that changes while
 * it is being read is read again at the next check.
 *
 * <p>Metrics (tag {@code stage}): {@code schema_set_in_use{stage,id,source}} = 1 for the set in use
 * (its identity, which {@code /__version__} shows too), {@code schema_set_schemas}, {@code
 * schema_set_loaded_timestamp_seconds}, and {@code
 * schema_set_reloads_total{result=loaded|refused}}.
 */
public final class ReloadingSchemaStore implements Supplier<SchemaStore>, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReloadingSchemaStore.class);

  /** The info meter: one per stage, tags {@code id} and {@code source} name the set in use. */
  public static final String INFO_METER = VersionInfo.SCHEMA_SET_INFO;

  public static final String SIZE_METER = VersionInfo.SCHEMA_SET_SIZE;
  public static final String LOADED_METER = VersionInfo.SCHEMA_SET_LOADED;
  public static final String RELOADS_METER = "schema_set_reloads";

  /** A check of a new set before it replaces the current one; throws to refuse it. */
  @FunctionalInterface
  public interface Check {
    void accept(SchemaStore candidate, SchemaStore current) throws Exception;
  }

  private final Path dir;
  private final SchemaStore.GleanFallback fallback;
  private final String stage;
  private final MeterRegistry registry;
  private final AtomicReference<SchemaStore> current = new AtomicReference<>();
  private final List<Check> checks = new CopyOnWriteArrayList<>();
  private final List<Consumer<SchemaStore>> listeners = new CopyOnWriteArrayList<>();
  private volatile String loadedFingerprint;
  private volatile String refusedFingerprint;
  private Gauge info;
  private final List<Gauge> gauges = new CopyOnWriteArrayList<>();
  private ScheduledExecutorService timer;

  private ReloadingSchemaStore(
      Path dir,
      SchemaStore.GleanFallback fallback,
      String stage,
      MeterRegistry registry,
      SchemaStore initial,
      String fingerprint) {
    this.dir = dir;
    this.fallback = fallback;
    this.stage = stage;
    this.registry = registry;
    this.loadedFingerprint = fingerprint;
    current.set(initial);
    if (registry != null) {
      gauges.add(
          Gauge.builder(SIZE_METER, current, c -> c.get().size())
              .tag("stage", stage)
              .description("schemas in the set in use")
              .register(registry));
      gauges.add(
          Gauge.builder(LOADED_METER, current, c -> c.get().loadedAt().toEpochMilli() / 1000.0)
              .tag("stage", stage)
              .description("when the set in use was loaded")
              .register(registry));
      registerInfo(initial);
    }
  }

  /**
   * The set of a stage: {@code dir} (watched for changes once {@link #start} is called), or the
   * bundled set when {@code dir} is null (never changes).
   *
   * @param stage the stage's name, the {@code stage} tag of the metrics
   * @param registry where the metrics go, or null
   * @throws SchemaSetException when the folder cannot be used at all
   */
  public static ReloadingSchemaStore load(
      Path dir, SchemaStore.GleanFallback fallback, String stage, MeterRegistry registry) {
    if (dir == null) {
      return new ReloadingSchemaStore(
          null, fallback, stage, registry, SchemaStore.load(null, fallback), null);
    }
    String fingerprint = fingerprintOrNull(dir);
    SchemaStore s = SchemaStore.load(dir, fallback);
    return new ReloadingSchemaStore(dir, fallback, stage, registry, s, fingerprint);
  }

  /** A set that never changes (tests, tools). */
  public static ReloadingSchemaStore fixed(SchemaStore set, String stage, MeterRegistry registry) {
    return new ReloadingSchemaStore(
        null, SchemaStore.GleanFallback.AUTO, stage, registry, set, null);
  }

  /** Adds a check every new set must pass before it is used. */
  public ReloadingSchemaStore withCheck(Check check) {
    checks.add(check);
    return this;
  }

  /** Adds a listener called with each new set after it replaced the old one. */
  public ReloadingSchemaStore onReload(Consumer<SchemaStore> listener) {
    listeners.add(listener);
    return this;
  }

  /** The set in use. */
  @Override
  public SchemaStore get() {
    return current.get();
  }

  /** Whether this store watches a folder. */
  public boolean watches() {
    return dir != null;
  }

  /** Checks the folder every {@code interval} on a daemon thread, until {@link #close()}. */
  public synchronized ReloadingSchemaStore start(Duration interval) {
    if (dir == null || timer != null) {
      return this;
    }
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "schemas-" + stage);
              t.setDaemon(true);
              return t;
            });
    long ms = Math.max(1, interval.toMillis());
    timer.scheduleWithFixedDelay(this::checkQuietly, ms, ms, TimeUnit.MILLISECONDS);
    return this;
  }

  private void checkQuietly() {
    try {
      checkNow();
    } catch (RuntimeException e) {
      LOG.error("{}: schema check failed: {}", stage, e.toString());
    }
  }

  /**
   * Checks the folder once, now; returns whether a new set replaced the current one. Safe to call
   * while the timer runs (calls are serialized).
   */
  public synchronized boolean checkNow() {
    if (dir == null) {
      return false;
    }
    String before = fingerprintOrNull(dir);
    if (before == null || before.equals(loadedFingerprint) || before.equals(refusedFingerprint)) {
      return false;
    }
    SchemaStore old = current.get();
    SchemaStore candidate;
    try {
      candidate = SchemaStore.load(dir, fallback);
      String after = fingerprintOrNull(dir);
      if (!before.equals(after)) {
        LOG.info("{}: schemas in {} changed while being read; reading again later", stage, dir);
        return false;
      }
      for (Check c : checks) {
        c.accept(candidate, old);
      }
    } catch (Exception e) {
      refusedFingerprint = before;
      count("refused");
      LOG.error(
          "{}: new schemas in {} refused, keeping {} ({} schemas): {}",
          stage,
          dir,
          old.id(),
          old.size(),
          oneLine(e));
      return false;
    }
    if (candidate.contentHash().equals(old.contentHash()) && candidate.id().equals(old.id())) {
      loadedFingerprint = before; // touched, not changed
      return false;
    }
    if (registry != null) {
      registerInfo(candidate);
    }
    count("loaded");
    current.set(candidate);
    loadedFingerprint = before;
    refusedFingerprint = null;
    LOG.info("{}: schemas replaced, {} -> {}", stage, old.id(), candidate.summary());
    for (Consumer<SchemaStore> l : listeners) {
      l.accept(candidate);
    }
    return true;
  }

  private static String oneLine(Exception e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    return m.replace('\n', ' ');
  }

  private static String fingerprintOrNull(Path dir) {
    try {
      return SchemaSource.fingerprint(dir);
    } catch (IOException | SchemaSetException e) {
      return null;
    }
  }

  private void count(String result) {
    if (registry != null) {
      Counter.builder(RELOADS_METER)
          .tag("stage", stage)
          .tag("result", result)
          .description("schema sets loaded or refused after a change of the folder")
          .register(registry)
          .increment();
    }
  }

  private synchronized void registerInfo(SchemaStore set) {
    if (info != null) {
      registry.remove(info);
    }
    info =
        Gauge.builder(INFO_METER, () -> 1)
            .tag("stage", stage)
            .tag("id", set.id())
            .tag("source", set.source())
            .description("the schema set in use (always 1; the tags name it)")
            .register(registry);
  }

  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
    if (registry != null) {
      // a stage started again in the same JVM registers its own meters
      if (info != null) {
        registry.remove(info);
        info = null;
      }
      gauges.forEach(registry::remove);
      gauges.clear();
    }
  }
}
