package dev.hooks.remediation;

import com.github.dockerjava.api.DockerClient;
import dev.hooks.HooksException;
import dev.hooks.state.StateStore;
import dev.hooks.verify.Secret;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The configuration of the autoheal webhook listener, read from the same environment variables,
 * so that a deployment of that listener switches without changing its settings:
 *
 * <table>
 *   <caption>Environment</caption>
 *   <tr><th>variable</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>CRITICAL_SERVICE_NAME</td><td>the container (or compose service) to watch</td><td>required</td></tr>
 *   <tr><td>CRITICAL_FAIL_COUNT</td><td>failures before the remediation</td><td>3</td></tr>
 *   <tr><td>COMPOSE_FILE_PATH</td><td>the compose file of the stack to reset; must exist</td><td>/host/docker-compose.yml</td></tr>
 *   <tr><td>WEBHOOK_URL_CRITICAL</td><td>Discord webhook of the critical alert</td><td>required</td></tr>
 *   <tr><td>WEBHOOK_URL_FINAL</td><td>Discord webhook of the final alert</td><td>required</td></tr>
 *   <tr><td>WEBHOOK_SECRET</td><td>the {@code X-Webhook-Token} of {@code /autoheal-event} and {@code /reset}</td><td>required</td></tr>
 *   <tr><td>COOLDOWN_PERIOD</td><td>seconds between the stack reset and its health check</td><td>300</td></tr>
 *   <tr><td>HOSTNAME</td><td>the host named in the alerts</td><td>this machine's name</td></tr>
 *   <tr><td>LOG_ARCHIVE_DIR</td><td>where log archives go (kept: 10)</td><td>/usr/src/app/backups_mount</td></tr>
 * </table>
 *
 * <p>Unlike that listener, an empty {@code WEBHOOK_SECRET} does not switch authentication off:
 * it is a start failure.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * AutohealPreset preset = AutohealPreset.fromEnvironment(System.getenv());
 * RemediationService service = preset.newService(DockerRemediation.newClient(), stateStore);
 * service.start();
 * if (!preset.tokenMatches(request.getHeader(AutohealPreset.TOKEN_HEADER))) { respond(401); }
 * }</pre>
 */
public final class AutohealPreset {
  /** The header carrying {@code WEBHOOK_SECRET} on {@code /autoheal-event} and {@code /reset}. */
  public static final String TOKEN_HEADER = "X-Webhook-Token";

  private final String criticalServiceName;
  private final int failCount;
  private final Path composeFile;
  private final URI criticalWebhook;
  private final URI finalWebhook;
  private final Secret webhookSecret;
  private final Duration cooldown;
  private final String hostname;
  private final Path archiveDirectory;

  private AutohealPreset(Map<String, String> env) {
    this.criticalServiceName = required(env, "CRITICAL_SERVICE_NAME", "the container name to watch, such as your-app-prod");
    this.failCount = positiveInt(env, "CRITICAL_FAIL_COUNT", 3);
    this.composeFile = Path.of(optional(env, "COMPOSE_FILE_PATH", "/host/docker-compose.yml"));
    if (!Files.isRegularFile(composeFile)) {
      throw new HooksException("COMPOSE_FILE_PATH=" + composeFile + " is not a file; mount the stack's compose file there or set COMPOSE_FILE_PATH");
    }
    this.criticalWebhook = url(env, "WEBHOOK_URL_CRITICAL");
    this.finalWebhook = url(env, "WEBHOOK_URL_FINAL");
    this.webhookSecret = Secret.of(required(env, "WEBHOOK_SECRET", "the X-Webhook-Token autoheal sends, such as the output of openssl rand -hex 32"));
    this.cooldown = Duration.ofSeconds(positiveInt(env, "COOLDOWN_PERIOD", 300));
    this.hostname = optional(env, "HOSTNAME", localHostName());
    this.archiveDirectory = Path.of(optional(env, "LOG_ARCHIVE_DIR", "/usr/src/app/backups_mount"));
  }

  /**
   * Reads the variables listed on the class from {@code env}, typically {@code System.getenv()}.
   *
   * @throws HooksException naming the variable, if one that is required is missing or blank, a
   *     number or URL does not parse, or the compose file does not exist
   */
  public static AutohealPreset fromEnvironment(Map<String, String> env) {
    return new AutohealPreset(Objects.requireNonNull(env, "env"));
  }

  public String criticalServiceName() {
    return criticalServiceName;
  }

  public int failCount() {
    return failCount;
  }

  public Path composeFile() {
    return composeFile;
  }

  public URI criticalWebhook() {
    return criticalWebhook;
  }

  public URI finalWebhook() {
    return finalWebhook;
  }

  public Secret webhookSecret() {
    return webhookSecret;
  }

  public Duration cooldown() {
    return cooldown;
  }

  public String hostname() {
    return hostname;
  }

  public Path archiveDirectory() {
    return archiveDirectory;
  }

  /**
   * Whether an {@code X-Webhook-Token} value is {@code WEBHOOK_SECRET}, compared in constant
   * time; null (header absent) is false.
   */
  public boolean tokenMatches(@Nullable String token) {
    if (token == null) {
      return false;
    }
    return MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), webhookSecret.bytes());
  }

  /** Threshold {@code CRITICAL_FAIL_COUNT}, cooldown {@code COOLDOWN_PERIOD}, other settings default. */
  public RemediationPolicy policy() {
    return RemediationPolicy.builder().threshold(failCount).cooldown(cooldown).build();
  }

  /**
   * The listener's ladder: critical alert, log archive, {@code docker-compose down} and {@code
   * up -d} of {@code COMPOSE_FILE_PATH}; after the cooldown, a health check of the stack; if it
   * failed, stop the service and send the final alert. A recovery is announced on the critical
   * webhook.
   */
  public RemediationLadder ladder(DockerClient docker, Clock clock) {
    RemediationAlerts alerts = DiscordRemediationAlerts.builder(criticalWebhook, finalWebhook).clock(clock).build();
    return RemediationLadder.builder()
        .step(RemediationActions.criticalAlert(alerts, hostname))
        .step(DockerRemediation.archiveLogs(docker, archiveDirectory, 10))
        .step(DockerRemediation.composeReset(composeFile))
        .verify(DockerRemediation.healthProbe(docker))
        .onGiveUp(DockerRemediation.stopService(docker))
        .onGiveUp(RemediationActions.finalAlert(alerts, hostname))
        .onRecovered(RemediationActions.recoveredAlert(alerts, hostname))
        .build();
  }

  /** {@link #newService(DockerClient, StateStore, Clock)} on the system clock. */
  public RemediationService newService(DockerClient docker, StateStore store) {
    return newService(docker, store, Clock.systemUTC());
  }

  /**
   * The configured service: tracks only {@code CRITICAL_SERVICE_NAME}, resolves container names
   * through the Engine. Call {@link RemediationService#start()} to run its timers.
   */
  public RemediationService newService(DockerClient docker, StateStore store, Clock clock) {
    Objects.requireNonNull(docker, "docker");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(clock, "clock");
    FailureTracker tracker = FailureTracker.builder(store, ladder(docker, clock)).policy(policy()).clock(clock).build();
    return RemediationService.builder(tracker)
        .resolver(DockerRemediation.serviceResolver(docker))
        .watch(criticalServiceName)
        .clock(clock)
        .build();
  }

  @Override
  public String toString() {
    return "AutohealPreset[service=" + criticalServiceName + ", failCount=" + failCount + ", composeFile=" + composeFile
        + ", cooldown=" + cooldown + ", hostname=" + hostname + ", secret=" + webhookSecret + "]";
  }

  private static String required(Map<String, String> env, String name, String example) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      throw new HooksException(name + " is not set; set it to " + example);
    }
    return value.strip();
  }

  private static String optional(Map<String, String> env, String name, String fallback) {
    String value = env.get(name);
    return value == null || value.isBlank() ? fallback : value.strip();
  }

  private static int positiveInt(Map<String, String> env, String name, int fallback) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(value.strip());
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException notANumber) {
      // reported below
    }
    throw new HooksException(name + " must be a whole number >= 1, got '" + value + "'");
  }

  private static URI url(Map<String, String> env, String name) {
    String value = required(env, name, "a Discord webhook URL, https://discord.com/api/webhooks/ID/TOKEN");
    try {
      URI uri = URI.create(value);
      if (("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null) {
        return uri;
      }
    } catch (IllegalArgumentException notAUri) {
      // reported below, without the value: it holds the webhook's token
    }
    throw new HooksException(name + " is not an http(s) URL; set it to a Discord webhook URL");
  }

  private static String localHostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown";
    }
  }
}
