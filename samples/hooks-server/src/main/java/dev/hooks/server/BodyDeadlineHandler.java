package dev.hooks.server;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
 */
final class BodyDeadlineHandler extends Handler.Wrapper {
  private static final Logger LOG = LoggerFactory.getLogger(BodyDeadlineHandler.class);
  private static final String TIMER = BodyDeadlineHandler.class.getName() + ".timer";

  private final Duration deadline;
  private final long maxBufferedBytes;
  private final BodyReceived direct;

  /**
   * @param maxBufferedBytes the most body bytes received before the application is called; a
   *     body declared larger reaches the application at once, a chunked one once this much
   *     arrived (ingress enforces its own limit either way)
   */
  BodyDeadlineHandler(Handler application, Duration deadline, long maxBufferedBytes, long minDataRate) {
    this.deadline = deadline;
    this.maxBufferedBytes = maxBufferedBytes;
    this.direct = new BodyReceived(application);
    EagerContentHandler eager = new EagerContentHandler(direct,
        new EagerContentHandler.RetainedContentLoaderFactory(maxBufferedBytes, -1, false));
    // Jetty 12 core reads bodies outside the servlet: the rate is enforced by its handler, not by HttpConfiguration.
    setHandler(minDataRate > 0 ? new MinimumDataRateHandler(eager, minDataRate, 0) : eager);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    Scheduler scheduler = request.getComponents().getScheduler();
    Scheduler.Task timer = scheduler.schedule(() -> {
      LOG.debug("request body from {} not received within {}: closing the connection",
          Request.getRemoteAddr(request), deadline);
      request.getConnectionMetaData().getConnection().getEndPoint().close();
    }, deadline.toMillis(), TimeUnit.MILLISECONDS);
    request.setAttribute(TIMER, timer);
    Callback done = Callback.from(callback, () -> timer.cancel());
    boolean handled;
    try {
      // A declared length past the buffer goes on at once: ingress refuses it (413) before reading.
      handled = request.getLength() > maxBufferedBytes
          ? direct.handle(request, response, done)
          : super.handle(request, response, done);
    } catch (Exception | Error e) {
      timer.cancel();
      throw e;
    }
    if (!handled) {
      timer.cancel();
    }
    return handled;
  }

  /** Reached once the body is in: the deadline no longer applies. */
  private static final class BodyReceived extends Handler.Wrapper {
    BodyReceived(Handler application) {
      super(application);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      if (request.getAttribute(TIMER) instanceof Scheduler.Task timer) {
        timer.cancel();
      }
      return super.handle(request, response, callback);
    }
  }
}
