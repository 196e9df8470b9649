package dev.hooks.spring;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code hooks.remediation.*} properties: the autoheal listener's settings (the variables of
 * hooks-server's {@code autoheal} preset, in kebab-case) for a Spring application that heals a
 * Docker Compose stack. Off unless {@code hooks.remediation.enabled=true}: it needs a Docker
 * Engine. Mutable binding class, read once at start.
 */
@ConfigurationProperties("hooks.remediation")
public class HooksRemediationProperties {
  /** Whether remediation is configured; it needs a Docker Engine (DOCKER_HOST, else the local socket). */
  private boolean enabled;

  /** The container or compose service to watch (CRITICAL_SERVICE_NAME), such as your-app-prod. */
  private @Nullable String criticalServiceName;

  /** Failures before the remediation runs (CRITICAL_FAIL_COUNT); at least 1. */
  private int threshold = 3;

  /** Time between the stack reset and its health check (COOLDOWN_PERIOD); at least one second. */
  private Duration cooldown = Duration.ofSeconds(300);

  /** How the stack is reset (RESET_MODE): compose (the compose CLI, down then up -d) or labels (the Docker API, by compose labels). */
  private String resetMode = "compose";

  /** The compose file of the stack to reset, with reset-mode compose (COMPOSE_FILE_PATH). */
  private Path composeFile = Path.of("/host/docker-compose.yml");

  /** The compose CLI, checked at start with reset-mode compose (COMPOSE_COMMAND). */
  private String composeCommand = "docker-compose";

  /** Compose services in start order, dependencies first, with reset-mode labels (RESET_ORDER); empty: all at once. */
  private List<String> resetOrder = new ArrayList<>();

  /** The X-Webhook-Token that the reset route requires (WEBHOOK_SECRET); use the autoheal endpoint's secret. */
  private @Nullable String token;

  /** The host named in the alerts (HOSTNAME); default this machine's name. */
  private @Nullable String hostname;

  /** Where container log archives are written before a reset (LOG_ARCHIVE_DIR); the newest 10 are kept. */
  private Path logArchiveDir = Path.of("/usr/src/app/backups_mount");

  /** Whether the Docker Engine's events of the watched service's compose project count as failures too (HOOKS_DOCKER_EVENTS). */
  private boolean dockerEvents;

  private final Alerts alerts = new Alerts();

  private final Servlet servlet = new Servlet();

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public @Nullable String getCriticalServiceName() {
    return criticalServiceName;
  }

  public void setCriticalServiceName(@Nullable String criticalServiceName) {
    this.criticalServiceName = criticalServiceName;
  }

  public int getThreshold() {
    return threshold;
  }

  public void setThreshold(int threshold) {
    this.threshold = threshold;
  }

  public Duration getCooldown() {
    return cooldown;
  }

  public void setCooldown(Duration cooldown) {
    this.cooldown = cooldown;
  }

  public String getResetMode() {
    return resetMode;
  }

  public void setResetMode(String resetMode) {
    this.resetMode = resetMode;
  }

  public Path getComposeFile() {
    return composeFile;
  }

  public void setComposeFile(Path composeFile) {
    this.composeFile = composeFile;
  }

  public String getComposeCommand() {
    return composeCommand;
  }

  public void setComposeCommand(String composeCommand) {
    this.composeCommand = composeCommand;
  }

  public List<String> getResetOrder() {
    return resetOrder;
  }

  public void setResetOrder(List<String> resetOrder) {
    this.resetOrder = resetOrder;
  }

  public @Nullable String getToken() {
    return token;
  }

  public void setToken(@Nullable String token) {
    this.token = token;
  }

  public @Nullable String getHostname() {
    return hostname;
  }

  public void setHostname(@Nullable String hostname) {
    this.hostname = hostname;
  }

  public Path getLogArchiveDir() {
    return logArchiveDir;
  }

  public void setLogArchiveDir(Path logArchiveDir) {
    this.logArchiveDir = logArchiveDir;
  }

  public boolean isDockerEvents() {
    return dockerEvents;
  }

  public void setDockerEvents(boolean dockerEvents) {
    this.dockerEvents = dockerEvents;
  }

  public Alerts getAlerts() {
    return alerts;
  }

  public Servlet getServlet() {
    return servlet;
  }

  /** The Discord webhooks the ladder alerts. */
  public static class Alerts {
    /** The Discord webhook URL of the critical alert and of the recovery (WEBHOOK_URL_CRITICAL). */
    private @Nullable String criticalUrl;

    /** The Discord webhook URL of the final alert, sent when the reset did not heal the stack (WEBHOOK_URL_FINAL). */
    private @Nullable String finalUrl;

    public @Nullable String getCriticalUrl() {
      return criticalUrl;
    }

    public void setCriticalUrl(@Nullable String criticalUrl) {
      this.criticalUrl = criticalUrl;
    }

    public @Nullable String getFinalUrl() {
      return finalUrl;
    }

    public void setFinalUrl(@Nullable String finalUrl) {
      this.finalUrl = finalUrl;
    }
  }

  /** Where the listener's status, health and reset routes are mounted. */
  public static class Servlet {
    /** Whether the status, health and reset routes are registered with the servlet container. */
    private boolean enabled = true;

    /** The prefix of the routes: GET {path}/status, GET {path}/health, POST {path}/reset. */
    private String path = "/autoheal";

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
  }
}
