package org.kindling.edge;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A TCP connection to the edge that writes exactly the bytes given and reads raw HTTP/1.1
 * responses, each read bounded by a timeout. Nothing is normalised on the way out, so requests can
 * be as malformed as a hostile client makes them.
 */
final class RawConnection implements AutoCloseable {
  /** One response as read off the wire. */
  record Response(int status, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
      return status + " " + body.strip();
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  RawConnection(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(10_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  /** Writes {@code text} as ISO-8859-1, one byte per char, and flushes. */
  RawConnection write(String text) throws IOException {
    return write(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  RawConnection write(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /** Closes the sending side only (the edge reads end of stream). */
  void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  /**
   * The next response, or null when the edge closed the connection first (or reset it) before any
   * byte of one arrived.
   *
   * @throws SocketTimeoutException when nothing arrives within {@code timeout}
   */
  Response read(Duration timeout) throws IOException {
    socket.setSoTimeout((int) timeout.toMillis());
    String head;
    try {
      head = readHead();
    } catch (SocketTimeoutException e) {
      throw e;
    } catch (IOException e) {
      return null; // reset by the edge
    }
    if (head == null) {
      return null;
    }
    String[] lines = head.split("\r\n");
    String[] statusLine = lines[0].split(" ", 3);
    if (!statusLine[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP response: " + lines[0]);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int c = lines[i].indexOf(':');
      headers.put(
          lines[i].substring(0, c).trim().toLowerCase(Locale.ROOT),
          lines[i].substring(c + 1).trim());
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    byte[] body = in.readNBytes(length);
    if (body.length < length) {
      throw new IOException("response body cut short: " + body.length + " of " + length);
    }
    return new Response(
        Integer.parseInt(statusLine[1]), headers, new String(body, StandardCharsets.UTF_8));
  }

  private String readHead() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int c = in.read();
      if (c < 0) {
        if (b.size() == 0) {
          return null;
        }
        throw new IOException("connection closed inside a response head: " + b);
      }
      b.write(c);
      matched = (c == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (c == '\r' ? 1 : 0);
    }
    String s = b.toString(StandardCharsets.ISO_8859_1);
    return s.substring(0, s.length() - 4);
  }

  /**
   * Whether the edge closes the connection within {@code timeout}; false when it is still open
   * then.
   *
   * @throws IOException when the edge sends anything more instead
   */
  boolean closedWithin(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    byte[] buf = new byte[8192];
    while (true) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        return false;
      }
      socket.setSoTimeout((int) left);
      int n;
      try {
        n = in.read(buf);
      } catch (SocketTimeoutException e) {
        return false;
      } catch (IOException e) {
        return true; // reset
      }
      if (n < 0) {
        return true;
      }
      throw new IOException(
          "unexpected bytes from the edge: " + new String(buf, 0, n, StandardCharsets.ISO_8859_1));
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
