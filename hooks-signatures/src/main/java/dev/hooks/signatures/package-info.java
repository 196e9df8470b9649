/**
 * {@link dev.hooks.verify.SignatureVerifier} implementations for every common webhook signing
 * scheme, made by {@link dev.hooks.signatures.SignatureVerifiers}: HMAC schemes (GitHub, GitLab,
 * Bitbucket, Gitea, Standard Webhooks, Svix, Stripe, Slack, Shopify, Twilio, PagerDuty, CircleCI,
 * Linear, Sentry, Grafana, Mailgun, Convoy, generic), Ed25519 (Discord, Standard Webhooks v1a),
 * AWS SNS certificates, static tokens and client address ranges.
 *
 * <p>Every verifier works on the raw body bytes, compares decoded bytes in constant time, accepts
 * several secrets (rotation) and several signatures per header, and checks replay windows against
 * an injected {@link java.time.Clock}.
 */
@NullMarked
package dev.hooks.signatures;

import org.jspecify.annotations.NullMarked;
