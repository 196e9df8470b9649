package dev.hooks.ingress;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One answered request, as an {@link IngressListener} sees it. Holds no header or body, so it
 * can be shown to operators as it is.
 *
 * @param endpointId the endpoint the request named (possibly unknown to the registry)
 * @param requestId the id answered: the new entry's, the first delivery's for a duplicate, or
 *     the rejection's
 * @param status the HTTP status answered: 202 accepted, 200 duplicate, 4xx/5xx rejected
 * @param error the rejection's code (such as {@code unauthorized}), null when stored
 * @param eventType the stored event's normalized type (such as {@code push}), null when rejected
 * @param receivedAt when the request arrived
 * @param nanos how long ingress took to answer
 */
public record IngressObservation(
    String endpointId,
    String requestId,
    int status,
    @Nullable String error,
    @Nullable String eventType,
    Instant receivedAt,
    long nanos) {

  /** Whether the delivery is stored: accepted now or before. */
  public boolean isStored() {
    return status == 202 || status == 200;
  }
}
