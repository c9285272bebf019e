package org.kindling.logs;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Sends access lines as syslog messages, the ways syslog-ng and rsyslog do. */
final class SyslogClient {
  private SyslogClient() {}

  /** RFC 5424 with octet counting (syslog-ng's syslog() destination). */
  static byte[] octetCounted(String host, String line) {
    String msg =
        "<13>1 2026-12-04T19:38:02+00:00 "
            + host
            + " nginx - - [meta sequenceId=\"1\"] "
            + line
            + "\n";
    byte[] m = msg.getBytes(StandardCharsets.UTF_8);
    byte[] prefix = (m.length + " ").getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[prefix.length + m.length];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    System.arraycopy(m, 0, out, prefix.length, m.length);
    return out;
  }

  /** RFC 3164, newline-framed (syslog-ng's network(), rsyslog's default). */
  static byte[] newlineFramed(String host, String line) {
    return ("<13>Dec  4 19:38:02 " + host + " nginx: " + line + "\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  static void tcp(int port, byte[]... messages) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        OutputStream out = s.getOutputStream()) {
      for (byte[] m : messages) {
        out.write(m);
      }
      out.flush();
    }
  }

  static void udp(int port, String host, String line) throws IOException {
    byte[] m =
        ("<13>1 2026-12-04T19:38:02Z " + host + " nginx - - - " + line)
            .getBytes(StandardCharsets.UTF_8);
    try (DatagramSocket s = new DatagramSocket()) {
      s.send(new DatagramPacket(m, m.length, InetAddress.getLoopbackAddress(), port));
    }
  }
}
