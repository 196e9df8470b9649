package dev.hooks.spring;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The operators' web console under {@code hooks.console.*}: the same keys as hooks-server's
 * {@code console:} section. It needs the admin API ({@code hooks.admin.*}); operators log in with
 * an admin token.
 */
@ConfigurationProperties("hooks.console")
public class HooksConsoleProperties {
  /** Whether to serve the console; it needs {@code hooks.admin.enabled} and hooks-console on the class path. */
  private boolean enabled;

  /** Where the console is served: one path segment, such as {@code /console}. */
  private String path = "/console";

  /** Minutes a session may stay idle before the operator logs in again. */
  private int sessionMinutes = 30;

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }

  public int getSessionMinutes() {
    return sessionMinutes;
  }

  public void setSessionMinutes(int sessionMinutes) {
    this.sessionMinutes = sessionMinutes;
  }
}
