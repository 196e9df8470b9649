/**
 * The {@code deploy:} section of the server: its YAML binding, the wiring of a
 * {@link dev.hooks.deploy.Deployer} over the server's state store and outbox, and the admin
 * routes under {@code /admin/deploy/}.
 */
@NullMarked
package dev.hooks.server.deploy;

import org.jspecify.annotations.NullMarked;
