package dev.hooks.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hooks.alerts.internal.Http;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A generic webhook: each effect is a JSON {@code POST} of {@code {"action":"open|note|close|reopen",
 * "fingerprint","summary","description","severity","company","ref","text"}}, signed with {@code
 * X-Hooks-Timestamp} and {@code X-Hooks-Signature: sha256=hex(HMAC-SHA256(secret, timestamp + "." +
 * body))}. Thread-safe; never printed with its secret.
 */
public final class SignedWebhookSink implements IncidentSink {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String name;
  private final URI url;
  private final byte[] secret;
  private final Clock clock;
  private final Http http = new Http(Duration.ofSeconds(10));

  public SignedWebhookSink(String name, URI url, String secret, Clock clock) {
    this.name = Objects.requireNonNull(name, "name");
    this.url = Objects.requireNonNull(url, "url");
    if (secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException("webhook sink '" + name + "': secret is empty; set it, usually to ${ENV_VAR}");
    }
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
    this.clock = clock;
  }

  @Override
  public String name() {
    return name;
  }

  private void post(String action, String ref, Ticket t, String text) throws SinkException {
    ObjectNode b = JSON.createObjectNode().put("action", action).put("fingerprint", t.fingerprint()).put("summary", t.summary())
        .put("description", t.description()).put("severity", t.severity()).put("company", t.company()).put("ref", ref).put("text", text);
    String body = b.toString();
    String ts = Long.toString(clock.instant().getEpochSecond());
    String sig;
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      sig = HexFormat.of().formatHex(mac.doFinal((ts + "." + body).getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    http.send(HttpRequest.newBuilder(url).header("Content-Type", "application/json").header("X-Hooks-Timestamp", ts)
        .header("X-Hooks-Signature", "sha256=" + sig).POST(HttpRequest.BodyPublishers.ofString(body)), "webhook " + name + " " + action);
  }

  @Override
  public String open(Ticket t) throws SinkException {
    post("open", t.fingerprint(), t, "");
    return t.fingerprint();
  }

  @Override
  public void note(String ref, Ticket t, String text) throws SinkException {
    post("note", ref, t, text);
  }

  @Override
  public void close(String ref, Ticket t) throws SinkException {
    post("close", ref, t, "");
  }

  @Override
  public void reopen(String ref, Ticket t) throws SinkException {
    post("reopen", ref, t, "");
  }

  @Override
  public String toString() {
    return "SignedWebhookSink[" + name + " " + url.getHost() + "]";
  }
}
