package dev.hooks.ingress;

import dev.hooks.parse.PayloadParser;
import dev.hooks.verify.SignatureVerifier;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One place webhooks are sent to, {@code POST /hooks/{id}}: who sends (provider), how they are
 * proven authentic (verifier), how they are read (parser) and the limits that apply. Immutable
 * and thread-safe.
 *
 * <pre>{@code
 * Endpoint github = Endpoint.builder("github")
 *     .provider("github")
 *     .verifier(SignatureVerifiers.githubSha256(List.of(Secret.of(System.getenv("GITHUB_WEBHOOK_SECRET")))))
 *     .parser(new GitHubPayloadParser())
 *     .maxBodyBytes(1 << 20)
 *     .build();
 * }</pre>
 */
public final class Endpoint {
  /** 1 MiB: GitHub's pushes of 20 commits are ~30 KB; raise it for larger senders. */
  public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  /** A header whose lower-case name contains one of these is secret. */
  private static final String[] SECRET_MARKERS =
      {"signature", "token", "secret", "authorization", "password", "api-key", "apikey", "x-hub-"};

  private final String id;
  private final String provider;
  private final SignatureVerifier verifier;
  private final PayloadParser parser;
  private final int maxBodyBytes;
  private final List<CidrRange> allowedCidrs;
  private final boolean enabled;
  private final Set<String> secretHeaders;

  private Endpoint(Builder b) {
    this.id = b.id;
    this.provider = Objects.requireNonNull(b.provider, () -> "endpoint '" + b.id + "' has no provider");
    this.verifier = Objects.requireNonNull(b.verifier,
        () -> "endpoint '" + b.id + "' has no verifier; set one, or SignatureVerifier.none() for an unsigned endpoint");
    this.parser = Objects.requireNonNull(b.parser, () -> "endpoint '" + b.id + "' has no parser");
    if (b.maxBodyBytes <= 0) {
      throw new IllegalArgumentException("endpoint '" + b.id + "': max body bytes must be positive");
    }
    this.maxBodyBytes = b.maxBodyBytes;
    this.allowedCidrs = List.copyOf(b.allowedCidrs);
    this.enabled = b.enabled;
    this.secretHeaders = Set.copyOf(b.secretHeaders);
  }

  /**
   * @throws IllegalArgumentException if {@code id} is not 1 to 128 letters, digits, dots,
   *     dashes or underscores
   */
  public static Builder builder(String id) {
    return new Builder(id);
  }

  public Builder toBuilder() {
    Builder b = new Builder(id).provider(provider).verifier(verifier).parser(parser).maxBodyBytes(maxBodyBytes).enabled(enabled);
    b.allowedCidrs.addAll(allowedCidrs);
    b.secretHeaders.addAll(secretHeaders);
    return b;
  }

  public String id() {
    return id;
  }

  public String provider() {
    return provider;
  }

  public SignatureVerifier verifier() {
    return verifier;
  }

  public PayloadParser parser() {
    return parser;
  }

  public int maxBodyBytes() {
    return maxBodyBytes;
  }

  /** The client ranges allowed to send; empty allows every client. */
  public List<CidrRange> allowedCidrs() {
    return allowedCidrs;
  }

  /** Whether the endpoint takes deliveries; a disabled endpoint answers 404. */
  public boolean enabled() {
    return enabled;
  }

  /**
   * Whether the value of header {@code name} must not be stored or logged: signature, token,
   * secret and authorization headers, and any named with {@code Builder.secretHeader}.
   */
  public boolean isSecretHeader(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (secretHeaders.contains(n)) {
      return true;
    }
    for (String marker : SECRET_MARKERS) {
      if (n.contains(marker)) {
        return true;
      }
    }
    return false;
  }

  /** Whether a client at {@code address} may send; an unknown address passes only when no range is set. */
  public boolean allows(java.net.@Nullable InetAddress address) {
    if (allowedCidrs.isEmpty()) {
      return true;
    }
    if (address == null) {
      return false;
    }
    for (CidrRange r : allowedCidrs) {
      if (r.contains(address)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "Endpoint[" + id + ", " + provider + ", " + verifier.name() + "]";
  }

  /** Not thread-safe. */
  public static final class Builder {
    private final String id;
    private @Nullable String provider;
    private @Nullable SignatureVerifier verifier;
    private @Nullable PayloadParser parser;
    private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private final List<CidrRange> allowedCidrs = new ArrayList<>();
    private boolean enabled = true;
    private final Set<String> secretHeaders = new LinkedHashSet<>();

    private Builder(String id) {
      if (!ID.matcher(id).matches()) {
        throw new IllegalArgumentException("endpoint id '" + id + "' must be 1 to 128 letters, digits, '.', '-' or '_'");
      }
      this.id = id;
    }

    public Builder provider(String provider) {
      this.provider = provider;
      return this;
    }

    public Builder verifier(SignatureVerifier verifier) {
      this.verifier = verifier;
      return this;
    }

    public Builder parser(PayloadParser parser) {
      this.parser = parser;
      return this;
    }

    public Builder maxBodyBytes(int maxBodyBytes) {
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    /**
     * @throws IllegalArgumentException if a range is malformed
     */
    public Builder allowCidr(String... cidrs) {
      for (String c : cidrs) {
        allowedCidrs.add(CidrRange.parse(c));
      }
      return this;
    }

    public Builder enabled(boolean enabled) {
      this.enabled = enabled;
      return this;
    }

    /** One more header whose value is redacted in the journal and logs. */
    public Builder secretHeader(String name) {
      secretHeaders.add(name.toLowerCase(Locale.ROOT));
      return this;
    }

    /**
     * @throws NullPointerException naming the missing part if provider, verifier or parser is unset
     */
    public Endpoint build() {
      return new Endpoint(this);
    }
  }
}
