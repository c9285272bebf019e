package org.kindling.sink;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.kindling.core.Service;
import org.kindling.core.Topics;
import org.kindling.core.config.KindlingConfig;
import org.kindling.core.kafka.KafkaDefaults;
import org.kindling.core.ops.HealthCheck;
import org.kindling.schemas.ReloadingSchemaStore;
import org.kindling.schemas.SchemaStore;
import org.kindling.sink.parquet.ParquetFiles;
import org.kindling.sink.store.ObjectStore;
import org.kindling.sink.store.ObjectStores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The s3-sink stage: four consumer loops, each in its own consumer group and thread.
 *
 * <ul>
 *   <li>{@code s3-sink-lake}: {@code ingest.enriched} to Parquet in the lake bucket;
 *   <li>{@code s3-sink-errors}: {@code ingest.errors} to Parquet under {@code errors/};
 *   <li>{@code s3-sink-landfill}: {@code ingest.raw} to gzip'd NDJSON in the landfill bucket;
 *   <li>{@code s3-sink-public}: {@code ingest.counts} to the public JSON files.
 * </ul>
 */
public final class S3SinkService implements Service {
  private static final Logger LOG = LoggerFactory.getLogger(S3SinkService.class);

  public static final String GROUP_LAKE = "s3-sink-lake";
  public static final String GROUP_ERRORS = "s3-sink-errors";
  public static final String GROUP_LANDFILL = "s3-sink-landfill";
  public static final String GROUP_PUBLIC = "s3-sink-public";

  private final KindlingConfig config;
  private final MeterRegistry registry;
  private final ObjectStore store;
  private final boolean ownsStore;
  private final SchemaLookup schemas;
  private final ReloadingSchemaStore watched;
  private final SinkHooks hooks;
  private final List<SinkLoop> loops = new ArrayList<>();
  private PublicLoop publicLoop;
  private final List<Thread> threads = new ArrayList<>();
  private Path tmpDir;

  /**
   * What the sink writes with. Null means "as configured": the object store of {@code s3.*} (owned
   * and closed by the sink), the schemas of {@value SinkConfig#SCHEMAS_DIR} (the bundled ones when
   * unset).
   *
   * @param store the object store, closed by the caller; null for the configured one
   * @param schemas where lake tables find their columns; null for the configured schemas
   * @param hooks points inside a flush where tests stop the sink as a crash would
   */
  public record Parts(ObjectStore store, SchemaLookup schemas, SinkHooks hooks) {
    /** Everything as configured. */
    public static final Parts CONFIGURED = new Parts(null, null, SinkHooks.NONE);

    public Parts withStore(ObjectStore s) {
      return new Parts(s, schemas, hooks);
    }

    public Parts withSchemas(SchemaLookup s) {
      return new Parts(store, s, hooks);
    }

    public Parts withHooks(SinkHooks h) {
      return new Parts(store, schemas, h == null ? SinkHooks.NONE : h);
    }
  }

  /** The sink as configured. */
  public S3SinkService(KindlingConfig config, MeterRegistry registry) {
    this(config, registry, Parts.CONFIGURED);
  }

  /** The sink with the given parts (the rest as configured). */
  public S3SinkService(KindlingConfig config, MeterRegistry registry, Parts parts) {
    this.config = config;
    this.registry = registry;
    this.ownsStore = parts.store() == null;
    this.store = ownsStore ? ObjectStores.fromConfig(config) : parts.store();
    if (parts.schemas() != null) {
      this.watched = null;
      this.schemas = parts.schemas();
    } else {
      this.watched =
          ReloadingSchemaStore.load(
              config.getPath(SinkConfig.SCHEMAS_DIR),
              SchemaStore.GleanFallback.parse(config.getString(SinkConfig.SCHEMAS_GLEAN_FALLBACK)),
              name(),
              registry);
      this.schemas = new SchemaStoreLookup(watched);
    }
    this.hooks = parts.hooks() == null ? SinkHooks.NONE : parts.hooks();
  }

  @Override
  public String name() {
    return "s3-sink";
  }

  @Override
  public void start() throws IOException {
    String lake = config.getString(SinkConfig.BUCKET_LAKE);
    String landfill = config.getString(SinkConfig.BUCKET_LANDFILL);
    String pub = config.getString(SinkConfig.BUCKET_PUBLIC);
    if (config.getBoolean(SinkConfig.CREATE_BUCKETS)) {
      for (String b : List.of(lake, landfill, pub)) {
        store.ensureBucket(b);
      }
    }
    ObjectStore.PublicAccess access =
        ObjectStore.PublicAccess.of(config.getString(SinkConfig.PUBLIC_ACCESS));
    // A policy is set up with the buckets; an object ACL is part of every write, whoever made the
    // bucket.
    boolean perObject = access != ObjectStore.PublicAccess.POLICY;
    if (config.getBoolean(SinkConfig.PUBLIC_ENABLED)
        && (perObject || config.getBoolean(SinkConfig.CREATE_BUCKETS))
        && !store.makePublic(pub, access)) {
      LOG.info(
          "bucket {}: not made public by the sink ({} is not supported by this store); make sure"
              + " the server or operator serves it publicly",
          pub,
          SinkConfig.PUBLIC_ACCESS + "=" + config.getString(SinkConfig.PUBLIC_ACCESS));
    }
    String tmp = config.getString(SinkConfig.TMP_DIR).trim();
    Path base = tmp.isEmpty() ? Path.of(System.getProperty("java.io.tmpdir")) : Path.of(tmp);
    Files.createDirectories(base);
    tmpDir = Files.createTempDirectory(base, "kindling-sink-");
    ParquetFiles parquet =
        new ParquetFiles(
            config.getString(SinkConfig.COMPRESSION),
            config.getSize(SinkConfig.ROW_GROUP_SIZE),
            config.getSize(SinkConfig.PAGE_SIZE));
    FileSink.Limits limits =
        new FileSink.Limits(
            config.getLong(SinkConfig.FILE_MAX_RECORDS),
            config.getSize(SinkConfig.FILE_MAX_BYTES),
            config.getDuration(SinkConfig.FILE_MAX_SPAN),
            config.getDuration(SinkConfig.IDLE_FLUSH),
            config.getInt(SinkConfig.MAX_OPEN_FILES),
            config.getSize(SinkConfig.MAX_BUFFERED_BYTES));
    if (config.getBoolean(SinkConfig.LAKE_ENABLED)) {
      LakeFormat format = new LakeFormat(schemas, parquet, registry);
      loops.add(loop(GROUP_LAKE, Topics.ENRICHED.name(), lake, format, limits));
    }
    if (config.getBoolean(SinkConfig.ERRORS_ENABLED)) {
      loops.add(loop(GROUP_ERRORS, Topics.ERRORS.name(), lake, new ErrorsFormat(parquet), limits));
    }
    if (config.getBoolean(SinkConfig.LANDFILL_ENABLED)) {
      loops.add(loop(GROUP_LANDFILL, Topics.RAW.name(), landfill, new LandfillFormat(), limits));
    }
    for (SinkLoop l : loops) {
      threads.add(start(l.name(), l));
    }
    if (config.getBoolean(SinkConfig.PUBLIC_ENABLED)) {
      Properties props = KafkaDefaults.consumer(config, GROUP_PUBLIC, GROUP_PUBLIC);
      int recent = config.getInt(SinkConfig.PUBLIC_RECENT_MINUTES);
      publicLoop =
          new PublicLoop(
              GROUP_PUBLIC,
              Topics.COUNTS.name(),
              props,
              () -> new PublicAggregates(store, pub, recent, Clock.systemUTC()),
              config.getDuration(SinkConfig.PUBLIC_SUMMARY_INTERVAL));
      threads.add(start(GROUP_PUBLIC, publicLoop));
    }
    if (watched != null) {
      LOG.info("s3-sink: lake columns from {}", watched.get().summary());
      watched.start(config.getDuration(SinkConfig.SCHEMAS_CHECK_INTERVAL));
    }
    LOG.info("s3-sink started: {} loops", threads.size());
  }

  private <T> SinkLoop loop(
      String group, String topic, String bucket, FileFormat<T> format, FileSink.Limits limits) {
    Properties props = KafkaDefaults.consumer(config, group, group);
    return new SinkLoop(
        group,
        topic,
        props,
        committer ->
            new FileSink<>(
                topic, bucket, format, store, committer, limits, tmpDir, hooks, registry));
  }

  private static Thread start(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(false);
    t.start();
    return t;
  }

  @Override
  public List<HealthCheck> healthChecks() {
    List<HealthCheck> checks = new ArrayList<>(loops);
    if (publicLoop != null) {
      checks.add(publicLoop);
    }
    return checks;
  }

  /** The schema set the lake's columns come from, or null when the parts gave a lookup. */
  public SchemaStore schemas() {
    return watched == null ? null : watched.get();
  }

  /** Checks the schema folder for a deploy now (tests; the timer does it every interval). */
  public boolean checkSchemas() {
    return watched != null && watched.checkNow();
  }

  /** How many times the document, error and landfill loops started over after a failure. */
  public long restarts() {
    long n = 0;
    for (SinkLoop l : loops) {
      n += l.restarts();
    }
    return n;
  }

  @Override
  public void close() {
    loops.forEach(SinkLoop::stop);
    if (publicLoop != null) {
      publicLoop.stop();
    }
    for (Thread t : threads) {
      try {
        t.join(120_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (ownsStore) {
      store.close();
    }
    if (watched != null) {
      watched.close();
    }
    if (tmpDir != null) {
      try (var files = Files.list(tmpDir)) {
        for (Path p : (Iterable<Path>) files::iterator) {
          Files.deleteIfExists(p);
        }
        Files.deleteIfExists(tmpDir);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    LOG.info("s3-sink stopped");
  }
}
