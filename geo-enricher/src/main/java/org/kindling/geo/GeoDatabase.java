package org.kindling.geo;

import com.maxmind.db.CHMCache;
import com.maxmind.db.Reader.FileMode;
import com.maxmind.geoip2.DatabaseReader;
import com.maxmind.geoip2.exception.GeoIp2Exception;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.kindling.core.config.KindlingConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A GeoIP2/GeoLite2 City database that can be replaced while the app runs.
 *
 * <p>The file is memory-mapped (the OS page cache holds it once for every stream thread) with a
 * concurrent answer cache. {@link #watch(Duration)} checks the file's modification time, size and
 * inode every interval; when they change, the new file is opened and checked (it must be a City
 * database that answers a lookup) and then replaces the current one for every following lookup. The
 * old reader is closed one interval later, after in-flight lookups are done. A file that cannot be
 * opened is logged and retried on the next check, and the old database stays in use.
 *
 * <p>Replace the file atomically (write the new file next to it, then rename it over the old name,
 * as {@code geoipupdate} and {@code mv} do): the old mapping keeps the old inode alive, and a file
 * rewritten in place could be read half-written.
 */
public final class GeoDatabase implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(GeoDatabase.class);

  /** Resource of the GeoLite2 City database inside {@code org.elasticsearch:geolite2-databases}. */
  static final String BUNDLED_RESOURCE = "/GeoLite2-City.mmdb";

  /** Cache folder of the unpacked bundled database; named by the data's release. */
  private static final String BUNDLED_CACHE_DIR = "kindling-geolite2-20191119";

  /** A public address the check of a new file looks up (it need not be in the database). */
  private static final String PROBE_ADDRESS = "8.8.8.8";

  /**
   * The reader answering lookups now and its version, taken together so that an answer is always
   * labelled with the database that gave it.
   *
   * @param reader the reader
   * @param version {@code <database_type>/<build time>}
   */
  public record Snapshot(DatabaseReader reader, String version) {}

  private record Loaded(DatabaseReader reader, String version, Object stamp) {}

  private final Path path;
  private final boolean watchable;
  private final AtomicReference<Loaded> current = new AtomicReference<>();
  private final Deque<DatabaseReader> retired = new ArrayDeque<>();
  private ScheduledExecutorService watcher;

  private GeoDatabase(Path path, boolean watchable) throws IOException {
    this.path = path;
    this.watchable = watchable;
    Object stamp = stamp(path);
    DatabaseReader reader = openChecked(path);
    current.set(new Loaded(reader, version(reader), stamp));
    LOG.info("geo database {} ({})", path, version());
  }

  /** Opens the City database at {@code path} (memory-mapped). */
  public static GeoDatabase open(Path path) throws IOException {
    return new GeoDatabase(path, true);
  }

  /**
   * The database that {@code geo.database} names, or the bundled GeoLite2 City database when the
   * key is empty.
   */
  public static GeoDatabase fromConfig(KindlingConfig config) throws IOException {
    Path path = config.getPath(GeoConfig.DATABASE);
    if (path == null || path.toString().isBlank()) {
      return openBundled();
    }
    return open(path);
  }

  /**
   * The GeoLite2 City database built 2019-11-12, shipped in {@code
   * org.elasticsearch:geolite2-databases}, mapped from the file of {@link #bundledFile()}. GeoLite2
   * data by MaxMind, CC BY-SA 4.0.
   */
  public static GeoDatabase openBundled() throws IOException {
    Path file = bundledFile();
    LOG.warn(
        "geo.database is not set: using the bundled GeoLite2 City database built 2019-11-12"
            + " (GeoLite2 data by MaxMind, CC BY-SA 4.0); answers are years out of date, set"
            + " geo.database to a current GeoIP2 or GeoLite2 City file");
    return new GeoDatabase(file, false);
  }

  /**
   * The bundled GeoLite2 City database as a file, so that it can be memory-mapped: unpacked from
   * the jar once into {@code <java.io.tmpdir>/kindling-geolite2-20191119/} (atomically, so
   * processes starting together never map a half-written file) and reused after that.
   */
  public static synchronized Path bundledFile() throws IOException {
    Path dir = Path.of(System.getProperty("java.io.tmpdir"), BUNDLED_CACHE_DIR);
    Path file = dir.resolve("GeoLite2-City.mmdb");
    if (Files.isRegularFile(file)) {
      return file;
    }
    Files.createDirectories(dir);
    try (InputStream in = GeoDatabase.class.getResourceAsStream(BUNDLED_RESOURCE)) {
      if (in == null) {
        throw new IOException("bundled GeoLite2 City database not on the class path");
      }
      Path tmp = Files.createTempFile(dir, "GeoLite2-City", ".part");
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
    return file;
  }

  /** The reader answering lookups now, with its version. */
  public Snapshot snapshot() {
    Loaded loaded = current.get();
    if (loaded == null) {
      throw new IllegalStateException("geo database closed");
    }
    return new Snapshot(loaded.reader(), loaded.version());
  }

  /** {@code <database_type>/<build time>}, e.g. {@code GeoIP2-City/2026-11-24T00:00:00Z}. */
  public String version() {
    Loaded loaded = current.get();
    return loaded == null ? null : loaded.version();
  }

  /** The mapped file. */
  public Path path() {
    return path;
  }

  /**
   * Loads the file again when its modification time, size or inode changed since it was loaded.
   *
   * @return whether a new database replaced the old one
   */
  public synchronized boolean reloadIfChanged() {
    closeRetired();
    Loaded loaded = current.get();
    if (loaded == null || !watchable) {
      return false;
    }
    Object stamp;
    try {
      stamp = stamp(path);
    } catch (IOException e) {
      LOG.warn("geo database {} cannot be read ({}); keeping {}", path, e, loaded.version());
      return false;
    }
    if (stamp.equals(loaded.stamp())) {
      return false;
    }
    DatabaseReader reader;
    try {
      reader = openChecked(path);
    } catch (IOException | RuntimeException e) {
      LOG.error("geo database {} changed but cannot be used ({}); keeping {}", path, e, version());
      return false;
    }
    Loaded next = new Loaded(reader, version(reader), stamp);
    current.set(next);
    retired.add(loaded.reader());
    LOG.info("geo database {} replaced: {} -> {}", path, loaded.version(), next.version());
    return true;
  }

  /** Checks the file every {@code interval} on a daemon thread (no-op for the bundled file). */
  public synchronized void watch(Duration interval) {
    if (!watchable || watcher != null) {
      return;
    }
    watcher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "geo-database-watch");
              t.setDaemon(true);
              return t;
            });
    long millis = interval.toMillis();
    watcher.scheduleWithFixedDelay(this::checkQuietly, millis, millis, TimeUnit.MILLISECONDS);
  }

  private void checkQuietly() {
    try {
      reloadIfChanged();
    } catch (RuntimeException e) {
      LOG.error("geo database check failed", e);
    }
  }

  @Override
  public void close() {
    ScheduledExecutorService w;
    synchronized (this) {
      w = watcher;
      watcher = null;
    }
    if (w != null) {
      w.shutdownNow();
    }
    synchronized (this) {
      Loaded loaded = current.getAndSet(null);
      if (loaded != null) {
        retired.add(loaded.reader());
      }
      closeRetired();
    }
  }

  private void closeRetired() {
    while (!retired.isEmpty()) {
      try {
        retired.poll().close();
      } catch (IOException e) {
        LOG.warn("closing a replaced geo database failed", e);
      }
    }
  }

  private static DatabaseReader openChecked(Path path) throws IOException {
    DatabaseReader reader =
        new DatabaseReader.Builder(path.toFile())
            .fileMode(FileMode.MEMORY_MAPPED)
            .withCache(new CHMCache())
            .build();
    try {
      String type = reader.getMetadata().getDatabaseType();
      if (type == null || !(type.contains("City") || type.contains("Enterprise"))) {
        throw new IOException(path + " is a " + type + " database, not a City database");
      }
      reader.tryCity(InetAddress.getByName(PROBE_ADDRESS));
      return reader;
    } catch (IOException | RuntimeException | GeoIp2Exception e) {
      reader.close();
      throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
    }
  }

  private static String version(DatabaseReader reader) {
    Instant built = reader.getMetadata().getBuildDate().toInstant().truncatedTo(ChronoUnit.SECONDS);
    return reader.getMetadata().getDatabaseType() + "/" + built;
  }

  private static Object stamp(Path path) throws IOException {
    BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
    return List.of(a.lastModifiedTime().toMillis(), a.size(), Objects.toString(a.fileKey()));
  }
}
