package org.kindling.core;

import java.util.List;
import org.kindling.core.ops.HealthCheck;

/**
 * One runnable stage (edge, validator, geo-enricher, s3-sink). The {@code kindling} command starts
 * each on its own ({@code kindling validator}) or several in one JVM ({@code kindling local})
 * through this interface; {@link #close()} stops it gracefully (drain, flush, commit).
 */
public interface Service extends AutoCloseable {
  /** The stage's name, its module name. */
  String name();

  /** Starts the stage; returns once it is serving (or throws with a clear reason). */
  void start() throws Exception;

  /** Checks reported by {@code /__heartbeat__}. */
  List<HealthCheck> healthChecks();

  /** Stops gracefully. */
  @Override
  void close();
}
