package dev.hooks.deploy;

/**
 * Told of every step of every deployment, in order per service. {@link DeployNotifications}
 * sends them through hooks-notify's targets.
 *
 * <p>Contract: called on the service's pipeline thread; must be fast (enqueue, do not send);
 * an exception is logged and does not stop the deployment.
 */
@FunctionalInterface
public interface DeployListener {

  void onEvent(DeployEvent event);
}
