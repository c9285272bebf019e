package org.kindling.core.config;

import java.util.List;

/**
 * A set of configuration keys contributed by one module. Implementations are found with {@link
 * java.util.ServiceLoader} ({@code META-INF/services/org.kindling.core.config.ConfigModule}), so
 * the {@code kindling} command knows every key of every module on its class path and can refuse an
 * unknown one.
 */
public interface ConfigModule {
  /** A short title for the configuration reference, e.g. "Edge". */
  String title();

  /** The keys, in the order they appear in the reference. */
  List<ConfigKey> keys();
}
