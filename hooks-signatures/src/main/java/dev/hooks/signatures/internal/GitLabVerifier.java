package dev.hooks.signatures.internal;

import dev.hooks.event.Delivery;
import dev.hooks.verify.Secret;
import dev.hooks.verify.SignatureVerifier;
import dev.hooks.verify.Verification;
import dev.hooks.verify.Verification.Reason;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * GitLab: a delivery with {@code webhook-signature} was signed with the webhook's signing token
 * (Standard Webhooks v1, secrets {@code whsec_...}); any other is checked by its
 * {@code X-Gitlab-Token} against the other secrets. Thread-safe.
 */
public final class GitLabVerifier implements SignatureVerifier {
  private final @Nullable TokenVerifier token;
  private final @Nullable StandardWebhooksVerifier signing;

  public GitLabVerifier(List<Secret> secrets, Duration tolerance, Clock clock) {
    List<Secret> tokens = new ArrayList<>();
    List<Secret> signingTokens = new ArrayList<>();
    for (Secret s : secrets) {
      (s.asText().trim().startsWith("whsec_") ? signingTokens : tokens).add(s);
    }
    this.token = tokens.isEmpty() ? null
        : new TokenVerifier("gitlab", TokenVerifier.Style.HEADER, "X-Gitlab-Token", "", tokens, clock);
    this.signing = signingTokens.isEmpty() ? null
        : StandardWebhooksVerifier.create("gitlab", signingTokens, tolerance, clock, "webhook-");
  }

  @Override
  public Verification verify(Delivery d) {
    if (d.headers().contains("webhook-signature")) {
      return signing != null ? signing.verify(d)
          : Verification.rejected(Reason.MISMATCH, "gitlab: signed delivery but no signing token (whsec_...) is configured");
    }
    if (token == null) {
      return Verification.rejected(d.headers().contains("X-Gitlab-Token") ? Reason.MISMATCH : Reason.MISSING,
          "gitlab: webhook-signature is missing and only signing tokens are configured");
    }
    return token.verify(d);
  }

  @Override
  public String name() {
    return "gitlab";
  }

  @Override
  public String toString() {
    return "SignatureVerifier[gitlab]";
  }
}
