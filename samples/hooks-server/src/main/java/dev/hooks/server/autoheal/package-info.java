/**
 * The {@code autoheal} preset of the sample server: a drop-in replacement for the autoheal
 * webhook listener, with the listener's environment variables, port and routes, on hooks'
 * ingress, journal and hooks-remediation. Start it with {@code --preset autoheal} or {@code
 * HOOKS_PRESET=autoheal}; {@link dev.hooks.server.autoheal.AutohealServer} is the entry point.
 */
@NullMarked
package dev.hooks.server.autoheal;

import org.jspecify.annotations.NullMarked;
