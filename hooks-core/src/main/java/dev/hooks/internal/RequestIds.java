package dev.hooks.internal;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Request ids: 26 characters of Crockford base32, time-ordered (48 bits of milliseconds, then a
 * per-process random prefix and a counter), so ids sort by arrival and never collide across
 * processes in practice. Thread-safe.
 */
public final class RequestIds {
  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private static final long PROCESS = new SecureRandom().nextLong();
  private static final AtomicLong COUNTER = new AtomicLong(new SecureRandom().nextInt());

  private RequestIds() {}

  public static String next(long epochMillis) {
    char[] out = new char[26];
    long time = epochMillis;
    for (int i = 9; i >= 0; i--) {
      out[i] = ALPHABET[(int) (time & 31)];
      time >>>= 5;
    }
    long random = PROCESS ^ (COUNTER.getAndIncrement() * 0x9E3779B97F4A7C15L);
    long counter = COUNTER.get();
    for (int i = 10; i < 23; i++) {
      out[i] = ALPHABET[(int) (random & 31)];
      random >>>= 5;
    }
    for (int i = 25; i >= 23; i--) {
      out[i] = ALPHABET[(int) (counter & 31)];
      counter >>>= 5;
    }
    return new String(out);
  }
}
