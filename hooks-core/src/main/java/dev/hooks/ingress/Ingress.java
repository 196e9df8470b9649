package dev.hooks.ingress;

import dev.hooks.dispatch.Dispatcher;
import dev.hooks.event.Delivery;
import dev.hooks.event.WebhookEvent;
import dev.hooks.ingress.IngressResult.Error;
import dev.hooks.internal.LogSafe;
import dev.hooks.internal.RequestIds;
import dev.hooks.journal.AppendResult;
import dev.hooks.journal.JournalBusyException;
import dev.hooks.journal.EventJournal;
import dev.hooks.journal.JournalEntry;
import dev.hooks.journal.JournalUnavailableException;
import dev.hooks.parse.ParseResult;
import dev.hooks.verify.Verification;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request-thread pipeline of one webhook: endpoint lookup, bounded read of the raw body,
 * verification, parsing, deduplication and journaling, then the answer of DESIGN's table. The
 * event is handed to the {@link Dispatcher} only once it is stored, so nothing answered 202 is
 * lost.
 *
 * <p>Cheap rejections come first (unknown endpoint, method, client address, declared length,
 * media type) so that a flood of bad requests costs little. Dispatch capacity is reserved only
 * after the body is read, verified and parsed, so that slow or unsigned clients never take the
 * room of signed deliveries (a full queue is the 429 of an authentic delivery). Thread-safe; one per
 * application.
 *
 * <pre>{@code
 * IngressResult r = ingress.accept(request);
 * response.setStatus(r.status());
 * }</pre>
 */
public final class Ingress {
  private static final Logger LOG = LoggerFactory.getLogger(Ingress.class);
  private static final int READ_CHUNK = 8192;
  private static final String RETRY_LATER = "too many deliveries in progress; retry later";

  private final EndpointRegistry endpoints;
  private final EventJournal journal;
  private final Dispatcher dispatcher;
  private final Clock clock;
  private final IngressStats stats = new IngressStats();
  private final List<IngressListener> listenerList = new ArrayList<>();
  /** The listeners as an array read once a request: empty, the request pays one volatile read. */
  private volatile IngressListener[] listeners = new IngressListener[0];

  /**
   * A new entry is leased to {@code dispatcher} for its {@link Dispatcher#lease()}, so no other
   * process takes it over while this one dispatches it.
   */
  public Ingress(EndpointRegistry endpoints, EventJournal journal, Dispatcher dispatcher, Clock clock) {
    this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
    this.journal = Objects.requireNonNull(journal, "journal");
    this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Counters of what was answered since start. */
  public IngressStats stats() {
    return stats;
  }

  /**
   * Takes one webhook request through the pipeline. Never throws for bad input: every outcome,
   * an unavailable journal included, is an {@link IngressResult}.
   */
  public IngressResult accept(InboundRequest request) {
    IngressListener[] observers = listeners;
    long start = observers.length == 0 ? 0 : System.nanoTime();
    Instant now = clock.instant();
    String requestId = RequestIds.next(now.toEpochMilli());
    IngressResult result = process(request, requestId, now);
    stats.record(result);
    if (observers.length != 0) {
      observe(observers, new IngressObservation(request.endpointId(), result.requestId(), result.status(),
          result.error().map(IngressResult.Error::code).orElse(null), result.eventType().orElse(null), now,
          System.nanoTime() - start));
    }
    return result;
  }

  /**
   * Adds a listener told of every request this ingress answers, on the request's thread right
   * after the answer is decided: it must not block (hand the observation to a bounded queue).
   * An exception it throws is logged and does not change the answer.
   *
   * @return closing it removes the listener
   */
  public AutoCloseable addListener(IngressListener listener) {
    Objects.requireNonNull(listener, "listener");
    synchronized (listenerList) {
      listenerList.add(listener);
      listeners = listenerList.toArray(IngressListener[]::new);
    }
    return () -> {
      synchronized (listenerList) {
        listenerList.remove(listener);
        listeners = listenerList.toArray(IngressListener[]::new);
      }
    };
  }

  private static void observe(IngressListener[] observers, IngressObservation observation) {
    for (IngressListener l : observers) {
      try {
        l.onResult(observation);
      } catch (RuntimeException e) {
        LOG.warn("ingress listener {} failed: {}", l.getClass().getName(), LogSafe.of(e.toString()));
      }
    }
  }

  private IngressResult process(InboundRequest request, String requestId, Instant now) {
    Optional<Endpoint> found = endpoints.find(request.endpointId()).filter(Endpoint::enabled);
    if (found.isEmpty()) {
      return IngressResult.rejected(Error.UNKNOWN_ENDPOINT, requestId, null);
    }
    Endpoint endpoint = found.get();
    if (!"POST".equals(request.method())) {
      return IngressResult.rejected(Error.METHOD_NOT_ALLOWED, requestId, null);
    }
    if (!endpoint.allows(request.remoteAddress())) {
      LOG.debug("{} {}: client {} not in the allowed ranges", requestId, endpoint.id(), request.remoteAddress());
      return IngressResult.rejected(Error.FORBIDDEN, requestId, null);
    }
    if (request.contentLength() > endpoint.maxBodyBytes()) {
      return tooLarge(endpoint, requestId);
    }
    String mediaType = request.headers().first("content-type").map(Delivery::mediaTypeOf).orElse("");
    if (!mediaType.isEmpty() && !endpoint.parser().mediaTypes().contains(mediaType)) {
      return IngressResult.rejected(Error.UNSUPPORTED_MEDIA_TYPE, requestId,
          "content type " + mediaType + " is not one of " + endpoint.parser().mediaTypes());
    }
    byte[] body;
    try {
      body = readBody(request, endpoint.maxBodyBytes());
    } catch (BodyTooLarge e) {
      return tooLarge(endpoint, requestId);
    } catch (IOException e) {
      LOG.debug("{} {}: body could not be read: {}", requestId, endpoint.id(), LogSafe.of(e.toString()));
      return IngressResult.rejected(Error.BAD_BODY, requestId, e instanceof TruncatedBody ? e.getMessage() : "body could not be read");
    }
    Delivery delivery = Delivery.builder(endpoint.id())
        .method(request.method())
        .url(request.url())
        .headers(request.headers())
        .body(body)
        .remoteAddress(request.remoteAddress())
        .receivedAt(now)
        .build();

    Verification verification = endpoint.verifier().verify(delivery);
    if (!verification.isOk()) {
      LOG.debug("{} {} rejected by {}: {} ({})", requestId, endpoint.id(), endpoint.verifier().name(),
          verification.reason(), LogSafe.of(String.valueOf(verification.detail())));
      return IngressResult.rejected(
          verification.reason() == Verification.Reason.FORBIDDEN ? Error.FORBIDDEN : Error.UNAUTHORIZED, requestId, null);
    }

    ParseResult parsed = endpoint.parser().parse(delivery);
    if (!parsed.isOk()) {
      LOG.debug("{} {}: unparseable: {}", requestId, endpoint.id(), LogSafe.of(String.valueOf(parsed.failure())));
      return IngressResult.rejected(Error.UNPARSEABLE, requestId, parsed.failure());
    }
    WebhookEvent event = parsed.event();

    // Capacity is taken only now, once the body is read and proven authentic: a slow or unsigned
    // client must never hold a slot that a signed delivery needs.
    if (!dispatcher.tryReserve()) {
      return IngressResult.rejected(Error.QUEUE_FULL, requestId, RETRY_LATER);
    }
    boolean handedOver = false;
    try {

      Delivery stored = delivery.toBuilder().headers(delivery.headers().redact(endpoint::isSecretHeader)).build();
      JournalEntry entry = JournalEntry.accepted(requestId, event.id(), stored, dispatcher.owner(), now.plus(dispatcher.lease()));
      AppendResult appended;
      try {
        appended = journal.append(entry);
      } catch (JournalBusyException e) {
        LOG.debug("{} {}: journal busy: {}", requestId, endpoint.id(), e.getMessage());
        return IngressResult.rejected(Error.QUEUE_FULL, requestId, RETRY_LATER);
      } catch (JournalUnavailableException e) {
        LOG.warn("{} {}: journal unavailable: {}", requestId, endpoint.id(), e.getMessage());
        return IngressResult.rejected(Error.JOURNAL_UNAVAILABLE, requestId, "cannot store deliveries now; retry later");
      }
      if (appended.duplicate()) {
        LOG.debug("{} {}: duplicate of {}", requestId, endpoint.id(), appended.requestId());
        return IngressResult.duplicate(appended.requestId(), event.type());
      }
      dispatcher.dispatch(entry, event);
      handedOver = true;
      return IngressResult.accepted(requestId, event.type());
    } finally {
      if (!handedOver) {
        dispatcher.release();
      }
    }
  }

  private static IngressResult tooLarge(Endpoint endpoint, String requestId) {
    return IngressResult.rejected(Error.BODY_TOO_LARGE, requestId, "body is over the limit of " + endpoint.maxBodyBytes() + " bytes");
  }

  /**
   * Reads the body: exactly Content-Length bytes when declared (fewer is a truncated body),
   * else up to the limit, counting as it reads (one byte past the limit is too large).
   */
  private static byte[] readBody(InboundRequest request, int limit) throws IOException {
    long declared = request.contentLength();
    try (InputStream in = request.body()) {
      if (declared >= 0) {
        byte[] body = new byte[(int) declared];
        int size = 0;
        while (size < body.length) {
          int n = in.read(body, size, body.length - size);
          if (n < 0) {
            throw new TruncatedBody("body ended after " + size + " of " + declared + " declared bytes");
          }
          size += n;
        }
        return body;
      }
      byte[] buf = new byte[Math.min(limit + 1, READ_CHUNK)];
      int size = 0;
      while (true) {
        if (size == buf.length) {
          if (size > limit) {
            throw new BodyTooLarge();
          }
          buf = Arrays.copyOf(buf, Math.min(limit + 1, buf.length * 2));
        }
        int n = in.read(buf, size, buf.length - size);
        if (n < 0) {
          break;
        }
        size += n;
      }
      if (size > limit) {
        throw new BodyTooLarge();
      }
      return Arrays.copyOf(buf, size);
    }
  }

  private static final class BodyTooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    BodyTooLarge() {
      super("body too large", null);
    }
  }

  private static final class TruncatedBody extends IOException {
    private static final long serialVersionUID = 1L;

    TruncatedBody(String message) {
      super(message);
    }
  }
}
