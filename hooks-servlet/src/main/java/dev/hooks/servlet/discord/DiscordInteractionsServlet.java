package dev.hooks.servlet.discord;

import dev.hooks.event.Delivery;
import dev.hooks.event.Headers;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Collections;
import java.util.Objects;

/**
 * Serves Discord's interactions webhook (the application's "Interactions Endpoint URL"): reads
 * the request's raw body (at most 64 KiB; more is 413), hands it with its headers to the {@link
 * Interactions} and writes the answer as JSON. Only POST (else 405). Translates only: the
 * signature check, PING and commands are the {@link Interactions}' work, such as hooks-notify's
 * {@code DiscordInteractions}.
 *
 * <pre>{@code
 * context.addServlet(new ServletHolder(new DiscordInteractionsServlet(d -> {
 *   InteractionReply r = commands.handle(d);
 *   return new DiscordInteractionsServlet.Answer(r.status(), r.body());
 * })), "/discord/interactions");
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class DiscordInteractionsServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  /** Discord's interactions are small; a larger body is refused unread. */
  public static final int MAX_BODY_BYTES = 64 * 1024;

  /** Answers one interaction delivery; never throws for bad input. */
  @FunctionalInterface
  public interface Interactions {
    Answer answer(Delivery delivery);
  }

  /** The status and JSON body to write. */
  public record Answer(int status, String json) {
    public Answer {
      Objects.requireNonNull(json, "json");
    }
  }

  private final transient Interactions interactions;
  private final transient Clock clock;

  public DiscordInteractionsServlet(Interactions interactions) {
    this(interactions, Clock.systemUTC());
  }

  public DiscordInteractionsServlet(Interactions interactions, Clock clock) {
    this.interactions = Objects.requireNonNull(interactions, "interactions");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    if (!"POST".equals(req.getMethod())) {
      resp.setHeader("Allow", "POST");
      write(resp, 405, "{\"error\":\"method_not_allowed\"}");
      return;
    }
    long declared = req.getContentLengthLong();
    if (declared > MAX_BODY_BYTES) {
      write(resp, 413, "{\"error\":\"body_too_large\"}");
      return;
    }
    byte[] body;
    try (InputStream in = req.getInputStream()) {
      body = in.readNBytes(MAX_BODY_BYTES + 1);
    } catch (IOException e) {
      write(resp, 400, "{\"error\":\"bad_body\"}");
      return;
    }
    if (body.length > MAX_BODY_BYTES) {
      write(resp, 413, "{\"error\":\"body_too_large\"}");
      return;
    }
    Headers.Builder headers = Headers.builder();
    for (String name : Collections.list(req.getHeaderNames())) {
      for (String value : Collections.list(req.getHeaders(name))) {
        headers.add(name, value);
      }
    }
    Delivery delivery = Delivery.builder("discord-interactions")
        .method("POST")
        .url(req.getRequestURL().toString())
        .headers(headers.build())
        .body(body)
        .receivedAt(clock.instant())
        .build();
    Answer answer;
    try {
      answer = interactions.answer(delivery);
    } catch (RuntimeException e) {
      log("interaction failed", e);
      write(resp, 400, "{\"error\":\"interaction_failed\"}");
      return;
    }
    write(resp, answer.status(), answer.json());
  }

  private static void write(HttpServletResponse resp, int status, String json) throws IOException {
    byte[] out = json.getBytes(StandardCharsets.UTF_8);
    resp.setStatus(status);
    resp.setContentType("application/json");
    resp.setCharacterEncoding("UTF-8");
    resp.setContentLength(out.length);
    resp.getOutputStream().write(out);
  }
}
