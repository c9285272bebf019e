package org.kindling.core.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.kindling.core.ops.HealthCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one Kafka Streams app: starts it, waits for RUNNING with a timeout, binds its metrics, and
 * closes it on {@link #close()} or JVM shutdown. An unexpected exception replaces the stream thread
 * (the failing record's transaction is aborted and retried), so a transient fault does not stop the
 * app; an {@link Error}, or failures that keep coming back, stop it with a clear message instead.
 *
 * <p>Two expected conditions get one line each instead of Kafka's pages: a start after an unclean
 * stop (see {@link #runningMarker}), and start-up waits until the app's internal topics (changelog
 * and repartition topics, which Streams creates during its first rebalance) have ready leaders, as
 * {@link TopicAdmin} does for the ingest topics: a transactional producer's first batch to a
 * partition that is not ready yet fails and its next batches are then rejected as out of order
 * (KAFKA-15591).
 */
public final class StreamsRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StreamsRunner.class);

  private final String name;
  private final Properties props;
  private final KafkaStreams streams;
  private final KafkaStreamsMetrics metrics;
  private final Thread shutdownHook;
  private final AtomicReference<Throwable> lastError = new AtomicReference<>();
  private final java.util.ArrayDeque<Long> failureTimes = new java.util.ArrayDeque<>();
  private volatile String stopped;

  /** Thread failures within {@link #FAILURE_WINDOW_NANOS} beyond which the app stops. */
  static final int MAX_FAILURES_IN_WINDOW = 5;

  private static final long FAILURE_WINDOW_NANOS = Duration.ofMinutes(1).toNanos();

  /**
   * @param name the app's name for logs (its application.id)
   * @param topology the topology, built by the app's pure {@code build} function
   * @param props Streams settings (see {@link KafkaDefaults#streams})
   * @param registry where the Streams metrics are bound, or null
   */
  public StreamsRunner(String name, Topology topology, Properties props, MeterRegistry registry) {
    this.name = name;
    this.props = props;
    this.streams = new KafkaStreams(topology, props);
    this.streams.setUncaughtExceptionHandler(this::onUncaught);
    this.streams.setStateListener(
        (now, before) -> LOG.info("{}: state {} -> {}", name, before, now));
    this.metrics = registry == null ? null : new KafkaStreamsMetrics(streams);
    if (metrics != null) {
      metrics.bindTo(registry);
    }
    this.shutdownHook = new Thread(this::closeQuietly, name + "-shutdown");
  }

  /**
   * A failed stream thread is replaced (its transaction aborted, the records retried), unless the
   * failure is an {@link Error} or keeps coming back: a deterministic failure would fail every new
   * thread the same way, for ever. Then the app stops with one clear line, and its health check
   * says why.
   */
  private StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse onUncaught(Throwable e) {
    lastError.set(e);
    long now = System.nanoTime();
    synchronized (failureTimes) {
      failureTimes.addLast(now);
      while (!failureTimes.isEmpty() && now - failureTimes.peekFirst() > FAILURE_WINDOW_NANOS) {
        failureTimes.pollFirst();
      }
    }
    Throwable error = errorIn(e);
    if (error != null || failureTimes.size() > MAX_FAILURES_IN_WINDOW) {
      String why =
          error != null
              ? error.getClass().getName() + ": " + error.getMessage()
              : failureTimes.size() + " stream thread failures within a minute, last: " + e;
      stopped = why;
      LOG.error(
          "{}: stopping the app: {}; a new thread would fail the same way. Fix the cause and"
              + " start it again.",
          name,
          why,
          e);
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
    LOG.error("{}: stream thread failed, replacing it", name, e);
    return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
  }

  private static Throwable errorIn(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof Error) {
        return t;
      }
    }
    return null;
  }

  /** Why the app stopped itself, or null. */
  public String stoppedBecause() {
    return stopped;
  }

  /** Starts the app and blocks until it is RUNNING; fails after {@code timeout}. */
  public StreamsRunner start(Duration timeout) {
    CountDownLatch running = new CountDownLatch(1);
    streams.setStateListener(
        (now, before) -> {
          LOG.info("{}: state {} -> {}", name, before, now);
          if (now == KafkaStreams.State.RUNNING) {
            running.countDown();
          }
        });
    Path marker = runningMarker(props);
    if (Files.exists(marker)) {
      LOG.warn(
          "{}: the previous run did not stop cleanly; Streams checks the local state against the"
              + " changelog topics and rebuilds what was not committed (expected after a crash:"
              + " nothing is lost; start-up may first wait up to {} s for the previous run's"
              + " group membership to expire)",
          name,
          sessionTimeout(props).toSeconds());
    }
    try {
      Files.createDirectories(marker.getParent());
      Files.writeString(marker, "running since " + java.time.Instant.now() + "\n");
    } catch (IOException e) {
      LOG.debug("{}: cannot write {}", name, marker, e);
    }
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    long deadline = System.nanoTime() + timeout.toNanos();
    streams.start();
    try {
      if (!running.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(
            name + " did not reach RUNNING within " + timeout + " (state " + streams.state() + ")");
      }
      awaitInternalTopics(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(name + ": interrupted while starting", e);
    }
    return this;
  }

  /** Waits until every partition of the app's internal topics has a leader that answers. */
  private void awaitInternalTopics(Duration timeout) throws InterruptedException {
    Properties admin = new Properties();
    admin.put(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        props.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG));
    for (String k : props.stringPropertyNames()) {
      if (k.startsWith(StreamsConfig.ADMIN_CLIENT_PREFIX)) {
        admin.put(k.substring(StreamsConfig.ADMIN_CLIENT_PREFIX.length()), props.getProperty(k));
      }
    }
    String prefix = applicationId(props) + "-";
    try (Admin a = Admin.create(admin)) {
      List<String> internal =
          a.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS).stream()
              .filter(t -> t.startsWith(prefix))
              .filter(t -> t.endsWith("-changelog") || t.endsWith("-repartition"))
              .sorted()
              .toList();
      if (!internal.isEmpty()) {
        TopicAdmin.awaitReady(a, internal, timeout);
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          name
              + ": its internal topics are not ready: "
              + (e.getCause() == null ? e : e.getCause()),
          e);
    }
  }

  /**
   * The file that says the app is running: written at the start, removed after a clean close. Found
   * at a start, it tells that the previous run died (a crash, kill -9, power loss), so Streams is
   * about to log its recovery of the tasks' state at length (TaskCorruptedException per task);
   * Kindling says it once, in one line. It sits next to Streams' own folder of the app, not in it.
   */
  static Path runningMarker(Properties props) {
    return stateDir(props).resolve(applicationId(props) + ".running");
  }

  private static Path stateDir(Properties props) {
    Object dir = props.get(StreamsConfig.STATE_DIR_CONFIG);
    return Path.of(dir == null ? System.getProperty("java.io.tmpdir") : dir.toString());
  }

  private static String applicationId(Properties props) {
    return String.valueOf(props.get(StreamsConfig.APPLICATION_ID_CONFIG));
  }

  private static Duration sessionTimeout(Properties props) {
    for (String k :
        List.of(
            StreamsConfig.mainConsumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG),
            StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG),
            ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG)) {
      Object v = props.get(k);
      if (v != null) {
        return Duration.ofMillis(Long.parseLong(v.toString()));
      }
    }
    return Duration.ofSeconds(45); // the consumer's default session.timeout.ms
  }

  /**
   * The heartbeat check of the app that {@code runner} returns (null before it starts): healthy
   * while it is processing.
   */
  public static HealthCheck healthCheck(String name, Supplier<StreamsRunner> runner) {
    return new HealthCheck() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Result check() {
        StreamsRunner r = runner.get();
        if (r == null) {
          return Result.failed("not started");
        }
        if (r.stoppedBecause() != null) {
          return Result.failed("stopped: " + r.stoppedBecause());
        }
        return r.isRunning()
            ? Result.ok(r.state().toString())
            : Result.failed(r.state().toString());
      }
    };
  }

  /** Whether the app is processing (RUNNING, or REBALANCING between assignments). */
  public boolean isRunning() {
    KafkaStreams.State s = streams.state();
    return s == KafkaStreams.State.RUNNING || s == KafkaStreams.State.REBALANCING;
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  public KafkaStreams streams() {
    return streams;
  }

  /** The last exception that replaced a stream thread, or null. */
  public Throwable lastError() {
    return lastError.get();
  }

  private void closeQuietly() {
    try {
      // Leave the group on the way out: the partitions move to the other instances (or to this
      // app's replacement) at once instead of after session.timeout.ms of silence.
      boolean clean =
          streams.close(
              CloseOptions.groupMembershipOperation(
                      CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                  .withTimeout(Duration.ofSeconds(30)));
      if (clean) {
        Files.deleteIfExists(runningMarker(props));
      }
    } catch (IOException e) {
      LOG.debug("{}: cannot remove {}", name, runningMarker(props), e);
    } catch (RuntimeException e) {
      LOG.warn("{}: error while closing", name, e);
    }
  }

  @Override
  public void close() {
    closeQuietly();
    if (metrics != null) {
      metrics.close();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException | IllegalArgumentException ignored) {
      // the JVM is already shutting down, or start() was never called
    }
  }
}
