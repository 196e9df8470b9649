package dev.hooks.spring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The admin API of the notification hub under {@code hooks.admin.*}: endpoints created, listed,
 * tested, changed and deleted at run time, the journal's deliveries, dead letters and replay, the
 * audit log. The same keys as hooks-server's {@code admin:} section.
 */
@ConfigurationProperties("hooks.admin")
public class HooksAdminProperties {
  /** Whether to serve the admin API; it also needs a token and an encryption key. */
  private boolean enabled;

  /** Where the admin API is mounted; its routes are then such as {@code /admin/endpoints}. */
  private String path = "/admin";

  /** The admin token, sent as {@code Authorization: Bearer <token>}; at least 16 characters, such as {@code ${HOOKS_ADMIN_TOKEN}}. */
  private @Nullable String token;

  /** More tokens by identity, such as {@code ops: ${OPS_TOKEN}}; the identity is the actor in the audit log. */
  private Map<String, String> tokens = new LinkedHashMap<>();

  /** Client ranges allowed to call the admin API, such as {@code 10.0.0.0/8}; empty allows every client. */
  private List<String> trustedCidrs = new ArrayList<>();

  /** Wrong tokens a client may send in a minute before it is answered 429. */
  private int maxFailuresPerMinute = 10;

  /**
   * The key sealing the secrets of endpoints created at run time: 32 random bytes in base64
   * ({@code openssl rand -base64 32}), such as {@code ${HOOKS_ENCRYPTION_KEY}}. Keep it: the
   * stored secrets open only with it.
   */
  private @Nullable String encryptionKey;

  /** Keys that sealed stored secrets before the current one; they are sealed again with it at start. */
  private List<String> previousEncryptionKeys = new ArrayList<>();

  /** The URL senders reach this application at, for the webhook URLs the API shows, such as {@code https://hooks.example.com}. */
  private @Nullable String publicUrl;

  /** The notify target of new endpoints when a request names none; default the first of {@code hooks.notify.targets}. */
  private @Nullable String defaultTarget;

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

  public @Nullable String getToken() {
    return token;
  }

  public void setToken(@Nullable String token) {
    this.token = token;
  }

  public Map<String, String> getTokens() {
    return tokens;
  }

  public void setTokens(Map<String, String> tokens) {
    this.tokens = tokens;
  }

  public List<String> getTrustedCidrs() {
    return trustedCidrs;
  }

  public void setTrustedCidrs(List<String> trustedCidrs) {
    this.trustedCidrs = trustedCidrs;
  }

  public int getMaxFailuresPerMinute() {
    return maxFailuresPerMinute;
  }

  public void setMaxFailuresPerMinute(int maxFailuresPerMinute) {
    this.maxFailuresPerMinute = maxFailuresPerMinute;
  }

  public @Nullable String getEncryptionKey() {
    return encryptionKey;
  }

  public void setEncryptionKey(@Nullable String encryptionKey) {
    this.encryptionKey = encryptionKey;
  }

  public List<String> getPreviousEncryptionKeys() {
    return previousEncryptionKeys;
  }

  public void setPreviousEncryptionKeys(List<String> previousEncryptionKeys) {
    this.previousEncryptionKeys = previousEncryptionKeys;
  }

  public @Nullable String getPublicUrl() {
    return publicUrl;
  }

  public void setPublicUrl(@Nullable String publicUrl) {
    this.publicUrl = publicUrl;
  }

  public @Nullable String getDefaultTarget() {
    return defaultTarget;
  }

  public void setDefaultTarget(@Nullable String defaultTarget) {
    this.defaultTarget = defaultTarget;
  }
}
