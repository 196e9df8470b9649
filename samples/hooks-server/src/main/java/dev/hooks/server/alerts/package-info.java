/**
 * The {@code alerts:} section of hooks-server: HookWise-compatible alert endpoints ({@code POST
 * /webhook/{id}} with a bearer token), the alert router of hooks-alerts with its sinks,
 * maintenance and history routes. See {@code docs/examples/alerts-connectwise.yaml}.
 */
@NullMarked
package dev.hooks.server.alerts;

import org.jspecify.annotations.NullMarked;
