/**
 * Not API: the verifier implementations behind {@code dev.hooks.signatures.SignatureVerifiers}
 * and their helpers (strict decoding, MAC pooling, replay windows). May change in any release.
 */
@NullMarked
package dev.hooks.signatures.internal;

import org.jspecify.annotations.NullMarked;
