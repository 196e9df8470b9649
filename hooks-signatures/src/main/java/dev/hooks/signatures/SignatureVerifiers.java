package dev.hooks.signatures;

import dev.hooks.ingress.CidrRange;
import dev.hooks.signatures.internal.AllOfVerifier;
import dev.hooks.signatures.internal.CidrVerifier;
import dev.hooks.signatures.internal.DiscordVerifier;
import dev.hooks.signatures.internal.GitLabVerifier;
import dev.hooks.signatures.internal.HmacSchemes;
import dev.hooks.signatures.internal.SnsVerifier;
import dev.hooks.signatures.internal.StandardWebhooksVerifier;
import dev.hooks.signatures.internal.TokenVerifier;
import dev.hooks.signatures.internal.TwilioVerifier;
import dev.hooks.verify.Secret;
import dev.hooks.verify.SignatureVerifier;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a {@link SignatureVerifier} for each webhook signing scheme, by method or by scheme name
 * (for configuration files). Every verifier it makes is immutable and thread-safe, works on the
 * raw body, compares decoded bytes in constant time, tries every secret (rotation: a secret with
 * {@link Secret#notAfter} stops being accepted after that instant) and every signature in a
 * header, and reads time only from the given {@link Clock}.
 *
 * <pre>{@code
 * SignatureVerifier github = SignatureVerifiers.githubSha256(List.of(Secret.of(System.getenv("GITHUB_WEBHOOK_SECRET"))));
 * SignatureVerifier fromYaml = SignatureVerifiers.forScheme("stripe", secrets, Map.of("tolerance", "PT5M"), Clock.systemUTC());
 * }</pre>
 *
 * <p>A verifier that needs secrets refuses an empty list with an {@link IllegalArgumentException}
 * that says what to set, so that a misconfigured endpoint fails at start, not at the first request.
 */
public final class SignatureVerifiers {
  /** The default replay window of the timestamped schemes (Standard Webhooks, Svix, Stripe, Slack...). */
  public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);
  /** Linear's documented window: one minute. */
  public static final Duration LINEAR_TOLERANCE = Duration.ofMinutes(1);
  /** Grafana's default signature header. */
  public static final String GRAFANA_HEADER = "X-Grafana-Alerting-Signature";

  private static final Logger LOG = LoggerFactory.getLogger(SignatureVerifiers.class);
  private static final Map<String, Set<String>> OPTIONS = options();

  private SignatureVerifiers() {}

  // ---------------------------------------------------------------- forges

  /**
   * GitHub {@code X-Hub-Signature-256: sha256=<hex>}, the HMAC-SHA256 of the raw body.
   *
   * @throws IllegalArgumentException if {@code secrets} is empty
   */
  public static SignatureVerifier githubSha256(List<Secret> secrets) {
    return githubSha256(secrets, Clock.systemUTC());
  }

  /** As {@link #githubSha256} with the clock that decides when a secret's {@code notAfter} has passed. */
  public static SignatureVerifier githubSha256(List<Secret> secrets, Clock clock) {
    return HmacSchemes.prefixed("github-sha256", need("github", secrets), HmacAlgorithm.SHA256,
        "X-Hub-Signature-256", "sha256=", SignatureEncoding.HEX, clock);
  }

  /**
   * GitHub's legacy {@code X-Hub-Signature: sha1=<hex>}; prefer {@link #githubSha256}.
   *
   * @throws IllegalArgumentException if {@code secrets} is empty
   */
  public static SignatureVerifier githubSha1(List<Secret> secrets) {
    return githubSha1(secrets, Clock.systemUTC());
  }

  /** As {@link #githubSha1} with the clock that decides when a secret's {@code notAfter} has passed. */
  public static SignatureVerifier githubSha1(List<Secret> secrets, Clock clock) {
    return HmacSchemes.prefixed("github-sha1", need("github-sha1", secrets), HmacAlgorithm.SHA1,
        "X-Hub-Signature", "sha1=", SignatureEncoding.HEX, clock);
  }

  /**
   * GitLab: {@code X-Gitlab-Token} compared with the secrets, or, when the delivery carries
   * {@code webhook-signature}, Standard Webhooks v1 with the webhook's signing token
   * ({@code whsec_...} secrets).
   *
   * @throws IllegalArgumentException if {@code secrets} is empty or a {@code whsec_} secret is not base64
   */
  public static SignatureVerifier gitlab(List<Secret> secrets, Clock clock) {
    return new GitLabVerifier(need("gitlab", secrets), DEFAULT_TOLERANCE, clock);
  }

  /** {@link #gitlab(List, Clock)} on the system clock. */
  public static SignatureVerifier gitlab(List<Secret> secrets) {
    return gitlab(secrets, Clock.systemUTC());
  }

  /**
   * Only GitLab's {@code X-Gitlab-Token}.
   *
   * @throws IllegalArgumentException if {@code secrets} is empty
   */
  public static SignatureVerifier gitlabToken(List<Secret> secrets) {
    return gitlabToken(secrets, Clock.systemUTC());
  }

  /** As {@link #gitlabToken} with the clock that decides when a secret's {@code notAfter} has passed. */
  public static SignatureVerifier gitlabToken(List<Secret> secrets, Clock clock) {
    return new TokenVerifier("gitlab", TokenVerifier.Style.HEADER, "X-Gitlab-Token", "", need("gitlab", secrets), clock);
  }

  /**
   * Bitbucket Cloud and Data Center: {@code X-Hub-Signature: sha256=<hex>}.
   *
   * @throws IllegalArgumentException if {@code secrets} is empty
   */
  public static SignatureVerifier bitbucket(List<Secret> secrets) {
    return bitbucket(secrets, Clock.systemUTC());
  }

  /** As {@link #bitbucket} with the clock that decides when a secret's {@code notAfter} has passed. */
  public static SignatureVerifier bitbucket(List<Secret> secrets, Clock clock) {
    return HmacSchemes.prefixed("bitbucket", need("bitbucket", secrets), HmacAlgorithm.SHA256,
        "X-Hub-Signature", "sha256=", SignatureEncoding.HEX, clock);
  }

  /**
   * Gitea, Forgejo and Gogs: bare hex HMAC-SHA256 in {@code X-Gitea-Signature},
   * {@code X-Forgejo-Signature} or {@code X-Gogs-Signature}, or {@code X-Hub-Signature-256}.
   *
   * @throws IllegalArgumentException if {@code secrets} is empty
   */
  public static SignatureVerifier gitea(List<Secret> secrets) {
    return gitea(secrets, Clock.systemUTC());
  }

  /** As {@link #gitea} with the clock that decides when a secret's {@code notAfter} has passed. */
  public static SignatureVerifier gitea(List<Secret> secrets, Clock clock) {
    return HmacSchemes.gitea(need("gitea", secrets), clock);
  }

  // ---------------------------------------------------------------- Standard Webhooks family

  /**
   * Standard Webhooks v1 ({@code whsec_...} HMAC secrets) and v1a ({@code whpk_...} Ed25519
   * public keys, raw or SubjectPublicKeyInfo), headers {@code webhook-id},
   * {@code webhook-timestamp}, {@code webhook-signature}.
   *
   * @throws IllegalArgumentException if {@code secrets} is empty or a secret is not in one of those forms
   */
  public static SignatureVerifier standardWebhooks(List<Secret> secrets, Duration tolerance, Clock clock) {
    return StandardWebhooksVerifier.create("standard-webhooks", need("standard-webhooks", secrets), tolerance, clock, "webhook-");
  }

  /** {@link #standardWebhooks(List, Duration, Clock)} with the 5-minute window. */
  public static SignatureVerifier standardWebhooks(List<Secret> secrets, Clock clock) {
    return standardWebhooks(secrets, DEFAULT_TOLERANCE, clock);
  }

  /** {@link #standardWebhooks(List, Duration, Clock)} with the 5-minute window on the system clock. */
  public static SignatureVerifier standardWebhooks(List<Secret> secrets) {
    return standardWebhooks(secrets, DEFAULT_TOLERANCE, Clock.systemUTC());
  }

  /**
   * Svix: Standard Webhooks with {@code svix-id}, {@code svix-timestamp},
   * {@code svix-signature} (the unbranded {@code webhook-} headers are accepted too).
   *
   * @throws IllegalArgumentException if {@code secrets} is empty or a secret is not {@code whsec_<base64>}
   */
  public static SignatureVerifier svix(List<Secret> secrets, Duration tolerance, Clock clock) {
    return StandardWebhooksVerifier.create("svix", need("svix", secrets), tolerance, clock, "svix-", "webhook-");
  }

  /** {@link #svix(List, Duration, Clock)} with the 5-minute window. */
  public static SignatureVerifier svix(List<Secret> secrets, Clock clock) {
    return svix(secrets, DEFAULT_TOLERANCE, clock);
  }

  /** {@link #svix(List, Duration, Clock)} with the 5-minute window on the system clock. */
  public static SignatureVerifier svix(List<Secret> secrets) {
    return svix(secrets, DEFAULT_TOLERANCE, Clock.systemUTC());
  }

  // ---------------------------------------------------------------- timestamped HMAC

  /**
   * Stripe {@code Stripe-Signature: t=..,v1=..} over {@code t.body}; the endpoint secret
   * {@code whsec_...} is the key as written.
   *
   * @throws IllegalArgumentException if {@code secrets} is empty
   */
  public static SignatureVerifier stripe(List<Secret> secrets, Duration tolerance, Clock clock) {
    return HmacSchemes.stripe(need("stripe", secrets), tolerance, clock);
  }

  /** {@link #stripe(List, Duration, Clock)} with the 5-minute window. */
  public static SignatureVerifier stripe(List<Secret> secrets, Clock clock) {
    return stripe(secrets, DEFAULT_TOLERANCE, clock);
  }

  /**
   * Slack {@code X-Slack-Signature: v0=<hex>} over {@code v0:<X-Slack-Request-Timestamp>:body}.
   *
   * @throws IllegalArgumentException if {@code secrets} is empty
   */
  public static SignatureVerifier slack(List<Secret> secrets, Duration tolerance, Clock clock) {
    return HmacSchemes.slack(need("slack", secrets), tolerance, clock);
  }

  /** {@link #slack(List, Duration, Clock)} with the 5-minute window. */
  public static SignatureVerifier slack(List<Secret> secrets, Clock clock) {
    return slack(secrets, DEFAULT_TOLERANCE, clock);
  }

  /**
   * Linear {@code Linear-Signature: <hex>}; the body's {@code webhookTimestamp} must be within
   * {@code tolerance} (Linear documents one minute).
   *
   * @throws IllegalArgumentException if {@code secrets} is empty
   */
  public static SignatureVerifier linear(List<Secret> secrets, Duration tolerance, Clock clock) {
    return HmacSchemes.linear(need("linear", secrets), tolerance, clock);
  }

  /** {@link #linear(List, Duration, Clock)} with Linear's one-minute window. */
  public static SignatureVerifier linear(List<Secret> secrets, Clock clock) {
    return linear(secrets, LINEAR_TOLERANCE, clock);
  }

  /**
   * Mailgun: the HMAC-SHA256 of {@code timestamp + token} with the webhook signing key, from the
   * JSON {@code signature} object or the form fields.
   *
   * @throws IllegalArgumentException if {@code secrets} is empty
   */
  public static SignatureVerifier mailgun(List<Secret> secrets, Duration tolerance, Clock clock) {
    return HmacSchemes.mailgun(need("mailgun", secrets), tolerance, clock);
  }

  /** {@link #mailgun(List, Duration, Clock)} with the 5-minute window. */
  public static SignatureVerifier mailgun(List<Secret> secrets, Clock clock) {
    return mailgun(secrets, DEFAULT_TOLERANCE, clock);
  }

  /**
   * Grafana alerting webhooks: bare hex HMAC-SHA256 in {@code header} (default
   * {@value #GRAFANA_HEADER}); when {@code timestampHeader} is set, over {@code ts:body} with the
   * replay window.
   *
   * @throws IllegalArgumentException if {@code secrets} is empty
   */
  public static SignatureVerifier grafana(List<Secret> secrets, String header, @Nullable String timestampHeader,
      Duration tolerance, Clock clock) {
    return HmacSchemes.grafana(need("grafana", secrets), header, timestampHeader, tolerance, clock);
  }

  /** Grafana with the default header and no timestamp. */
  public static SignatureVerifier grafana(List<Secret> secrets) {
    return grafana(secrets, GRAFANA_HEADER, null, DEFAULT_TOLERANCE, Clock.systemUTC());
  }

  /**
   * Convoy simple: {@code X-Convoy-Signature: <hex|base64>} of the body.
   *
   * @throws IllegalArgumentException if {@code secrets} is empty
   */
  public static SignatureVerifier convoy(List<Secret> secrets, HmacAlgorithm algorithm, SignatureEncoding encoding) {
    return convoy(secrets, algorithm, encoding, Clock.systemUTC());
  }

  /** As {@link #convoy} with the clock that decides when a secret's {@code notAfter} has passed. */
  public static SignatureVerifier convoy(List<Secret> secrets, HmacAlgorithm algorithm, SignatureEncoding encoding, Clock clock) {
    return HmacSchemes.prefixed("convoy", need("convoy", secrets), algorithm, "X-Convoy-Signature", "", encoding, clock);
  }

  /**
   * Convoy advanced: {@code X-Convoy-Signature: t=<seconds>,v1=<sig>,v1=<sig>} over {@code t,body}.
   *
   * @throws IllegalArgumentException if {@code secrets} is empty
   */
  public static SignatureVerifier convoyAdvanced(List<Secret> secrets, HmacAlgorithm algorithm, SignatureEncoding encoding,
      Duration tolerance, Clock clock) {
    return HmacSchemes.convoyAdvanced(need("convoy-advanced", secrets), algorithm, encoding, tolerance, clock);
  }

  // ---------------------------------------------------------------- body HMAC

  /**
   * Shopify {@code X-Shopify-Hmac-Sha256: <base64>}.
   *
   * @throws IllegalArgumentException if {@code secrets} is empty
   */
  public static SignatureVerifier shopify(List<Secret> secrets) {
    return shopify(secrets, Clock.systemUTC());
  }

  /** As {@link #shopify} with the clock that decides when a secret's {@code notAfter} has passed. */
  public static SignatureVerifier shopify(List<Secret> secrets, Clock clock) {
    return HmacSchemes.prefixed("shopify", need("shopify", secrets), HmacAlgorithm.SHA256,
        "X-Shopify-Hmac-Sha256", "", SignatureEncoding.BASE64, clock);
  }

  /**
   * Sentry integration platform {@code Sentry-Hook-Signature: <hex>}.
   *
   * @throws IllegalArgumentException if {@code secrets} is empty
   */
  public static SignatureVerifier sentry(List<Secret> secrets) {
    return sentry(secrets, Clock.systemUTC());
  }

  /** As {@link #sentry} with the clock that decides when a secret's {@code notAfter} has passed. */
  public static SignatureVerifier sentry(List<Secret> secrets, Clock clock) {
    return HmacSchemes.prefixed("sentry", need("sentry", secrets), HmacAlgorithm.SHA256,
        "Sentry-Hook-Signature", "", SignatureEncoding.HEX, clock);
  }

  /**
   * PagerDuty v3 {@code X-PagerDuty-Signature: v1=<hex>[,v1=<hex>]}.
   *
   * @throws IllegalArgumentException if {@code secrets} is empty
   */
  public static SignatureVerifier pagerDuty(List<Secret> secrets) {
    return pagerDuty(secrets, Clock.systemUTC());
  }

  /** As {@link #pagerDuty} with the clock that decides when a secret's {@code notAfter} has passed. */
  public static SignatureVerifier pagerDuty(List<Secret> secrets, Clock clock) {
    return HmacSchemes.versionedList("pagerduty", need("pagerduty", secrets), "X-PagerDuty-Signature", "v1", clock);
  }

  /**
   * CircleCI {@code circleci-signature: v1=<hex>}.
   *
   * @throws IllegalArgumentException if {@code secrets} is empty
   */
  public static SignatureVerifier circleCi(List<Secret> secrets) {
    return circleCi(secrets, Clock.systemUTC());
  }

  /** As {@link #circleCi} with the clock that decides when a secret's {@code notAfter} has passed. */
  public static SignatureVerifier circleCi(List<Secret> secrets, Clock clock) {
    return HmacSchemes.versionedList("circleci", need("circleci", secrets), "circleci-signature", "v1", clock);
  }

  /**
   * Twilio {@code X-Twilio-Signature} with the account's auth token(s); needs the delivery's
   * public URL exactly as configured in Twilio.
   *
   * @throws IllegalArgumentException if {@code authTokens} is empty
   */
  public static SignatureVerifier twilio(List<Secret> authTokens) {
    return twilio(authTokens, Clock.systemUTC());
  }

  /** As {@link #twilio} with the clock that decides when a secret's {@code notAfter} has passed. */
  public static SignatureVerifier twilio(List<Secret> authTokens, Clock clock) {
    return new TwilioVerifier(need("twilio", authTokens), clock);
  }

  /**
   * An HMAC of the body in one header, as {@code spec} describes.
   *
   * @throws IllegalArgumentException if {@code secrets} is empty
   */
  public static SignatureVerifier genericHmac(GenericHmacSpec spec, List<Secret> secrets) {
    return genericHmac(spec, secrets, Clock.systemUTC());
  }

  /** As {@link #genericHmac} with the clock that decides when a secret's {@code notAfter} has passed. */
  public static SignatureVerifier genericHmac(GenericHmacSpec spec, List<Secret> secrets, Clock clock) {
    return HmacSchemes.generic(spec, need("generic-hmac", secrets), clock);
  }

  // ---------------------------------------------------------------- Ed25519

  /**
   * Discord interactions: Ed25519 over {@code X-Signature-Timestamp + body}; the secrets are the
   * application's public key(s) in hex. {@code tolerance} null checks no window.
   *
   * @throws IllegalArgumentException if {@code publicKeys} is empty or a key is not 64 hex digits
   */
  public static SignatureVerifier discord(List<Secret> publicKeys, @Nullable Duration tolerance, Clock clock) {
    return new DiscordVerifier(need("discord", publicKeys), tolerance, clock);
  }

  /** {@link #discord(List, Duration, Clock)} without a window, as scheme {@code discord} has by default. */
  public static SignatureVerifier discord(List<Secret> publicKeys, Clock clock) {
    return discord(publicKeys, null, clock);
  }

  // ---------------------------------------------------------------- AWS SNS

  /**
   * AWS SNS HTTP(S) subscriptions: the RSA signature (SignatureVersion 1 or 2) of the message
   * fields, checked with the certificate at {@code SigningCertURL}, which is fetched only over
   * HTTPS from a host {@link SnsOptions#certificateHosts()} allows, never following redirects,
   * and cached. SNS uses no shared secret.
   */
  public static SignatureVerifier sns(SnsOptions options, Clock clock) {
    return new SnsVerifier(Objects.requireNonNull(options, "options"), Objects.requireNonNull(clock, "clock"));
  }

  // ---------------------------------------------------------------- tokens and addresses

  /**
   * {@code Authorization: Basic ...}; each secret is {@code user:password}.
   *
   * @throws IllegalArgumentException if {@code secrets} is empty
   */
  public static SignatureVerifier basic(List<Secret> secrets) {
    return basic(secrets, Clock.systemUTC());
  }

  /** As {@link #basic} with the clock that decides when a secret's {@code notAfter} has passed. */
  public static SignatureVerifier basic(List<Secret> secrets, Clock clock) {
    return new TokenVerifier("basic", TokenVerifier.Style.BASIC, "Authorization", "", need("basic", secrets), clock);
  }

  /**
   * {@code Authorization: Bearer <token>}.
   *
   * @throws IllegalArgumentException if {@code secrets} is empty
   */
  public static SignatureVerifier bearer(List<Secret> secrets) {
    return bearer(secrets, Clock.systemUTC());
  }

  /** As {@link #bearer} with the clock that decides when a secret's {@code notAfter} has passed. */
  public static SignatureVerifier bearer(List<Secret> secrets, Clock clock) {
    return new TokenVerifier("bearer", TokenVerifier.Style.BEARER, "Authorization", "", need("bearer", secrets), clock);
  }

  /**
   * A static token in {@code header}, after an optional fixed {@code prefix}.
   *
   * @throws IllegalArgumentException if {@code secrets} is empty or {@code header} is blank
   */
  public static SignatureVerifier headerToken(String header, String prefix, List<Secret> secrets) {
    return headerToken(header, prefix, secrets, Clock.systemUTC());
  }

  /** As {@link #headerToken} with the clock that decides when a secret's {@code notAfter} has passed. */
  public static SignatureVerifier headerToken(String header, String prefix, List<Secret> secrets, Clock clock) {
    if (header.isBlank()) {
      throw new IllegalArgumentException("header-token needs a header name; set option 'header'");
    }
    return new TokenVerifier("header-token", TokenVerifier.Style.HEADER, header.trim(), prefix, need("header-token", secrets), clock);
  }

  /**
   * Accepts only clients in the given ranges; rejects others as
   * {@link dev.hooks.verify.Verification.Reason#FORBIDDEN} (403). Combine with a signature
   * through {@link #allOf}.
   *
   * @throws IllegalArgumentException if {@code cidrs} is empty or a range is malformed
   */
  public static SignatureVerifier cidr(List<String> cidrs) {
    if (cidrs.isEmpty()) {
      throw new IllegalArgumentException("a CIDR allow-list needs at least one range; set option 'allow', e.g. 192.30.252.0/22");
    }
    List<CidrRange> ranges = new ArrayList<>();
    for (String c : cidrs) {
      ranges.add(CidrRange.parse(c));
    }
    return new CidrVerifier(ranges);
  }

  /**
   * Accepts a delivery only if every verifier does, checked in order; the first rejection is the answer.
   *
   * @throws IllegalArgumentException if no verifier is given
   */
  public static SignatureVerifier allOf(SignatureVerifier... verifiers) {
    if (verifiers.length == 0) {
      throw new IllegalArgumentException("allOf needs at least one verifier");
    }
    return verifiers.length == 1 ? verifiers[0] : new AllOfVerifier(Arrays.asList(verifiers));
  }

  // ---------------------------------------------------------------- by name

  /** The scheme names {@link #forScheme} knows, sorted. */
  public static Set<String> schemes() {
    return Collections.unmodifiableSet(new TreeSet<>(OPTIONS.keySet()));
  }

  /**
   * The verifier for a scheme named in configuration. Names and options are listed in the
   * module README; {@code tolerance} is seconds or an ISO-8601 duration such as {@code PT5M}.
   *
   * @param scheme such as {@code github}, {@code gitlab}, {@code standard-webhooks}, {@code stripe}
   * @param options scheme options, such as {@code header} for {@code generic-hmac}; unknown ones are refused
   * @throws IllegalArgumentException naming the fix for an unknown scheme, an unknown or bad
   *     option, an empty secret list where the scheme needs secrets, or a malformed secret
   */
  public static SignatureVerifier forScheme(String scheme, List<Secret> secrets, Map<String, String> options, Clock clock) {
    Objects.requireNonNull(clock, "clock");
    String s = scheme.trim().toLowerCase(Locale.ROOT);
    Set<String> known = OPTIONS.get(s);
    if (known == null) {
      throw new IllegalArgumentException("unknown signature scheme '" + scheme + "'; known: " + schemes());
    }
    for (String key : options.keySet()) {
      if (!known.contains(key)) {
        throw new IllegalArgumentException("unknown option '" + key + "' for scheme '" + s + "'; known: " + new TreeSet<>(known));
      }
    }
    SignatureVerifier v = build(s, secrets, options, clock);
    // Option values are header names and windows, never secrets.
    LOG.debug("signature scheme {} with {} secret(s) and options {}", s, secrets.size(), options);
    return v;
  }

  private static SignatureVerifier build(String s, List<Secret> secrets, Map<String, String> options, Clock clock) {
    Opts o = new Opts(s, options);
    if (!s.equals("none") && !s.equals("cidr") && !s.equals("sns")) {
      need(s, secrets);
    }
    switch (s) {
      case "github":
      case "github-sha256":
        return githubSha256(secrets, clock);
      case "github-sha1":
        return githubSha1(secrets, clock);
      case "gitlab":
        return new GitLabVerifier(need(s, secrets), o.tolerance(DEFAULT_TOLERANCE), clock);
      case "gitlab-token":
        return gitlabToken(secrets, clock);
      case "bitbucket":
        return bitbucket(secrets, clock);
      case "gitea":
      case "forgejo":
      case "gogs":
        return gitea(secrets, clock);
      case "standard-webhooks":
        return standardWebhooks(secrets, o.tolerance(DEFAULT_TOLERANCE), clock);
      case "svix":
        return svix(secrets, o.tolerance(DEFAULT_TOLERANCE), clock);
      case "stripe":
        return stripe(secrets, o.tolerance(DEFAULT_TOLERANCE), clock);
      case "slack":
        return slack(secrets, o.tolerance(DEFAULT_TOLERANCE), clock);
      case "linear":
        return linear(secrets, o.tolerance(LINEAR_TOLERANCE), clock);
      case "mailgun":
        return mailgun(secrets, o.tolerance(DEFAULT_TOLERANCE), clock);
      case "grafana":
        return grafana(secrets, o.get("header", GRAFANA_HEADER), o.get("timestamp-header", null),
            o.tolerance(DEFAULT_TOLERANCE), clock);
      case "convoy":
        return convoy(secrets, o.algorithm(), o.encoding(), clock);
      case "convoy-advanced":
        return convoyAdvanced(secrets, o.algorithm(), o.encoding(), o.tolerance(DEFAULT_TOLERANCE), clock);
      case "shopify":
        return shopify(secrets, clock);
      case "sentry":
        return sentry(secrets, clock);
      case "pagerduty":
        return pagerDuty(secrets, clock);
      case "circleci":
        return circleCi(secrets, clock);
      case "twilio":
        return twilio(secrets, clock);
      case "discord":
        return discord(secrets, options.containsKey("tolerance") ? o.tolerance(DEFAULT_TOLERANCE) : null, clock);
      case "generic-hmac":
        return genericHmac(GenericHmacSpec.builder(o.required("header", "X-Signature"))
            .algorithm(o.algorithm()).encoding(o.encoding()).prefix(o.raw("prefix")).build(), secrets, clock);
      case "basic":
        return basic(secrets, clock);
      case "bearer":
        return bearer(secrets, clock);
      case "header-token":
        return headerToken(o.required("header", "X-Webhook-Token"), o.raw("prefix"), secrets, clock);
      case "cidr":
        return cidr(Arrays.asList(o.required("allow", "192.30.252.0/22,2a0a:a440::/29").split("\\s*,\\s*")));
      case "none":
        return SignatureVerifier.none();
      case "sns":
        SnsOptions.Builder sns = SnsOptions.builder().tolerance(o.tolerance(SnsOptions.DEFAULT_TOLERANCE));
        String hosts = o.get("certificate-hosts", null);
        if (hosts != null) {
          sns.certificateHosts(java.util.regex.Pattern.compile(hosts));
        }
        String topics = o.get("topic-arns", null);
        if (topics != null) {
          for (String t : topics.split("\\s*,\\s*")) {
            sns.topicArn(t);
          }
        }
        return sns(sns.build(), clock);
      default:
        throw new IllegalStateException("scheme '" + s + "' is listed but not built");
    }
  }

  private static Map<String, Set<String>> options() {
    Map<String, Set<String>> m = new LinkedHashMap<>();
    Set<String> none = Set.of();
    Set<String> window = Set.of("tolerance");
    for (String s : List.of("github", "github-sha256", "github-sha1", "gitlab-token", "bitbucket", "gitea", "forgejo", "gogs",
        "shopify", "sentry", "pagerduty", "circleci", "twilio", "basic", "bearer", "none")) {
      m.put(s, none);
    }
    for (String s : List.of("gitlab", "standard-webhooks", "svix", "stripe", "slack", "linear", "mailgun", "discord")) {
      m.put(s, window);
    }
    m.put("grafana", Set.of("header", "timestamp-header", "tolerance"));
    m.put("convoy", Set.of("algorithm", "encoding"));
    m.put("convoy-advanced", Set.of("algorithm", "encoding", "tolerance"));
    m.put("generic-hmac", Set.of("header", "algorithm", "encoding", "prefix"));
    m.put("header-token", Set.of("header", "prefix"));
    m.put("cidr", Set.of("allow"));
    m.put("sns", Set.of("certificate-hosts", "topic-arns", "tolerance"));
    return m;
  }

  static List<Secret> need(String scheme, List<Secret> secrets) {
    Objects.requireNonNull(secrets, "secrets");
    if (secrets.isEmpty()) {
      throw new IllegalArgumentException("verifier '" + scheme + "' has no secret; set the endpoint's secret "
          + "(hooks.endpoints.<id>.secret, or 'secrets:' in the YAML file), or use scheme 'none' for an unsigned endpoint");
    }
    for (Secret s : secrets) {
      Objects.requireNonNull(s, "a secret in the list is null");
    }
    return List.copyOf(secrets);
  }

  /** Reads one scheme's options with messages that name the scheme and the fix. */
  private static final class Opts {
    private final String scheme;
    private final Map<String, String> values;

    Opts(String scheme, Map<String, String> values) {
      this.scheme = scheme;
      this.values = values;
    }

    @Nullable String get(String key, @Nullable String fallback) {
      String v = values.get(key);
      return v == null || v.isBlank() ? fallback : v.trim();
    }

    /** As written, spaces kept (a prefix such as {@code "token "}). */
    String raw(String key) {
      String v = values.get(key);
      return v == null ? "" : v;
    }

    String required(String key, String example) {
      String v = get(key, null);
      if (v == null) {
        throw new IllegalArgumentException("scheme '" + scheme + "' needs option '" + key + "', e.g. " + key + ": " + example);
      }
      return v;
    }

    HmacAlgorithm algorithm() {
      String v = get("algorithm", null);
      return v == null ? HmacAlgorithm.SHA256 : HmacAlgorithm.parse(v);
    }

    SignatureEncoding encoding() {
      String v = get("encoding", null);
      return v == null ? SignatureEncoding.HEX : SignatureEncoding.parse(v);
    }

    Duration tolerance(Duration fallback) {
      String v = get("tolerance", null);
      if (v == null) {
        return fallback;
      }
      Duration d;
      try {
        d = v.chars().allMatch(Character::isDigit) ? Duration.ofSeconds(Long.parseLong(v)) : Duration.parse(v);
      } catch (DateTimeParseException | NumberFormatException e) {
        throw new IllegalArgumentException("option 'tolerance' of scheme '" + scheme + "' is not seconds or an ISO-8601 duration such as PT5M: '" + v + "'");
      }
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("option 'tolerance' of scheme '" + scheme + "' must be positive");
      }
      return d;
    }
  }
}
