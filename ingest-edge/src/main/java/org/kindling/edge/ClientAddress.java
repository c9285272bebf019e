package org.kindling.edge;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides the client address ({@code remote_addr}) of a request.
 *
 * <p>The TCP peer is the client unless it is a trusted proxy (one of the configured CIDR blocks).
 * Only then is {@code X-Forwarded-For} read, from the right, since each proxy appends the address
 * it received the request from: the right-most entry that is not itself a trusted proxy is the
 * client, walking back at most {@code hops} entries. Entries left of that are whatever the client
 * sent and are never believed, so a client cannot choose its own address. An entry that is not an
 * IP address stops the walk at the last trusted address seen.
 */
public final class ClientAddress {
  private final List<Cidr> trusted;
  private final int hops;

  /**
   * @param trustedProxies CIDR blocks or single addresses ({@code 10.0.0.0/8}, {@code ::1})
   * @param hops how many trusted proxies may be walked back through X-Forwarded-For
   * @throws IllegalArgumentException when an entry is not an address or CIDR block
   */
  public ClientAddress(List<String> trustedProxies, int hops) {
    List<Cidr> list = new ArrayList<>();
    for (String s : trustedProxies) {
      list.add(Cidr.parse(s));
    }
    this.trusted = List.copyOf(list);
    this.hops = hops;
  }

  /** The client address for a request from {@code peer} carrying {@code xForwardedFor}. */
  public String resolve(InetAddress peer, String xForwardedFor) {
    byte[] current = normalize(peer.getAddress());
    if (xForwardedFor != null && !trusted.isEmpty()) {
      String[] entries = xForwardedFor.split(",");
      int next = entries.length - 1;
      for (int hop = 0; hop < hops && isTrusted(current) && next >= 0; hop++, next--) {
        byte[] candidate = parseEntry(entries[next]);
        if (candidate == null) {
          break;
        }
        current = candidate;
      }
    }
    return NetUtil.bytesToIpAddress(current);
  }

  /** Whether {@code address} lies in a trusted proxy block. */
  public boolean isTrusted(byte[] address) {
    for (Cidr c : trusted) {
      if (c.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /** An X-Forwarded-For entry as address bytes: blanks, port and IPv6 brackets removed. */
  static byte[] parseEntry(String entry) {
    String s = entry.trim();
    if (s.startsWith("[")) {
      int end = s.indexOf(']');
      if (end < 0) {
        return null;
      }
      s = s.substring(1, end);
    } else if (s.indexOf(':') > 0 && s.indexOf(':') == s.lastIndexOf(':') && s.contains(".")) {
      s = s.substring(0, s.indexOf(':')); // IPv4 with a port
    }
    byte[] b = NetUtil.createByteArrayFromIpAddressString(s);
    return b == null ? null : normalize(b);
  }

  /** IPv4-mapped IPv6 addresses ({@code ::ffff:1.2.3.4}) as IPv4, so one CIDR matches both. */
  static byte[] normalize(byte[] b) {
    if (b.length == 16) {
      for (int i = 0; i < 10; i++) {
        if (b[i] != 0) {
          return b;
        }
      }
      if (b[10] == (byte) 0xff && b[11] == (byte) 0xff) {
        return new byte[] {b[12], b[13], b[14], b[15]};
      }
    }
    return b;
  }

  /** An address block. */
  record Cidr(byte[] network, int prefixBits) {
    static Cidr parse(String text) {
      String s = text.trim();
      int slash = s.indexOf('/');
      String addr = slash < 0 ? s : s.substring(0, slash);
      byte[] b = NetUtil.createByteArrayFromIpAddressString(addr);
      if (b == null) {
        throw new IllegalArgumentException("not an IP address or CIDR block: " + text);
      }
      b = normalize(b);
      int bits = b.length * 8;
      if (slash >= 0) {
        int p;
        try {
          p = Integer.parseInt(s.substring(slash + 1));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("bad CIDR prefix length: " + text, e);
        }
        if (b.length == 4 && addr.contains(":")) {
          p -= 96; // ::ffff:a.b.c.d/n given in IPv6 notation
        }
        if (p < 0 || p > bits) {
          throw new IllegalArgumentException("bad CIDR prefix length: " + text);
        }
        bits = p;
      }
      return new Cidr(b, bits);
    }

    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int full = prefixBits / 8;
      for (int i = 0; i < full; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = prefixBits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (address[full] & mask) == (network[full] & mask);
    }
  }
}
