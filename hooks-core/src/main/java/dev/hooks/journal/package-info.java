/** Stage 6 of ingress: the durable record of accepted deliveries that dispatch works from. */
@NullMarked
package dev.hooks.journal;

import org.jspecify.annotations.NullMarked;
