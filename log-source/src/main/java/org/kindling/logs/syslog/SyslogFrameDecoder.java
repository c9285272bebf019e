package org.kindling.logs.syslog;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits a TCP syslog stream into messages, in both framings of RFC 6587, told apart per message:
 * octet counting ({@code 123 <13>1 ...}, digits and a blank first: syslog-ng's {@code syslog()}
 * destination, rsyslog's {@code TCP_Framing="octet-counted"}) and newline framing (anything else,
 * up to a line feed: syslog-ng's {@code network()}, rsyslog's default). Line feeds, carriage
 * returns and NULs between messages are skipped.
 *
 * <p>A message longer than {@code maxBytes} is not buffered whole: its first {@code maxBytes} are
 * passed on as a {@link Frame} marked too long, the rest is discarded as it arrives.
 */
public final class SyslogFrameDecoder extends ByteToMessageDecoder {
  /**
   * One message.
   *
   * @param bytes the message (or its first {@code maxBytes} when too long)
   * @param length its full length as far as known
   * @param tooLong whether it was cut
   */
  public record Frame(byte[] bytes, long length, boolean tooLong) {}

  private static final int MAX_LENGTH_DIGITS = 9;

  private final int maxBytes;
  private long discardRemaining; // octet counting: bytes of a too-long message still to skip
  private boolean discardToNewline; // newline framing: skipping the rest of a too-long line

  public SyslogFrameDecoder(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (true) {
      if (discardRemaining > 0) {
        int n = (int) Math.min(discardRemaining, in.readableBytes());
        in.skipBytes(n);
        discardRemaining -= n;
        if (discardRemaining > 0) {
          return;
        }
      }
      if (discardToNewline) {
        int nl = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
        if (nl < 0) {
          in.skipBytes(in.readableBytes());
          return;
        }
        in.readerIndex(nl + 1);
        discardToNewline = false;
      }
      while (in.isReadable()) {
        byte b = in.getByte(in.readerIndex());
        if (b != '\n' && b != '\r' && b != 0) {
          break;
        }
        in.skipBytes(1);
      }
      if (!in.isReadable()) {
        return;
      }
      int start = in.readerIndex();
      long count = octetCount(in, start);
      if (count == -2) {
        return; // digits so far: wait for the blank or more
      }
      if (count >= 0) {
        int digits = digitsOf(in, start);
        int bodyStart = start + digits + 1;
        if (count > maxBytes) {
          int have = in.writerIndex() - bodyStart;
          if (have < maxBytes) {
            return; // keep the head until maxBytes have arrived
          }
          byte[] head = new byte[maxBytes];
          in.getBytes(bodyStart, head);
          out.add(new Frame(head, count, true));
          in.readerIndex(bodyStart);
          discardRemaining = count;
          continue;
        }
        if (in.writerIndex() - bodyStart < count) {
          return;
        }
        byte[] msg = new byte[(int) count];
        in.getBytes(bodyStart, msg);
        in.readerIndex(bodyStart + (int) count);
        out.add(new Frame(msg, count, false));
        continue;
      }
      int nl = in.indexOf(start, in.writerIndex(), (byte) '\n');
      if (nl < 0) {
        int have = in.readableBytes();
        if (have > maxBytes) {
          byte[] head = new byte[maxBytes];
          in.getBytes(start, head);
          out.add(new Frame(head, have, true));
          in.skipBytes(have);
          discardToNewline = true;
        }
        return;
      }
      int len = nl - start;
      if (len > maxBytes) {
        byte[] head = new byte[maxBytes];
        in.getBytes(start, head);
        out.add(new Frame(head, len, true));
      } else {
        byte[] msg = new byte[len];
        in.getBytes(start, msg);
        out.add(new Frame(msg, len, false));
      }
      in.readerIndex(nl + 1);
    }
  }

  /**
   * The octet count at {@code start}: the length, -1 when the message is not octet-counted, -2 when
   * only digits have arrived so far.
   */
  private static long octetCount(ByteBuf in, int start) {
    long n = 0;
    int end = in.writerIndex();
    for (int i = start; i < end; i++) {
      byte c = in.getByte(i);
      if (c >= '0' && c <= '9') {
        if (i == start && c == '0') {
          return -1;
        }
        if (i - start >= MAX_LENGTH_DIGITS) {
          return -1;
        }
        n = n * 10 + (c - '0');
      } else if (c == ' ' && i > start) {
        return n;
      } else {
        return -1;
      }
    }
    return -2;
  }

  private static int digitsOf(ByteBuf in, int start) {
    int i = start;
    while (in.getByte(i) != ' ') {
      i++;
    }
    return i - start;
  }
}
