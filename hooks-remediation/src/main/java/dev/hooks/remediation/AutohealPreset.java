package dev.hooks.remediation;

import com.github.dockerjava.api.DockerClient;
import dev.hooks.HooksException;
import dev.hooks.notify.OutboxSender;
import dev.hooks.outbox.NotificationOutbox;
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
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
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
 *   <tr><td>RESET_MODE</td><td>how the stack is reset: {@code compose} (the compose CLI, {@code down} then
 *       {@code up -d}) or {@code labels} (the project's containers restarted through the Docker API,
 *       found by their {@code com.docker.compose.project} label; no CLI, no compose file)</td><td>compose</td></tr>
 *   <tr><td>COMPOSE_FILE_PATH</td><td>the compose file of the stack to reset; must exist ({@code compose} mode)</td><td>/host/docker-compose.yml</td></tr>
 *   <tr><td>COMPOSE_COMMAND</td><td>the compose CLI, checked at start ({@code compose} mode)</td><td>docker-compose</td></tr>
 *   <tr><td>RESET_ORDER</td><td>compose services in start order, dependencies first, comma-separated ({@code labels} mode)</td><td>all at once</td></tr>
 *   <tr><td>WEBHOOK_URL_CRITICAL</td><td>Discord webhook of the critical alert</td><td>required</td></tr>
 *   <tr><td>WEBHOOK_URL_FINAL</td><td>Discord webhook of the final alert</td><td>required</td></tr>
 *   <tr><td>WEBHOOK_SECRET</td><td>the {@code X-Webhook-Token} of {@code /autoheal-event} and {@code /reset}</td><td>required</td></tr>
 *   <tr><td>COOLDOWN_PERIOD</td><td>seconds between the stack reset and its health check</td><td>300</td></tr>
 *   <tr><td>HOSTNAME</td><td>the host named in the alerts</td><td>this machine's name</td></tr>
 *   <tr><td>LOG_ARCHIVE_DIR</td><td>where log archives go (kept: 10)</td><td>/usr/src/app/backups_mount</td></tr>
 * </table>
 *
 * <p>Unlike that listener, an empty {@code WEBHOOK_SECRET} does not switch authentication off:
 * it is a start failure, and so is a reset that cannot run: in {@code compose} mode, {@link
 * #newService} runs {@code COMPOSE_COMMAND version} and fails naming {@code RESET_MODE=labels}
 * if the CLI is missing. The alerts go through a {@link NotificationOutbox} (retried, rate limited,
 * dead-lettered, kept across restarts when the outbox is durable), and a step that fails fails
 * the remediation: no recovery is announced for a reset that did not happen.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * AutohealPreset preset = AutohealPreset.fromEnvironment(System.getenv());
 * RemediationService service = preset.newService(DockerRemediation.newClient(), stateStore, outbox);
 * service.start();
 * if (!preset.tokenMatches(request.getHeader(AutohealPreset.TOKEN_HEADER))) { respond(401); }
 * }</pre>
 */
public final class AutohealPreset {
  /** The header carrying {@code WEBHOOK_SECRET} on {@code /autoheal-event} and {@code /reset}. */
  public static final String TOKEN_HEADER = "X-Webhook-Token";

  /** How the stack is reset ({@code RESET_MODE}). */
  public enum ResetMode {
    /** The compose CLI: {@code down}, then {@code up -d} of {@code COMPOSE_FILE_PATH}. */
    COMPOSE,
    /** The Docker API: the containers labelled with the project stopped and started in {@code RESET_ORDER}. */
    LABELS
  }

  private final String criticalServiceName;
  private final int failCount;
  private final ResetMode resetMode;
  private final Path composeFile;
  private final List<String> composeCommand;
  private final List<String> resetOrder;
  private final URI criticalWebhook;
  private final URI finalWebhook;
  private final Secret webhookSecret;
  private final Duration cooldown;
  private final String hostname;
  private final Path archiveDirectory;

  private AutohealPreset(Map<String, String> env) {
    this.criticalServiceName = required(env, "CRITICAL_SERVICE_NAME", "the container name to watch, such as your-app-prod");
    this.failCount = positiveInt(env, "CRITICAL_FAIL_COUNT", 3);
    this.resetMode = resetMode(env);
    this.composeFile = Path.of(optional(env, "COMPOSE_FILE_PATH", "/host/docker-compose.yml"));
    if (resetMode == ResetMode.COMPOSE && !Files.isRegularFile(composeFile)) {
      throw new HooksException("COMPOSE_FILE_PATH=" + composeFile + " is not a file; mount the stack's compose file there, set COMPOSE_FILE_PATH,"
          + " or set RESET_MODE=labels to restart the stack through the Docker API without it");
    }
    this.composeCommand = List.of(optional(env, "COMPOSE_COMMAND", "docker-compose").split("\\s+"));
    this.resetOrder = Arrays.stream(optional(env, "RESET_ORDER", "").split(","))
        .map(String::strip).filter(n -> !n.isEmpty()).toList();
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

  public ResetMode resetMode() {
    return resetMode;
  }

  /** {@code COMPOSE_COMMAND} split on spaces, such as {@code [docker, compose]}. */
  public List<String> composeCommand() {
    return composeCommand;
  }

  /** {@code RESET_ORDER}: the services in start order for the label-based reset. */
  public List<String> resetOrder() {
    return resetOrder;
  }

  /**
   * Checks that the configured reset can run here: in {@code compose} mode, that {@code
   * COMPOSE_COMMAND version} runs. {@link #newService} calls it.
   *
   * @throws HooksException saying what is missing and naming {@code RESET_MODE=labels}
   */
  public void checkReset() {
    if (resetMode != ResetMode.COMPOSE) {
      return;
    }
    try {
      DockerRemediation.checkCompose(composeCommand);
    } catch (HooksException e) {
      throw new HooksException("RESET_MODE=compose resets the stack with the compose CLI, but " + e.getMessage()
          + "; install docker-compose in this image (or set COMPOSE_COMMAND to the CLI), or set RESET_MODE=labels"
          + " to restart the stack's containers through the Docker API instead", e);
    }
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
   * The alerts of the ladder: Discord embeds as the listener sent them, enqueued in {@code
   * outbox}; deliver them with an {@link OutboxSender} over {@link DiscordRemediationAlerts#notifiers()}.
   */
  public DiscordRemediationAlerts alerts(NotificationOutbox outbox, Clock clock) {
    return DiscordRemediationAlerts.builder(criticalWebhook, finalWebhook).clock(clock).outbox(outbox).build();
  }

  /**
   * The listener's ladder: critical alert, log archive (best effort: its failure is recorded,
   * the reset still runs), the reset of {@code RESET_MODE} ({@code docker-compose down} and {@code
   * up -d} of {@code COMPOSE_FILE_PATH} in the project's directory, or a restart by labels in
   * {@code RESET_ORDER}); after the cooldown, a health check of the stack; if it failed, or a step
   * failed, stop the service and send the final alert. A recovery is announced on the critical
   * webhook.
   */
  public RemediationLadder ladder(DockerClient docker, RemediationAlerts alerts) {
    RemediationAction reset = resetMode == ResetMode.COMPOSE
        ? DockerRemediation.composeReset(docker, composeCommand, composeFile, Duration.ofMinutes(5))
        : DockerRemediation.labelReset(docker, resetOrder);
    return RemediationLadder.builder()
        .step(RemediationActions.criticalAlert(alerts, hostname))
        .bestEffortStep(DockerRemediation.archiveLogs(docker, archiveDirectory, 10))
        .step(reset)
        .verify(DockerRemediation.healthProbe(docker))
        .onGiveUp(DockerRemediation.stopService(docker))
        .onGiveUp(RemediationActions.finalAlert(alerts, hostname))
        .onRecovered(RemediationActions.recoveredAlert(alerts, hostname))
        .build();
  }

  /** {@link #newService(DockerClient, StateStore, NotificationOutbox, Clock)} on the system clock. */
  public RemediationService newService(DockerClient docker, StateStore store, NotificationOutbox outbox) {
    return newService(docker, store, outbox, Clock.systemUTC());
  }

  /**
   * The configured service: checks the reset can run ({@link #checkReset()}), tracks only {@code
   * CRITICAL_SERVICE_NAME}, resolves container names through the Engine, and sends its alerts
   * through {@code outbox} with a sender started and closed with the service. Call {@link
   * RemediationService#start()} to run its timers.
   *
   * @throws HooksException if the configured reset cannot run here
   */
  public RemediationService newService(DockerClient docker, StateStore store, NotificationOutbox outbox, Clock clock) {
    Objects.requireNonNull(docker, "docker");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(outbox, "outbox");
    Objects.requireNonNull(clock, "clock");
    checkReset();
    DiscordRemediationAlerts alerts = alerts(outbox, clock);
    FailureTracker tracker = FailureTracker.builder(store, ladder(docker, alerts)).policy(policy()).clock(clock).build();
    return RemediationService.builder(tracker)
        .resolver(DockerRemediation.serviceResolver(docker))
        .watch(criticalServiceName)
        .sender(OutboxSender.builder(outbox, alerts.notifiers()).clock(clock).build())
        .clock(clock)
        .build();
  }

  /**
   * The Engine's events of the watched service's compose project, fed to {@code tracker}: only
   * that stack, since the ladder resets that stack and no other. The container {@code
   * CRITICAL_SERVICE_NAME} must exist with compose labels when this is called, to know its
   * project. Not started; {@link RemediationService} starts and closes it.
   *
   * @throws HooksException naming {@code CRITICAL_SERVICE_NAME} if the container does not exist or
   *     carries no compose labels
   */
  public DockerEventsSource eventsSource(DockerClient docker, FailureTracker tracker) {
    Objects.requireNonNull(docker, "docker");
    Objects.requireNonNull(tracker, "tracker");
    ServiceKey watched = DockerRemediation.serviceResolver(docker).resolve(criticalServiceName)
        .orElseThrow(() -> new HooksException("Docker events need the container " + criticalServiceName
            + " (CRITICAL_SERVICE_NAME) to exist with compose labels, to know its project; start the stack first"));
    return DockerEventsSource.builder(docker, tracker).project(watched.project()).build();
  }

  @Override
  public String toString() {
    return "AutohealPreset[service=" + criticalServiceName + ", failCount=" + failCount + ", resetMode=" + resetMode
        + ", composeFile=" + composeFile
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

  private static ResetMode resetMode(Map<String, String> env) {
    String value = optional(env, "RESET_MODE", "compose");
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "compose" -> ResetMode.COMPOSE;
      case "labels" -> ResetMode.LABELS;
      default -> throw new HooksException("RESET_MODE must be compose or labels, got '" + value + "'");
    };
  }

  private static String localHostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown";
    }
  }
}
