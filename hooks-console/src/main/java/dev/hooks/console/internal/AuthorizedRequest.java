package dev.hooks.console.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * A console request as the admin routes receive it: with {@code Authorization: Bearer <token>}
 * of the session's identity, whatever the browser sent, and without the browser's cookies.
 */
public final class AuthorizedRequest extends HttpServletRequestWrapper {
  private static final String AUTHORIZATION = "Authorization";
  private static final String COOKIE = "Cookie";
  private final String authorization;

  public AuthorizedRequest(HttpServletRequest request, String token) {
    super(request);
    this.authorization = "Bearer " + token;
  }

  @Override
  public String getHeader(String name) {
    if (AUTHORIZATION.equalsIgnoreCase(name)) {
      return authorization;
    }
    if (COOKIE.equalsIgnoreCase(name)) {
      return null;
    }
    return super.getHeader(name);
  }

  @Override
  public Enumeration<String> getHeaders(String name) {
    if (AUTHORIZATION.equalsIgnoreCase(name)) {
      return Collections.enumeration(List.of(authorization));
    }
    if (COOKIE.equalsIgnoreCase(name)) {
      return Collections.emptyEnumeration();
    }
    return super.getHeaders(name);
  }

  @Override
  public Enumeration<String> getHeaderNames() {
    List<String> names = new ArrayList<>();
    for (Enumeration<String> e = super.getHeaderNames(); e.hasMoreElements(); ) {
      String n = e.nextElement();
      if (!AUTHORIZATION.equalsIgnoreCase(n) && !COOKIE.equalsIgnoreCase(n)) {
        names.add(n);
      }
    }
    names.add(AUTHORIZATION);
    return Collections.enumeration(names);
  }

  @Override
  public jakarta.servlet.http.Cookie[] getCookies() {
    return new jakarta.servlet.http.Cookie[0];
  }
}
