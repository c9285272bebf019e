package org.kindling.platform.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.kindling.core.config.KindlingConfig;

/**
 * Checks before start-up that the ports a command will listen on are free, so that a taken port
 * fails with one line naming its key instead of a server's bind error deep in the start-up.
 */
final class Ports {
  private Ports() {}

  /**
   * Fails with {@link Failures.PortInUseException} when {@code key}'s port (0: any, not checked) on
   * {@code host} is taken.
   */
  static void requireFree(KindlingConfig config, String key, String host, String what) {
    int port = config.getInt(key);
    if (port == 0) {
      return;
    }
    try (ServerSocket s = new ServerSocket()) {
      // As the servers bind: a port left in TIME_WAIT by a previous run is free.
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(host, port));
    } catch (IOException e) {
      throw new Failures.PortInUseException(what, key, port);
    }
  }
}
