package dev.hooks.server;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.EagerContentHandler;
import org.eclipse.jetty.server.handler.MinimumDataRateHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives a request's whole body before the application sees the request, without holding a
 * thread while it arrives, and closes the connection of a request whose body has not arrived
 * within the deadline. A client that trickles its body therefore costs a socket, never a request
 * thread, and for a bounded time; a body arriving slower than the minimum data rate is cut off
 * sooner. Thread-safe.
 *
 * <p>The deadline is kept by one sweep over the requests still receiving, every tenth of the
 * deadline (10 ms to 1 s) on the server's scheduler, rather than by a timer per request: a request costs a set insert and
 * remove instead of a scheduled task whose cancel wakes the scheduler's thread. A connection is
 * therefore closed between the deadline and a tenth of it later.
 */
final class BodyDeadlineHandler extends Handler.Wrapper {
  private static final Logger LOG = LoggerFactory.getLogger(BodyDeadlineHandler.class);
  private static final String RECEIVING = BodyDeadlineHandler.class.getName() + ".receiving";

  private final Duration deadline;
  private final long sweepMillis;
  private final long maxBufferedBytes;
  private final BodyReceived direct;
  private final Set<Receiving> receiving = ConcurrentHashMap.newKeySet();
  private Scheduler scheduler;
  private volatile Scheduler.@Nullable Task sweep;

  /**
   * @param maxBufferedBytes the most body bytes received before the application is called; a
   *     body declared larger reaches the application at once, a chunked one once this much
   *     arrived (ingress enforces its own limit either way)
   */
  BodyDeadlineHandler(Handler application, Duration deadline, long maxBufferedBytes, long minDataRate) {
    this.deadline = deadline;
    this.sweepMillis = Math.max(10, Math.min(1000, deadline.toMillis() / 10));
    this.maxBufferedBytes = maxBufferedBytes;
    this.direct = new BodyReceived(application, receiving);
    EagerContentHandler eager = new EagerContentHandler(direct,
        new EagerContentHandler.RetainedContentLoaderFactory(maxBufferedBytes, -1, false));
    // Jetty 12 core reads bodies outside the servlet: the rate is enforced by its handler, not by HttpConfiguration.
    setHandler(minDataRate > 0 ? new MinimumDataRateHandler(eager, minDataRate, 0) : eager);
  }

  @Override
  protected void doStart() throws Exception {
    super.doStart();
    scheduler = getServer().getScheduler();
    sweepLater();
  }

  @Override
  protected void doStop() throws Exception {
    Scheduler.Task task = sweep;
    if (task != null) {
      task.cancel();
    }
    receiving.clear();
    super.doStop();
  }

  private void sweepLater() {
    sweep = scheduler.schedule(this::sweep, sweepMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    Receiving r = new Receiving(request, System.nanoTime() + deadline.toNanos());
    receiving.add(r);
    request.setAttribute(RECEIVING, r);
    Callback done = Callback.from(callback, () -> receiving.remove(r));
    boolean handled;
    try {
      // A declared length past the buffer goes on at once: ingress refuses it (413) before reading.
      handled = request.getLength() > maxBufferedBytes
          ? direct.handle(request, response, done)
          : super.handle(request, response, done);
    } catch (Exception | Error e) {
      receiving.remove(r);
      throw e;
    }
    if (!handled) {
      receiving.remove(r);
    }
    return handled;
  }

  /** Closes the connections of requests whose body is still arriving past the deadline, then runs again. */
  private void sweep() {
    long now = System.nanoTime();
    for (Receiving r : receiving) {
      if (now - r.expiresAt >= 0 && receiving.remove(r)) {
        try {
          LOG.debug("request body from {} not received within {}: closing the connection",
              Request.getRemoteAddr(r.request), deadline);
          r.request.getConnectionMetaData().getConnection().getEndPoint().close();
        } catch (RuntimeException e) {
          LOG.debug("closing a connection past the body deadline: {}", e.toString());
        }
      }
    }
    if (isRunning()) {
      sweepLater();
    }
  }

  /** A request whose body has not all arrived; identity equality. */
  private static final class Receiving {
    final Request request;
    final long expiresAt;

    Receiving(Request request, long expiresAt) {
      this.request = request;
      this.expiresAt = expiresAt;
    }
  }

  /** Reached once the body is in: the deadline no longer applies. */
  private static final class BodyReceived extends Handler.Wrapper {
    private final Set<Receiving> receiving;

    BodyReceived(Handler application, Set<Receiving> receiving) {
      super(application);
      this.receiving = receiving;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      if (request.getAttribute(RECEIVING) instanceof Receiving r) {
        receiving.remove(r);
      }
      return super.handle(request, response, callback);
    }
  }
}
