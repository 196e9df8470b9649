/** hooks: receive webhooks, prove them authentic, record them durably and act on them. */
@NullMarked
package dev.hooks;

import org.jspecify.annotations.NullMarked;
