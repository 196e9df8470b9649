package dev.hooks.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hooks.Hooks;
import dev.hooks.endpoints.EndpointStore;
import dev.hooks.ingress.Endpoint;
import dev.hooks.parsers.PayloadParsers;
import dev.hooks.signatures.SignatureVerifiers;
import dev.hooks.state.StateStore;
import dev.hooks.verify.Secret;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-service webhooks of push-to-deploy: for a service and a provider, the hooks endpoint
 * {@code deploy-<service>-<provider>} ({@code POST /hooks/deploy-<service>-<provider>}) verified
 * as that provider signs with a generated secret. The secrets are entries of kind {@value
 * EndpointStore#DEPLOY} of the {@link EndpointStore} the hub and alert endpoints share, sealed
 * with its key, every creation and rotation in its audit log.
 *
 * <p>{@link #secret} makes the secret on first ask and answers the same one after (also after a
 * restart, and to another replica on the same store); only {@link #rotate} replaces it, and the
 * previous secret stops verifying at once.
 *
 * <p>Thread-safe.
 *
 * <pre>{@code
 * DeployWebhooks webhooks = new DeployWebhooks(registry, clock);
 * webhooks.start(hooks, List.of("web"));            // registers the stored ones
 * String secret = webhooks.secret("token:admin", "web", "github");
 * }</pre>
 */
public final class DeployWebhooks {
  /** Providers with both a push parser and a signature scheme of the same name. */
  public static final List<String> PROVIDERS = List.of("github", "gitlab", "bitbucket", "gitea", "forgejo");

  private static final Logger LOG = LoggerFactory.getLogger(DeployWebhooks.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final EndpointStore registry;
  private final Clock clock;
  private volatile @Nullable Hooks hooks;

  public DeployWebhooks(EndpointStore registry, Clock clock) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The hooks endpoint id of {@code service}'s webhook for {@code provider}. */
  public static String endpointId(String service, String provider) {
    return "deploy-" + service + "-" + provider;
  }

  /**
   * Registers the stored webhooks of {@code services} in {@code hooks}' endpoints, after moving
   * secrets a previous version kept in plain text under {@code deploy/<service>/secret/<provider>}
   * of {@code legacy} into the registry.
   */
  public void start(Hooks hooks, Collection<String> services, @Nullable StateStore legacy) {
    this.hooks = Objects.requireNonNull(hooks, "hooks");
    for (String service : services) {
      for (String provider : PROVIDERS) {
        if (legacy != null) {
          migrate(legacy, service, provider);
        }
        stored(service, provider).ifPresent(s -> register(service, provider, s));
      }
    }
  }

  private void migrate(StateStore legacy, String service, String provider) {
    String key = "deploy/" + service + "/secret/" + provider;
    Optional<StateStore.Versioned> old = legacy.get(key);
    if (old.isEmpty()) {
      return;
    }
    if (stored(service, provider).isEmpty()) {
      registry.create(EndpointStore.DEPLOY, id(service, provider), json(service, provider, old.get().value()));
      registry.audit("migration", "create", EndpointStore.DEPLOY, id(service, provider), Map.of());
      LOG.info("deploy webhook secret of {} for {} moved into the endpoint registry", service, provider);
    }
    legacy.delete(key, old.get().version());
  }

  /**
   * The secret of {@code service}'s webhook for {@code provider}: the stored one, or a new one (32
   * bytes of {@link SecureRandom} in hex) made, stored and registered now.
   *
   * @param actor who asked, for the audit log when a secret is made
   * @throws IllegalArgumentException if {@code provider} is not one of {@link #PROVIDERS}
   */
  public String secret(String actor, String service, String provider) {
    check(provider);
    Optional<String> kept = stored(service, provider);
    String secret;
    if (kept.isPresent()) {
      secret = kept.get();
    } else {
      String made = newSecret();
      if (registry.create(EndpointStore.DEPLOY, id(service, provider), json(service, provider, made)).isPresent()) {
        secret = made;
        registry.audit(actor, "create", EndpointStore.DEPLOY, id(service, provider), Map.of());
      } else {
        // another process made it first: its secret is the one
        secret = stored(service, provider).orElseThrow();
      }
    }
    register(service, provider, secret);
    return secret;
  }

  /**
   * Replaces the secret of {@code service}'s webhook for {@code provider} with a new one; the
   * previous one no longer verifies.
   *
   * @return the new secret
   * @throws IllegalArgumentException if {@code provider} is not one of {@link #PROVIDERS}
   * @throws IllegalStateException if another process changed the secret meanwhile
   */
  public String rotate(String actor, String service, String provider) {
    check(provider);
    String made = newSecret();
    Optional<StateStore.Versioned> current = registry.get(EndpointStore.DEPLOY, id(service, provider));
    OptionalLong v = current.isEmpty()
        ? registry.create(EndpointStore.DEPLOY, id(service, provider), json(service, provider, made))
        : registry.replace(EndpointStore.DEPLOY, id(service, provider), current.get().version(), json(service, provider, made));
    if (v.isEmpty()) {
      throw new IllegalStateException("the secret of " + service + " for " + provider + " was changed by another process; retry");
    }
    registry.audit(actor, "rotate", EndpointStore.DEPLOY, id(service, provider), Map.of());
    register(service, provider, made);
    LOG.info("deploy webhook secret of {} for {} rotated", service, provider);
    return made;
  }

  private Optional<String> stored(String service, String provider) {
    return registry.get(EndpointStore.DEPLOY, id(service, provider)).map(v -> {
      try {
        JsonNode n = JSON.readTree(v.value());
        return n.path("secret").asText();
      } catch (IOException e) {
        throw new IllegalStateException("deploy webhook entry of " + service + " for " + provider + " is not JSON", e);
      }
    });
  }

  private void register(String service, String provider, String secret) {
    Hooks h = hooks;
    if (h == null) {
      return;
    }
    h.endpoints().put(Endpoint.builder(endpointId(service, provider))
        .provider(provider)
        .parser(PayloadParsers.forProvider(provider))
        .verifier(SignatureVerifiers.forScheme(provider, List.of(Secret.of(secret)), Map.of(), clock))
        .build());
  }

  private String json(String service, String provider, String secret) {
    ObjectNode n = JSON.createObjectNode().put("service", service).put("provider", provider).put("secret", secret)
        .put("created", clock.instant().toString());
    return n.toString();
  }

  // the provider has no '.', so the id splits unambiguously at its last one
  private static String id(String service, String provider) {
    return service + "." + provider;
  }

  private static void check(String provider) {
    if (!PROVIDERS.contains(provider)) {
      throw new IllegalArgumentException("provider must be one of " + PROVIDERS);
    }
  }

  private static String newSecret() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  @Override
  public String toString() {
    return "DeployWebhooks[" + registry + "]";
  }
}
