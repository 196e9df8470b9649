package dev.hooks.ingress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 address range in CIDR notation, such as {@code 192.30.252.0/22} or
 * {@code ::1/128}; a bare address is a range of one. Immutable and thread-safe.
 */
public final class CidrRange {
  private final String source;
  private final byte[] network;
  private final int prefix;

  private CidrRange(String source, byte[] network, int prefix) {
    this.source = source;
    this.network = network;
    this.prefix = prefix;
  }

  /**
   * @throws IllegalArgumentException if {@code cidr} is not an address with an optional
   *     {@code /prefix}; names are not resolved
   */
  public static CidrRange parse(String cidr) {
    String s = cidr.trim();
    int slash = s.indexOf('/');
    String addr = slash < 0 ? s : s.substring(0, slash);
    if (addr.isEmpty() || !addr.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
      throw new IllegalArgumentException("not an IP address range: '" + cidr + "'");
    }
    byte[] bytes;
    try {
      bytes = InetAddress.getByName(addr).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address range: '" + cidr + "'", e);
    }
    int bits = bytes.length * 8;
    int prefix;
    try {
      prefix = slash < 0 ? bits : Integer.parseInt(s.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad prefix length in '" + cidr + "'", e);
    }
    if (prefix < 0 || prefix > bits) {
      throw new IllegalArgumentException("prefix length out of range in '" + cidr + "'");
    }
    return new CidrRange(s, mask(bytes, prefix), prefix);
  }

  /** Whether {@code address} is in this range; an IPv4 address never matches an IPv6 range. */
  public boolean contains(InetAddress address) {
    byte[] a = address.getAddress();
    return a.length == network.length && Arrays.equals(mask(a, prefix), network);
  }

  private static byte[] mask(byte[] address, int prefix) {
    byte[] out = address.clone();
    for (int i = 0; i < out.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - i * 8));
      out[i] &= (byte) (0xFF << (8 - keep));
    }
    return out;
  }

  @Override
  public String toString() {
    return source;
  }
}
