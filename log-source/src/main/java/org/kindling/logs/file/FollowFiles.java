package org.kindling.logs.file;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kindling.core.ops.HealthCheck;
import org.kindling.logs.LogSourceMetrics;
import org.kindling.logs.ProcessLine;
import org.kindling.logs.PublishRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread that follows every configured file: reads a buffer from each in turn while Kafka has
 * room (pausing while {@link PublishRecords#hasCapacity()} is false, so an unreachable Kafka stops
 * the reading instead of dropping lines), sleeps {@code logs.file.poll.interval} when there was
 * nothing to read, and writes the checkpoint every {@code logs.checkpoint.interval} with the
 * positions Kafka has acknowledged.
 */
public final class FollowFiles implements Runnable, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FollowFiles.class);

  private final List<FollowFile> files = new ArrayList<>();
  private final FileCheckpoint checkpoint;
  private final PublishRecords publisher;
  private final LogSourceMetrics metrics;
  private final long pollMillis;
  private final long checkpointNanos;
  private final Object wake = new Object();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile String failure;
  private volatile String checkpointFailure;

  /**
   * @param paths the followed paths ({@code logs.files})
   * @param process the line processing; copied for this thread with one counter set per file
   */
  public FollowFiles(
      List<Path> paths,
      String sourceName,
      ProcessLine process,
      PublishRecords publisher,
      LogSourceMetrics metrics,
      FileCheckpoint checkpoint,
      String startPolicy,
      Duration pollInterval,
      Duration closeInactive,
      Duration checkpointInterval,
      int maxLineBytes) {
    this.checkpoint = checkpoint;
    this.publisher = publisher;
    this.metrics = metrics;
    this.pollMillis = Math.max(1, pollInterval.toMillis());
    this.checkpointNanos = checkpointInterval.toNanos();
    for (Path p : paths) {
      LogSourceMetrics.Input input = metrics.input(p.toString());
      input.registerLag();
      files.add(
          new FollowFile(
              p,
              sourceName,
              process.copy(input),
              publisher,
              startPolicy,
              closeInactive,
              maxLineBytes));
    }
    publisher.onCapacity(
        () -> {
          synchronized (wake) {
            wake.notifyAll();
          }
        });
    thread = new Thread(this, "logs-follow");
    thread.setDaemon(true);
  }

  /** Finds the checkpointed files again (or starts fresh) and starts the follower thread. */
  public void start() throws IOException {
    FileCheckpoint.Snapshot saved = checkpoint.read();
    for (FollowFile f : files) {
      FileCheckpoint.Entry e = saved == null ? null : saved.files().get(f.path().toString());
      try {
        f.start(e, saved == null ? null : saved.savedAt());
        LOG.info(
            "following {} ({})", f.path(), e == null ? "no checkpoint yet" : "from checkpoint");
      } catch (IOException | RuntimeException ex) {
        // the others start; this one is tried again at every round (and reported unhealthy)
        LOG.warn("cannot read {} yet ({}); retrying", f.path(), ex.toString());
        failure = f.path() + ": " + ex;
      }
    }
    thread.start();
  }

  @Override
  public void run() {
    long lastCheckpoint = System.nanoTime();
    while (running) {
      boolean progress = false;
      String failed = null;
      for (FollowFile f : files) {
        // one file that cannot be read (permissions, a vanished mount) must not stop the others
        try {
          progress |= f.poll();
        } catch (IOException | RuntimeException e) {
          failed = f.path() + ": " + e;
        }
      }
      if (failed != null && failure == null) {
        LOG.warn("reading a log file failed ({}); retrying", failed);
      }
      failure = failed;
      long now = System.nanoTime();
      if (now - lastCheckpoint >= checkpointNanos) {
        lastCheckpoint = now;
        writeCheckpoint();
      }
      if (!progress) {
        synchronized (wake) {
          try {
            wake.wait(pollMillis);
          } catch (InterruptedException e) {
            return;
          }
        }
      }
    }
  }

  /** Writes the checkpoint of what is acknowledged now (when it changed). */
  void writeCheckpoint() {
    Map<String, FileCheckpoint.Entry> state = new LinkedHashMap<>();
    for (FollowFile f : files) {
      f.advance();
      FileCheckpoint.Entry e = f.checkpoint();
      if (e != null) {
        state.put(f.path().toString(), e);
      }
    }
    try {
      if (checkpoint.write(state)) {
        metrics.checkpointWrites.increment();
      }
      checkpointFailure = null;
    } catch (IOException | RuntimeException e) {
      metrics.checkpointFailures.increment();
      if (checkpointFailure == null) {
        LOG.warn("writing the checkpoint failed: {}; retrying", e.toString());
      }
      checkpointFailure = e.toString();
    }
  }

  /** Stops reading (the thread ends after its current round); see {@link #close()}. */
  public void stopReading() {
    running = false;
    synchronized (wake) {
      wake.notifyAll();
    }
    try {
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The heartbeat checks: reading works, the checkpoint can be written. */
  public List<HealthCheck> healthChecks() {
    return List.of(
        new HealthCheck() {
          @Override
          public String name() {
            return "log-files";
          }

          @Override
          public Result check() {
            String f = failure;
            if (f != null) {
              return Result.failed("reading failed: " + f);
            }
            StringBuilder sb = new StringBuilder();
            for (FollowFile file : files) {
              if (!sb.isEmpty()) {
                sb.append("; ");
              }
              sb.append(file.path()).append(": ").append(file.status());
            }
            return Result.ok(sb.toString());
          }
        },
        new HealthCheck() {
          @Override
          public String name() {
            return "checkpoint";
          }

          @Override
          public Result check() {
            String f = checkpointFailure;
            return f == null ? Result.ok("written") : Result.failed("cannot be written: " + f);
          }
        });
  }

  /** Writes the last checkpoint (after the caller waited for the acknowledgements) and closes. */
  @Override
  public void close() {
    stopReading();
    writeCheckpoint();
    files.forEach(FollowFile::close);
  }

  /** Open files per followed path, for tests. */
  public Map<Path, Integer> openFiles() {
    Map<Path, Integer> m = new LinkedHashMap<>();
    files.forEach(f -> m.put(f.path(), f.openFiles()));
    return m;
  }
}
