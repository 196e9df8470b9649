package dev.hooks.ingress;

/**
 * Told of every request an {@link Ingress} answers, such as an operator console's live feed.
 * Registered with {@link Ingress#addListener}; called on the request's thread, so it must
 * return at once (queue the observation, drop it when the queue is full) and be thread-safe.
 */
@FunctionalInterface
public interface IngressListener {
  void onResult(IngressObservation observation);
}
