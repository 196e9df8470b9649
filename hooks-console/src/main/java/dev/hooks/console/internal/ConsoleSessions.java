package dev.hooks.console.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The console's logged-in sessions, in memory: a random id (the cookie) maps to the identity of
 * the admin token that logged in and a random CSRF token. A session ends on logout or after
 * {@code idle} without a request. At most {@code max} live at once; past it the least recently
 * used is dropped. Thread-safe.
 */
public final class ConsoleSessions {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** One logged-in browser. */
  public static final class Session {
    private final String id;
    private final String identity;
    private final String csrf;
    private volatile Instant lastUsed;

    Session(String id, String identity, String csrf, Instant now) {
      this.id = id;
      this.identity = identity;
      this.csrf = csrf;
      this.lastUsed = now;
    }

    public String id() {
      return id;
    }

    /** The identity of the admin token that logged in, such as {@code admin} or {@code ops}. */
    public String identity() {
      return identity;
    }

    public String csrf() {
      return csrf;
    }

    /** Whether {@code token} is this session's CSRF token, compared in constant time. */
    public boolean csrfMatches(@Nullable String token) {
      return token != null && MessageDigest.isEqual(csrf.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
      return "Session[" + identity + "]";
    }
  }

  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Duration idle;
  private final int max;

  public ConsoleSessions(Clock clock, Duration idle, int max) {
    this.clock = clock;
    this.idle = idle;
    this.max = max;
  }

  /** Starts a session for {@code identity}. */
  public Session open(String identity) {
    Instant now = clock.instant();
    if (sessions.size() >= max) {
      sessions.values().removeIf(s -> expired(s, now));
      while (sessions.size() >= max) {
        sessions.values().stream().min(Comparator.comparing(s -> s.lastUsed)).ifPresent(s -> sessions.remove(s.id));
      }
    }
    Session s = new Session(random(), identity, random(), now);
    sessions.put(s.id, s);
    return s;
  }

  /** The live session of cookie value {@code id}, touched; null when none or expired. */
  public @Nullable Session find(@Nullable String id) {
    if (id == null || id.isEmpty()) {
      return null;
    }
    Session s = sessions.get(id);
    if (s == null) {
      return null;
    }
    Instant now = clock.instant();
    if (expired(s, now)) {
      sessions.remove(id);
      return null;
    }
    s.lastUsed = now;
    return s;
  }

  /** Whether {@code s} is still live, without touching it. */
  public boolean live(Session s) {
    return sessions.get(s.id) == s && !expired(s, clock.instant());
  }

  public void close(Session s) {
    sessions.remove(s.id);
  }

  private boolean expired(Session s, Instant now) {
    return s.lastUsed.plus(idle).isBefore(now);
  }

  private static String random() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
