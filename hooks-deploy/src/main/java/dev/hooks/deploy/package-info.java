/**
 * Push to deploy: a verified push to a service's watched branch is checked out at its exact
 * commit (JGit), built into an image ({@link dev.hooks.deploy.ImageBuilder}, Docker by default),
 * started beside the running deployment, gated on its health and then given the service's
 * network alias, or stopped while the running deployment keeps serving.
 *
 * <p>Entry point: {@link dev.hooks.deploy.Deployer}.
 */
@NullMarked
package dev.hooks.deploy;

import org.jspecify.annotations.NullMarked;
