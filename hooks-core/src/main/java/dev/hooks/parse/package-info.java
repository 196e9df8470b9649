/** Stage 4 of ingress: turning an authentic delivery into a {@link dev.hooks.event.WebhookEvent}. */
@NullMarked
package dev.hooks.parse;

import org.jspecify.annotations.NullMarked;
