/**
 * {@link dev.hooks.endpoints.hub.NotificationHub}: inbound endpoints and their notification routes
 * created, changed and removed at run time, persisted in a {@link dev.hooks.state.StateStore}.
 */
@NullMarked
package dev.hooks.endpoints.hub;

import org.jspecify.annotations.NullMarked;
